import Parquet
import InteropSupport
import Testing

/// Footers whose row groups claim row counts that add up past `Int.max`: opening such a file
/// must throw `.corrupt`, never trap on the sum (ParquetReader adds the row groups' counts).
@Suite("Row count overflow")
struct RowCountOverflowTests {
    /// A real file of three row groups from our writer, and its decoded footer.
    static func threeRowGroupFile() throws -> (bytes: [UInt8], metadata: FileMetaData) {
        var options = ParquetWriter.Options()
        options.rowGroupRowLimit = 2
        let table = try Table(columns: [Column(name: "step", int64s: [1, 2, 3, 4, 5, 6])])
        let bytes = try ParquetWriter.encode(table, options: options)
        let metadata = try Footer.read(from: bytes)
        #expect(metadata.rowGroups.count == 3)
        return (bytes, metadata)
    }

    /// `bytes` with its footer replaced by `metadata`.
    static func replacingFooter(_ bytes: [UInt8], with metadata: FileMetaData) throws -> [UInt8] {
        let range = try Footer.metadataRange(trailer: bytes.suffix(8), fileSize: bytes.count)
        var writer = ThriftCompactWriter()
        metadata.write(to: &writer)
        let footer = writer.bytes
        let length = UInt32(footer.count)
        let trailer = (0 ..< 4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Footer.magic
        return Array(bytes[..<range.lowerBound]) + footer + trailer
    }

    @Test("two huge row groups: corrupt, naming the row group, not a trap")
    func twoHugeRowGroups() throws {
        var (bytes, metadata) = try Self.threeRowGroupFile()
        metadata.rowGroups[0].numRows = Int64.max - 1
        metadata.rowGroups[1].numRows = Int64.max - 1
        bytes = try Self.replacingFooter(bytes, with: metadata)
        do {
            _ = try ParquetReader(bytes: bytes, name: "huge.parquet")
            Issue.record("a file claiming 2 × (Int64.max - 1) rows was opened")
        } catch let error as ParquetError {
            #expect(error.code == .corrupt)
            #expect(error.location.rowGroup == 1)
            #expect(error.location.file == "huge.parquet")
            #expect(error.message.contains("more than"))
        }
    }

    @Test("10,000 seeded random row counts near the limits open or throw, never trap")
    func seededRowCounts() throws {
        let (bytes, metadata) = try Self.threeRowGroupFile()
        let interesting: [Int64] = [0, 1, 2, 3, Int64.max, Int64.max - 1, Int64.max / 2, Int64.max / 2 + 1, Int64.max / 3 + 1, -1, Int64.min, 1 << 62]
        var random = SeededGenerator(seed: 0x0F_10_F1_0E)
        var opened = 0, thrown = 0
        for _ in 0 ..< 10_000 {
            var mutated = metadata
            for index in mutated.rowGroups.indices {
                mutated.rowGroups[index].numRows = Bool.random(using: &random)
                    ? interesting.randomElement(using: &random)!
                    : Int64.random(in: Int64.min ... Int64.max, using: &random)
            }
            let file = try Self.replacingFooter(bytes, with: mutated)
            do {
                let reader = try ParquetReader(bytes: file)
                opened += 1
                let expected = mutated.rowGroups.reduce(Int64(0)) { $0 + $1.numRows }   // opened ⇒ no overflow
                #expect(Int64(reader.rowCount) == expected)
                _ = try? reader.read(limit: 10)   // reading may throw (the pages hold 2 rows), never trap
            } catch let error as ParquetError {
                thrown += 1
                #expect(error.code == .corrupt)
            }
        }
        #expect(opened > 100 && thrown > 100, "opened \(opened), thrown \(thrown)")
    }
}
