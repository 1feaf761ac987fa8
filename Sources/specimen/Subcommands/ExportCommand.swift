import ArgumentParser
import Foundation
import Parquet
import SpecimenS3
import Specimens

/// `specimen export`: one run's metrics, or every run's stacked, as CSV, JSON lines or Parquet.
struct ExportCommand: ParsableCommand {
    /// The export formats.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case csv, jsonl, parquet
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's metrics as CSV, JSON lines or Parquet.",
        discussion: """
            The latest run by default; --run picks one, --all-runs stacks every sealed
            run (run_id first, columns unioned, missing values empty/null). CSV and JSON
            lines go to stdout unless -o is given; Parquet needs -o.

            Examples:
              specimen export rosenbrock --format csv > latest.csv
              specimen export rosenbrock --all-runs --format parquet -o all.parquet
              specimen export rosenbrock --run 20250101_120000 --format jsonl | head
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @Option(name: .customLong("run"), help: ArgumentHelp("The run to export (default: the latest).", valueName: "id"))
    var runID: String?

    @Flag(help: "Every sealed run, stacked.")
    var allRuns = false

    @OptionGroup var selection: SelectionOptions

    @Option(help: "csv, jsonl or parquet.")
    var format: Format

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (not replaced if it exists).", valueName: "file"))
    var output: String?

    func validate() throws {
        if runID != nil && selection.isActive { throw ValidationError("--run and --where/--sort/--limit exclude each other: pick one run, or select several") }
        if runID != nil && allRuns { throw ValidationError("--run and --all-runs exclude each other: pick one run, or all") }
        if let run = runID, (try? RunID(run)) == nil { throw ValidationError("--run \(run): a run ID looks like 20250101_120000") }
        if format == .parquet && output == nil { throw ValidationError("--format parquet writes a binary file: give it with -o FILE") }
    }

    func run() throws {
        try reportingFailures {
            let opened = try SpecimenLocation.specimen(location.specimenPath(specimen))
            let progress = Progress("reading metrics of \(opened.name)")
            defer { progress.finish() }
            let table: Table
            if selection.isActive || allRuns {
                let runs = selection.isActive ? try opened.readRunsTable(selection.select(opened).runs.map(\.id)) : try opened.readRunsTable()
                table = runs.table
                for item in runs.skipped { Standard.error("specimen: skipped run \(item.run): \(item.reason)") }
            } else {
                guard let id = try runID.map({ try RunID($0) }) ?? opened.latestRun else {
                    throw CommandFailure("specimen \(opened.name) has no runs (in \(opened.runsPath))", fix: "Start one with `specimen run \(specimen)`")
                }
                table = try opened.readMetrics(run: id)
            }
            if let output, FileManager.default.fileExists(atPath: output) {
                throw CommandFailure("\(output) already exists", fix: "Remove it, or give another file with -o")
            }
            switch format {
            case .parquet:
                try ParquetWriter.write(table, to: output!)
            case .csv, .jsonl:
                let text = format == .csv ? Self.csv(table) : Self.jsonl(table)
                if let output {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .withoutOverwriting)
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            }
            if let output { Standard.error("specimen: wrote \(table.rowCount) rows to \(output)") }
        }
    }

    /// The table as CSV (RFC 4180, header first).
    static func csv(_ table: Table) -> String {
        var text = table.columnNames.map { Value.string($0).csvField }.joined(separator: ",") + "\n"
        for row in 0 ..< table.rowCount {
            text += table.columns.map { $0[row].csvField }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The table as JSON lines, one object per row, keys in column order.
    static func jsonl(_ table: Table) -> String {
        var text = ""
        for row in 0 ..< table.rowCount {
            var json = JSONText()
            json.beginObject()
            for column in table.columns {
                json.key(column.name)
                column[row].append(to: &json)
            }
            json.endObject()
            text += json.text + "\n"
        }
        return text
    }
}
