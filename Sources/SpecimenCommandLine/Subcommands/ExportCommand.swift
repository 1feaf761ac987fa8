import ArgumentParser
import Foundation
import Parquet
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
    @OptionGroup var cache: CacheOptions

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
        cache.apply()
        try reportingFailures {
            let opened = try StorageLocator.specimen(location.specimenPath(specimen))
            let progress = Progress("reading metrics of \(opened.name)")
            defer { progress.finish() }
            if selection.isActive || allRuns {
                let ids = selection.isActive ? try selection.select(opened).runs.map(\.id) : nil
                let runs = try ids.map { try opened.runTables($0) } ?? opened.runTables()
                var (rows, skipped, sink) = try export(runs)
                if output != nil, skipped.count > runs.skipped.count {
                    // Runs that failed to decode after their footer was read are left out; when
                    // the schema without them differs (a column only they had), the file is
                    // written again without them, as the in-memory export would have.
                    let failed = Set(skipped.map(\.run)).subtracting(runs.skipped.map(\.run))
                    let rest = try opened.runTables(runs.runs.filter { !failed.contains($0) })
                    if rest.schema != runs.schema {
                        sink.discard()
                        (rows, _, sink) = try export(rest)
                    }
                }
                try sink.commit()
                for item in skipped { Standard.error("specimen: skipped run \(item.run): \(item.reason)") }
                if let output { Standard.error("specimen: wrote \(rows) rows to \(output)") }
            } else {
                guard let id = try runID.map({ try RunID($0) }) ?? opened.latestRun else {
                    throw CommandFailure("specimen \(opened.name) has no runs (in \(opened.runsPath))", fix: "Start one with `specimen run \(specimen)`")
                }
                let table = try opened.readMetrics(run: id)
                let sink = try ExportOutput(path: output)
                switch format {
                case .parquet:
                    let writer = try ParquetWriter(fileDescriptor: sink.fileDescriptor, path: output!, schema: Schema(of: table))
                    try writer.write(table)
                    try writer.close()
                case .csv, .jsonl:
                    let encoder = TableTextEncoder(format: format == .csv ? .csv : .jsonl, columns: table.columnNames)
                    try sink.write(encoder.header)
                    try sink.write(encoder.encode(table))
                }
                try sink.commit()
                if let output { Standard.error("specimen: wrote \(table.rowCount) rows to \(output)") }
            }
        }
    }

    /// Streams `runs` to the output, a run at a time: Parquet row groups fill from the runs'
    /// tables as they are decoded; text is encoded on the reading threads and written in order.
    /// Returns the rows written, every run left out, and the output, to commit.
    private func export(_ runs: RunTables) throws -> (rows: Int, skipped: [RunsTable.Skipped], sink: ExportOutput) {
        let sink = try ExportOutput(path: output)
        var rows = 0
        let skipped: [RunsTable.Skipped]
        switch format {
        case .parquet:
            let writer = try ParquetWriter(fileDescriptor: sink.fileDescriptor, path: output!, schema: runs.schema)
            skipped = try runs.forEach { _, table in
                rows += table.rowCount
                try writer.write(table)
            }
            try writer.close()
        case .csv, .jsonl:
            let encoder = TableTextEncoder(format: format == .csv ? .csv : .jsonl, columns: runs.schema.names)
            try sink.write(encoder.header)
            skipped = try runs.forEach({ _, table in (table.rowCount, encoder.encode(table)) }, { _, encoded in
                rows += encoded.0
                try sink.write(encoded.1)
            })
        }
        return (rows, skipped, sink)
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
