import ArgumentParser
import Foundation
import MessagePack
import Parquet
import Specimens

extension TablePrinter.Format: ExpressibleByArgument {}

/// `specimen cat`: prints a Parquet file's rows, or a MessagePack file's value as JSON.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a Parquet file's rows, or a MessagePack file's value as JSON.",
        discussion: """
            A Parquet file (recognised by its PAR1 magic) prints as an aligned table, CSV, or
            JSON lines (one object per row, keys in schema order). Anything else is read as
            MessagePack and printed as one JSON document.

            Examples:
              specimen cat specimens/demo/runs/20250101_120000/metrics.parquet --limit 10
              specimen cat metrics.parquet --format jsonl --columns step,loss
              specimen cat specimens/demo/runs/20250101_120000/manifest.msgpack
            """
    )

    @Argument(help: "The .parquet or .msgpack file to print.", completion: .file())
    var file: String

    @Option(help: "Output for Parquet files: table, csv or jsonl.")
    var format: TablePrinter.Format = .table

    @Option(help: "Only these columns, comma-separated, in this order (Parquet only).")
    var columns: String?

    @Option(help: "Print at most this many rows; decoding stops there (Parquet only).")
    var limit: Int?

    @Flag(help: "Check every page's CRC-32 where the file records one (Parquet only).")
    var verifyChecksums = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        if let columns, columns.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--columns takes names separated by commas, e.g. --columns step,loss")
        }
    }

    func run() throws {
        try reportingFailures {
            if try Self.isParquet(file) {
                try printParquet()
            } else {
                guard columns == nil, limit == nil, !verifyChecksums, format == .table else {
                    throw ValidationError("--format, --columns, --limit and --verify-checksums apply to Parquet files; \(file) is not one")
                }
                try printMessagePack()
            }
        }
    }

    /// Whether the file starts with Parquet's magic `PAR1`.
    static func isParquet(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                throw CommandFailure(isFolder.boolValue ? "\(path) is a folder; give a .parquet or .msgpack file" : "\(path) cannot be read; check its permissions")
            }
            throw CommandFailure("\(path) does not exist")
        }
        defer { try? handle.close() }
        let head = try handle.read(upToCount: 4) ?? Data()
        return head == Data("PAR1".utf8)
    }

    private func printParquet() throws {
        var options = ReadOptions()
        options.verifyChecksums = verifyChecksums
        let reader = try ParquetReader(path: file, options: options)
        let names = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        var printer: TablePrinter?
        var remaining = limit ?? Int.max
        // Row group by row group, so memory stays near one row group and --limit stops early.
        for group in 0 ..< reader.rowGroupCount where remaining > 0 {
            var batch = try reader.readRowGroup(group, columns: names)
            if batch.rowCount > remaining { batch = batch.slice(0 ..< remaining) }
            if printer == nil {
                printer = TablePrinter(format: format, columnNames: batch.columnNames, width: Terminal.width)
                printer!.begin(firstBatch: batch)
            }
            printer!.print(batch)
            remaining -= batch.rowCount
        }
        if printer == nil {
            let empty = try reader.read(columns: names, limit: 0)
            var header = TablePrinter(format: format, columnNames: empty.columnNames, width: Terminal.width)
            header.begin(firstBatch: nil)
        }
    }

    private func printMessagePack() throws {
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw CommandFailure("\(file) cannot be read: \(error.localizedDescription)")
        }
        do {
            let value = try MessagePackValue(decoding: bytes)
            print(value.jsonText())
        } catch {
            throw CommandFailure("\(file) is neither Parquet nor valid MessagePack: \(error)")
        }
    }
}

/// A command's failure, with a message that names the path and the fix.
struct CommandFailure: Error, CustomStringConvertible {
    /// The message.
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
