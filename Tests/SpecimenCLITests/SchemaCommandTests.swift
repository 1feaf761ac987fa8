import Foundation
import InteropSupport
import Parquet
import Testing

@Suite("specimen schema")
struct SchemaCommandTests {
    @Test func jsonDescribesColumnsRowGroupsAndMetadata() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        let table = try Table(columns: [
            Column(name: "run_id", strings: ["r", "r", "r"]),
            Column(name: "at", timestamps: [1, 2, 3], unit: .microseconds),
            Column(name: "n", int64s: [1, nil, 3]),
        ])
        var options = ParquetWriter.Options()
        options.keyValueMetadata = [("specimen.run_id", "r")]
        options.rowGroupRowLimit = 2
        try ParquetWriter.write(table, to: path, options: options)
        let result = try CLI.run(["schema", path, "--json"])
        #expect(result.status == 0, "\(result.stderrText)")
        let document = try #require(JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(document["format"] as? String == "specimen.parquet-schema/1")
        #expect(document["num_rows"] as? Int == 3)
        #expect((document["created_by"] as? String)?.hasPrefix("specimen version ") == true)
        let columns = try #require(document["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["run_id", "at", "n"])
        #expect(columns[0]["logical_type"] as? String == "STRING")
        #expect(columns[0]["converted_type"] as? String == "UTF8")
        #expect(columns[1]["type"] as? String == "timestamp[us, UTC]")
        #expect(columns[1]["logical_type"] as? String == "TIMESTAMP(MICROS, UTC)")
        #expect(columns[1]["converted_type"] as? String == "TIMESTAMP_MICROS")
        let groups = try #require(document["row_groups"] as? [[String: Any]])
        #expect(groups.map { $0["num_rows"] as? Int } == [2, 1])
        let firstChunks = try #require(groups[0]["columns"] as? [[String: Any]])
        #expect(firstChunks[0]["codec"] as? String == "SNAPPY")
        #expect((firstChunks[0]["encodings"] as? [String])?.contains("RLE_DICTIONARY") == true)
        let metadata = try #require(document["key_value_metadata"] as? [[String: Any]])
        #expect(metadata.first?["key"] as? String == "specimen.run_id")
    }

    @Test func textNamesEverySection() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        try ParquetWriter.write(try Table(columns: [Column(name: "x", doubles: [1, 2])]), to: path)
        let result = try CLI.run(["schema", path])
        #expect(result.status == 0, "\(result.stderrText)")
        for needle in ["created by  specimen version", "rows        2 in 1 row group", "columns", "x     double  DOUBLE", "row group 0: 2 rows"] {
            #expect(result.stdoutText.contains(needle), "missing \(needle) in:\n\(result.stdoutText)")
        }
    }

    @Test func notParquetIsAnError() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("x.parquet")
        try Data("hello world, not parquet".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLI.run(["schema", path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains(path))
    }
}
