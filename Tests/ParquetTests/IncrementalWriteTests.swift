import Testing
@testable import Parquet

/// Writing a table batch by batch: one row group per batch when the row limit is the batch
/// size, in memory or in a file, with the same rows as writing the whole table at once.
@Suite("Incremental write")
struct IncrementalWriteTests {
    func batch(_ start: Int, _ count: Int) throws -> Table {
        let rows = start ..< start + count
        let steps: [Int64?] = rows.map { Int64($0) }
        let losses: [Double?] = rows.map { (row: Int) -> Double? in row % 7 == 0 ? nil : 1 / Double(row + 1) }
        let phases: [String?] = rows.map { (row: Int) -> String? in "p\(row % 3)" }
        return try Table(columns: [Column(name: "step", int64s: steps), Column(name: "loss", doubles: losses), Column(name: "phase", strings: phases)])
    }

    @Test("batches written to an in-memory writer become one row group each and read back as the whole table")
    func inMemory() throws {
        var options = ParquetWriter.Options()
        options.rowGroupRowLimit = 1_000
        let first = try batch(0, 1_000)
        let writer = try ParquetWriter(schema: Schema(of: first), options: options)
        #expect(writer.bytes.isEmpty)
        try writer.write(first)
        try writer.write(try batch(1_000, 1_000))
        try writer.write(try batch(2_000, 500))
        try writer.close()
        let reader = try ParquetReader(bytes: writer.bytes)
        #expect(reader.rowGroupCount == 3)
        let table = try reader.read()
        let whole = try batch(0, 2_500)
        #expect(table.rowCount == 2_500)
        for name in ["step", "loss", "phase"] {
            let a = table[name]!, b = whole[name]!
            #expect((0 ..< 2_500).allSatisfy { a[$0] == b[$0] }, "column \(name)")
        }
        #expect(try ParquetWriter.encode(whole, options: options) == writer.bytes)
    }
}
