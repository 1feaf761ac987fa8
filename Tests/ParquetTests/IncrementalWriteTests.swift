import Testing
#if canImport(Glibc)
import Glibc
#endif
import InteropSupport
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

    /// Rows `start ..< start + count` of a table with every column kind the writer converts
    /// (wide decimals, FLOAT16, UUIDs) beside plain ones, with nulls.
    func convertedBatch(_ start: Int, _ count: Int) throws -> Table {
        let rows = start ..< start + count
        var decimals = ByteArrays(), uuids = ByteArrays()
        for row in rows {
            decimals.append(contentsOf: row % 5 == 0 ? [0xFF, UInt8(truncatingIfNeeded: row)] : [UInt8(truncatingIfNeeded: row >> 8), UInt8(truncatingIfNeeded: row)])
            uuids.append(contentsOf: (0 ..< 16).map { UInt8(truncatingIfNeeded: row &+ $0) })
        }
        var validity = Validity(count: 0)
        for row in rows { validity.append(row % 11 != 0) }
        return try Table(columns: [
            Column(name: "step", int64s: rows.map { Int64($0) }),
            Column(name: "d30", type: .decimal(precision: 30, scale: 2), values: .bytes(decimals), validity: validity),
            Column(name: "half", type: .float16, values: .float(rows.map { Float($0 % 64) / 4 }), validity: validity),
            Column(name: "id", type: .uuid, values: .bytes(uuids), validity: nil),
            Column(name: "phase", strings: rows.map { (row: Int) -> String? in row % 13 == 0 ? nil : "p\(row % 3)" }),
        ])
    }

    @Test("batches that straddle row groups are taken in place: the rows, row groups and statistics of the whole table written at once, every conversion included")
    func straddlingBatches() throws {
        var options = ParquetWriter.Options()
        options.rowGroupRowLimit = 1_000
        options.dataPageRowLimit = 300
        let whole = try convertedBatch(0, 3_500)
        let writer = try ParquetWriter(schema: Schema(of: whole), options: options)
        for start in stride(from: 0, to: 3_500, by: 700) { try writer.write(try convertedBatch(start, 700)) }
        try writer.close()
        let reader = try ParquetReader(bytes: writer.bytes)
        let wholeReader = try ParquetReader(bytes: try ParquetWriter.encode(whole, options: options))
        #expect(reader.rowGroupCount == 4)
        // Pages end where a batch ends, so the bytes differ; each row group's rows and each
        // chunk's statistics do not.
        for (group, expected) in zip(reader.metadata.rowGroups, wholeReader.metadata.rowGroups) {
            #expect(group.numRows == expected.numRows)
            #expect(group.columns.map(\.metaData?.statistics) == expected.columns.map(\.metaData?.statistics))
        }
        let table = try reader.read()
        #expect(table.rowCount == 3_500)
        for column in whole.columns {
            let read = try #require(table[column.name])
            #expect((0 ..< 3_500).allSatisfy { read[$0] == column[$0] }, "column \(column.name)")
        }
    }

    @Test("writing over a file replaces it (a reader of the old one keeps it whole, the mode stays); a link, or a file with two names, is rewritten in place")
    func writingOverFiles() throws {
        let folder = try TemporaryFolder()
        let old = try batch(0, 1_000), new = try batch(5_000, 300)
        let path = folder.file("t.parquet")
        try ParquetWriter.write(old, to: path)
        #expect(chmod(path, 0o640) == 0)
        let reader = try ParquetReader(path: path)   // holds the old file open
        try ParquetWriter.write(new, to: path)
        #expect(try reader.read() == old)
        #expect(try ParquetReader(path: path).read() == new)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o7777 == 0o640)

        // A symbolic link stays a link to the rewritten file; a second name sees the new rows.
        let target = folder.file("target.parquet"), link = folder.file("link.parquet"), second = folder.file("second.parquet")
        try ParquetWriter.write(old, to: target)
        #expect(symlink(target, link) == 0)
        #expect(Glibc.link(target, second) == 0)
        try ParquetWriter.write(new, to: link)
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try ParquetReader(path: target).read() == new)
        #expect(try ParquetReader(path: second).read() == new)
        try ParquetWriter.write(old, to: second)
        #expect(try ParquetReader(path: target).read() == old)
    }
}
