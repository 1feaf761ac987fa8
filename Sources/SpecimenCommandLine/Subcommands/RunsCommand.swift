#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import MessagePack
import Specimens

/// `specimen runs`: find runs with `--where`, order them with `--sort`, cut with `--limit`.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Find runs: select with --where, order with --sort, cut with --limit.",
        discussion: """
            One line per selected run: ID, status, start (UTC), duration, rows, the params
            that vary among the selected runs, and each metric's last value (or the fields
            named by --columns). Oldest first unless --sort is given.

            Expressions (--where):
              fields     id status started ended duration rows exit_code host
                         git.commit git.dirty tags notes params.<path>
                         metrics.<name>.<last|min|max|count>
                         (keys with dots or spaces in backquotes:
                         params.`model.name`)
              operators  == != < <= > >=  in [v, ...]  not in [...]  contains
                         exists FIELD  and  or  not  ( )
                         precedence: not > and > or
              values     1  -2.5  1e-3  'text'  "text"  true  false  null
                         2026-11-01  2026-11-01T12:00:00Z  (UTC unless an
                         offset such as +02:00 is given)
            Ints and doubles compare numerically; other mismatched types are
            unequal and never order. A comparison with a missing field is false
            (so `not` includes runs without it); `exists` tests presence.
            `contains` finds a tag in tags, an element in a list, or a substring
            in a string. Sorting puts runs without the key last in either
            direction; ties keep the run order.

            Examples:
              specimen runs sweep --where 'params.lr < 1e-3 and status == "completed"'
              specimen runs sweep --sort metrics.loss.last --limit 10
              specimen runs sweep --where 'started >= 2026-11-01 and tags contains "x"'
              specimen runs sweep --where 'not (params.dropout > 0.2)' \\
                --columns params.dropout,metrics.loss.min
              specimen runs sweep --where 'status in ["failed", "crashed"]' --json
            The same --where, --sort and --limit work on view, compare and export.
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @OptionGroup var selection: SelectionOptions

    @Option(help: ArgumentHelp("Show these fields instead of the varying params and last metrics, comma-separated.", valueName: "list"))
    var columns: String?

    @Flag(help: "Print one JSON document (format specimen.runs/1) instead.")
    var json = false

    func validate() throws {
        _ = try columnFields()
    }

    /// The `--columns` fields; a malformed one prints the caret message and exits 64.
    private func columnFields() throws -> [RunField]? {
        guard let columns else { return nil }
        var fields: [RunField] = []
        for part in columns.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            do { fields.append(try RunField(text)) } catch {
                Standard.error("specimen: --columns: \(error.message)\n\(error.caretLines)")
                throw ExitCode(64)
            }
        }
        return fields
    }

    func run() throws {
        cache.apply()
        try reportingFailures {
            let opened = try StorageLocator.specimen(location.specimenPath(specimen))
            if json {
                let selected = try selection.select(opened, details: false)
                try RunsJSON.render(specimen: opened.name, selected, output: Self.emit)
            } else {
                try printText(opened, try selection.select(opened))
            }
        }
    }

    private func printText(_ opened: Specimen, _ selected: RunSelection) throws {
        let runs = selected.runs
        guard !runs.isEmpty else {
            print(selected.totalRuns == 0 ? "specimen \(opened.name) has no runs yet: start one with `specimen run \(specimen)`"
                                          : "no run of \(selected.totalRuns) matches")
            return
        }
        var fields: [RunField] = []
        if let chosen = try columnFields() {
            fields = chosen
        } else {
            var keys: [String] = []
            var texts: [String: Set<String>] = [:]
            var present: [String: Int] = [:]
            for info in runs {
                for pair in info.params.mapValue ?? [:] {
                    guard let key = pair.key.stringValue else { continue }
                    if texts[key] == nil { keys.append(key) }
                    texts[key, default: []].insert(pair.value.jsonText())
                    present[key, default: 0] += 1
                }
            }
            fields = keys.filter { (texts[$0]?.count ?? 0) > 1 || present[$0] != runs.count }.map { .param([$0]) }
            var metrics: [String] = []
            for info in runs { for column in info.summary where column.name != "step" && !metrics.contains(column.name) { metrics.append(column.name) } }
            fields += metrics.map { .metric($0, .last) }
        }
        var table = AlignedRows(rightAligned: Set([3, 4] + fields.indices.map { $0 + 5 }))
        table.add(["run", "status", "started (UTC)", "duration", "rows"] + fields.map(Self.header))
        for (index, info) in runs.enumerated() {
            var cells: [AlignedRows.Cell] = [.init(info.id.rawValue), .init(RunText.status(info.state), plain: info.state.name),
                                             .init(RunText.time(info.startedAt)), .init(RunText.duration(info.duration)),
                                             .init(info.rows.map(String.init) ?? "-")]
            cells += fields.map { field in
                if case .param(let path) = field {   // as written, maps and all
                    var value: MessagePackValue? = info.params
                    for key in path { value = value?.mapValue?[key] }
                    return .init(value.map(ViewCommand.text) ?? "-")
                }
                return .init(Self.text(selected.value(field, ofRunAt: index)))
            }
            table.add(cells: cells)
        }
        table.print()
        if runs.count < selected.totalRuns || selection.isActive {
            Standard.error("\(runs.count) of \(selected.totalRuns) run\(selected.totalRuns == 1 ? "" : "s")")
        }
    }

    /// A column's header: a param's key path, a metric's name (with its statistic unless last).
    static func header(_ field: RunField) -> String {
        switch field {
        case .param(let path): return path.joined(separator: ".")
        case let .metric(name, statistic): return statistic == .last ? name : name + "." + statistic.rawValue
        default: return field.description
        }
    }

    /// A field's value as a table cell.
    static func text(_ value: RunValue?) -> String {
        guard let value else { return "-" }
        switch value {
        case .string(let text): return text
        case .double(let number): return RunText.number(number)
        case .date(let micros): return RunText.time(Date(timeIntervalSince1970: Double(micros) / 1e6))
        case .list(let values): return values.map { text($0) }.joined(separator: ",")
        default: return value.description
        }
    }

    /// Writes `bytes` to standard output (all of them, unless it fails: a closed pipe ends
    /// the listing, as with `print`).
    static func emit(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
            let n = write(STDOUT_FILENO, base + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}
