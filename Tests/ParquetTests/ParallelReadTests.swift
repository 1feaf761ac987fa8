import Parquet
import Testing

@Suite("Columns decoded on several threads")
struct ParallelReadTests {
    /// A 3-row-group table of every storage kind, with nulls.
    static func table() throws -> Table {
        let rows = 5_000
        return try Table(columns: [
            Column(name: "b", bools: (0 ..< rows).map { $0 % 7 == 0 ? nil : $0 % 2 == 0 }),
            Column(name: "i", int32s: (0 ..< rows).map { Int32($0) }),
            Column(name: "l", int64s: (0 ..< rows).map { $0 % 5 == 0 ? nil : Int64($0) * 1_000_003 }),
            Column(name: "f", floats: (0 ..< rows).map { Float($0) / 3 }),
            Column(name: "d", doubles: (0 ..< rows).map { $0 % 11 == 0 ? nil : Double($0).squareRoot() }),
            Column(name: "s", strings: (0 ..< rows).map { $0 % 13 == 0 ? nil : "row \($0 % 97)" }),
        ])
    }

    static func bytes(_ table: Table) throws -> [UInt8] {
        var options = ParquetWriter.Options()
        options.rowGroupRowLimit = 2_000
        options.codec = .uncompressed
        return try ParquetWriter.encode(table, options: options)
    }

    @Test("every thread count reads the same table as the calling thread alone", arguments: [1, 2, 3, 8])
    func sameTable(threads: Int) throws {
        let table = try Self.table()
        var options = ReadOptions()
        options.threads = threads
        let reader = try ParquetReader(bytes: Self.bytes(table), options: options)
        #expect(try reader.read() == table)
        #expect(try reader.read(columns: ["s", "l"], limit: 2_500) == table.selecting(["s", "l"]).slice(0 ..< 2_500))
        #expect(try reader.readRowGroup(1) == table.slice(2_000 ..< 4_000))
    }

    @Test("with two damaged columns, the error names the first in schema order, whichever thread failed first")
    func firstErrorInSchemaOrder() throws {
        var bytes = try Self.bytes(Self.table())
        let reader = try ParquetReader(bytes: bytes)
        for chunk in reader.metadata.rowGroups[0].columns where ["l", "s"].contains(chunk.metaData?.pathInSchema.first) {
            let start = Int(chunk.metaData!.dataPageOffset)
            for offset in start ..< start + 8 { bytes[offset] = 0xff }   // the page header becomes garbage
        }
        for threads in [1, 2, 8] {
            var options = ReadOptions()
            options.threads = threads
            do {
                _ = try ParquetReader(bytes: bytes, options: options).read()
                Issue.record("a damaged file was read with \(threads) threads")
            } catch let error as ParquetError {
                #expect(error.location.column == "l", "\(threads) threads: \(error)")
                #expect(error.location.rowGroup == 0)
            }
        }
    }
}
