import ArgumentParser
import Parquet

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
            if json { printJSON(reader) } else { printText(reader) }
        }
    }

    private func annotation(_ element: SchemaElement) -> String {
        [element.logicalType?.description, element.convertedType?.description].compactMap { $0 }.joined(separator: " / ")
    }

    private func typeText(_ leaf: FileSchema.Leaf) -> String {
        switch leaf.type {
        case .success(let type): type.description
        case .failure: "unreadable"
        }
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
        for leaf in reader.leaves {
            rows.append([leaf.name, typeText(leaf), leaf.element.type?.description ?? "?", annotation(leaf.element),
                         leaf.maxDefinitionLevel > 0 ? "yes" : "no"])
        }
        for name in reader.nestedColumns { rows.append([name, "nested", "group", "", ""]) }
        printAligned(rows)
        for leaf in reader.leaves {
            if case .failure(let error) = leaf.type { print("  note: \(leaf.name): \(error.message)") }
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

    private func printJSON(_ reader: ParquetReader) {
        let metadata = reader.metadata
        var json = JSONText(pretty: true)
        json.beginObject()
        json.key("format"); json.append("specimen.parquet-schema/1")
        json.key("file"); json.append(file)
        json.key("size_bytes"); json.append(Int64(reader.fileSize))
        json.key("created_by"); if let createdBy = metadata.createdBy { json.append(createdBy) } else { json.appendNull() }
        json.key("format_version"); json.append(Int64(metadata.version))
        json.key("num_rows"); json.append(Int64(reader.rowCount))
        json.key("columns")
        json.beginArray()
        for leaf in reader.leaves {
            json.beginObject()
            json.key("name"); json.append(leaf.name)
            json.key("type")
            switch leaf.type {
            case .success(let type): json.append(type.description)
            case .failure: json.appendNull()
            }
            if case .failure(let error) = leaf.type { json.key("unreadable_because"); json.append(error.message) }
            json.key("physical_type"); json.append(leaf.element.type?.description ?? "")
            json.key("logical_type"); if let logical = leaf.element.logicalType { json.append(logical.description) } else { json.appendNull() }
            json.key("converted_type"); if let converted = leaf.element.convertedType { json.append(converted.description) } else { json.appendNull() }
            json.key("nullable"); json.append(leaf.maxDefinitionLevel > 0)
            json.endObject()
        }
        json.endArray()
        json.key("nested_columns")
        json.beginArray()
        for name in reader.nestedColumns { json.append(name) }
        json.endArray()
        json.key("row_groups")
        json.beginArray()
        for group in metadata.rowGroups {
            json.beginObject()
            json.key("num_rows"); json.append(group.numRows)
            json.key("total_byte_size"); json.append(group.totalByteSize)
            json.key("columns")
            json.beginArray()
            for chunk in group.columns {
                json.beginObject()
                if let column = chunk.metaData {
                    json.key("path"); json.append(column.pathInSchema.joined(separator: "."))
                    json.key("codec"); json.append(column.codec.description)
                    json.key("encodings"); json.beginArray(); for encoding in column.encodings { json.append(encoding.description) }; json.endArray()
                    json.key("num_values"); json.append(column.numValues)
                    json.key("compressed_size"); json.append(column.totalCompressedSize)
                    json.key("uncompressed_size"); json.append(column.totalUncompressedSize)
                    json.key("null_count"); if let nulls = column.statistics?.nullCount { json.append(nulls) } else { json.appendNull() }
                }
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("key_value_metadata")
        json.beginArray()
        for pair in metadata.keyValueMetadata ?? [] {
            json.beginObject()
            json.key("key"); json.append(pair.key)
            json.key("value"); if let value = pair.value { json.append(value) } else { json.appendNull() }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        print(json.text)
    }
}
