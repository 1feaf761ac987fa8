import ArgumentParser
import Parquet
import Specimens

/// `specimen schema`: a Parquet file's columns, row groups, codecs, encodings and metadata.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a Parquet file's schema, row groups and metadata.",
        discussion: """
            Shows each column's type (as Specimen reads it), its physical type, its logical and
            legacy annotations and whether it may be null; each row group's rows and sizes with
            the codec and encodings of every column chunk; created_by; key-value metadata.

            Examples:
              specimen schema specimens/demo/runs/20250101_120000/metrics.parquet
              specimen schema data.parquet --json | jq '.columns[].name'
            """
    )

    @Argument(help: "The Parquet file.", completion: .file())
    var file: String

    @Flag(help: "Print one JSON document (format specimen.parquet-schema/1) instead.")
    var json = false

    func run() throws {
        try reportingFailures {
            let reader = try ParquetReader(path: file)
            if json { try printJSON(reader) } else { printText(reader) }
        }
    }

    private func annotation(_ column: ColumnDescription) -> String {
        [column.logicalType?.description, column.convertedType?.description].compactMap { $0 }.joined(separator: " / ")
    }

    private func printText(_ reader: ParquetReader) {
        let metadata = reader.metadata
        let groups = metadata.rowGroups.count
        print("file        \(file) (\(ByteCount.text(Int64(reader.fileSize))))")
        print("created by  \(metadata.createdBy ?? "(not recorded)")")
        print("rows        \(reader.rowCount) in \(groups) row group\(groups == 1 ? "" : "s")")
        print("")
        print("columns")
        var rows = [["name", "type", "physical", "annotation", "nullable"]]
        let columns = reader.columnDescriptions
        for column in columns {
            rows.append([column.name, column.type?.description ?? "unreadable", column.physicalType?.description ?? "?", annotation(column),
                         column.isNullable ? "yes" : "no"])
        }
        for name in reader.nestedColumns { rows.append([name, "nested", "group", "", ""]) }
        printAligned(rows)
        for column in columns {
            if let reason = column.unreadableBecause { print("  note: \(column.name): \(reason)") }
        }
        if !reader.nestedColumns.isEmpty {
            print("  note: nested columns (lists, maps, structs) cannot be read; name the flat columns with --columns")
        }
        for (index, group) in metadata.rowGroups.enumerated() {
            print("")
            print("row group \(index): \(group.numRows) rows, \(ByteCount.text(group.totalByteSize)) uncompressed"
                  + (group.totalCompressedSize.map { ", \(ByteCount.text($0)) compressed" } ?? ""))
            var chunkRows: [[String]] = []
            for chunk in group.columns {
                guard let column = chunk.metaData else { chunkRows.append(["?", "no metadata", "", ""]); continue }
                chunkRows.append(["  " + column.pathInSchema.joined(separator: "."), column.codec.description,
                                  column.encodings.map(\.description).joined(separator: ","),
                                  "\(ByteCount.text(column.totalCompressedSize)) (\(ByteCount.text(column.totalUncompressedSize)) uncompressed)"])
            }
            printAligned(chunkRows)
        }
        let keyValues = metadata.keyValueMetadata ?? []
        if !keyValues.isEmpty {
            print("")
            print("key-value metadata")
            let width = Terminal.width ?? Int.max
            for pair in keyValues {
                var line = "  \(pair.key) = \(pair.value ?? "(no value)")"
                if line.count > width { line = String(line.prefix(max(1, width - 1))) + "…" }
                print(line)
            }
        }
    }

    private func printAligned(_ rows: [[String]]) {
        guard let first = rows.first else { return }
        var widths = first.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        for row in rows {
            var line = "  "
            for (index, cell) in row.enumerated() {
                line += cell + (index == row.count - 1 ? "" : String(repeating: " ", count: widths[index] - cell.count + 2))
            }
            while line.last == " " { line.removeLast() }
            print(line)
        }
    }

    private func printJSON(_ reader: ParquetReader) throws {
        print(try JSONDocumentEncoder().text(ParquetSchemaDocument(file: file, reader: reader)))
    }
}
