import ArgumentParser
import Specimens

/// `--where`, `--sort` and `--limit`: the run selection shared by `runs`, `view`, `compare` and
/// `export`, meaning the same thing everywhere.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("where"), help: ArgumentHelp("Only the runs meeting this condition (see `specimen runs --help`).", valueName: "expr"))
    var expression: String?

    @Option(name: .customLong("sort"), help: ArgumentHelp("Order by this field, ascending unless :desc; repeat for ties.", valueName: "key[:asc|desc]"))
    var sort: [String] = []

    @Option(help: ArgumentHelp("At most this many runs (after sorting).", valueName: "n"))
    var limit: Int?

    /// Whether any of the three was given.
    var isActive: Bool { expression != nil || !sort.isEmpty || limit != nil }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit \(limit): give a count of runs, 0 or more") }
        _ = try query()
    }

    /// The query; a malformed expression or sort key prints the caret message and exits 64.
    func query() throws -> RunQuery {
        do {
            return try RunQuery(where: expression, sort: sort, limit: limit)
        } catch {
            let option = sort.contains(error.expression) ? "--sort" : "--where"
            Standard.error("specimen: \(option): \(error.message)\n\(error.caretLines)")
            throw ExitCode(64)
        }
    }

    /// Selects the specimen's runs, the catalog's notes on stderr.
    func select(_ specimen: Specimen, details: Bool = true) throws -> RunSelection {
        let selection = try specimen.select(try query(), details: details)
        for note in selection.notes { Standard.error("specimen: \(note)") }
        return selection
    }
}
