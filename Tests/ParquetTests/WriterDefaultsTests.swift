import Foundation
import InteropSupport
@testable import Parquet
import Testing

/// The writer's defaults that make its files quick to write and read: SNAPPY chunks that do
/// not shrink are stored UNCOMPRESSED, and columns are encoded on several cores with the same
/// bytes as on one.
@Suite("Writer defaults")
struct WriterDefaultsTests {
    /// Noisy doubles (incompressible), steps (compressible), and a constant string.
    static func table(rows: Int, seed: UInt64 = 7) throws -> Table {
        var generator = SeededGenerator(seed: seed)
        return try Table(columns: [
            Column(name: "noise", doubles: (0 ..< rows).map { _ in Double.random(in: -1 ... 1, using: &generator) }),
            Column(name: "step", int64s: (0 ..< rows).map { Int64($0) }),
            Column(name: "run", strings: Array(repeating: "20251222_194653", count: rows)),
        ])
    }

    @Test("a SNAPPY chunk that does not shrink is stored UNCOMPRESSED; others keep SNAPPY")
    func incompressibleChunks() throws {
        let table = try Self.table(rows: 50_000)
        let bytes = try ParquetWriter.encode(table)
        let chunks = try Footer.read(from: bytes).rowGroups[0].columns.compactMap(\.metaData)
        #expect(chunks.map(\.codec) == [.uncompressed, .snappy, .snappy])
        #expect(chunks[0].totalCompressedSize == chunks[0].totalUncompressedSize)
        #expect(try ParquetReader(bytes: bytes).read() == table)

        var options = ParquetWriter.Options()
        options.uncompressedWhenIncompressible = false
        let always = try ParquetWriter.encode(table, options: options)
        #expect(try Footer.read(from: always).rowGroups[0].columns.compactMap(\.metaData?.codec) == [.snappy, .snappy, .snappy])
        #expect(bytes.count <= always.count)
    }

    @Test("pyarrow, polars, DuckDB and fastparquet read a file of mixed per-chunk codecs exactly")
    func mixedCodecsInterop() throws {
        let table = try Self.table(rows: 30_000)
        let folder = try TemporaryFolder()
        let path = folder.file("mixed.parquet")
        try ParquetWriter.write(table, to: path)
        #expect(try Footer.read(from: Array(Data(contentsOf: URL(fileURLWithPath: path)))).rowGroups[0].columns.compactMap(\.metaData?.codec)
                == [.uncompressed, .snappy, .snappy])
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow, .polars, .duckdb, .fastparquet])
        let expected = CanonicalTable(table, digest: CanonicalTable.digests(rowCount: table.rowCount, above: interopDigestAbove))
        for library in [InteropLibrary.pyarrow, .polars, .duckdb, .fastparquet] {
            let theirs = try #require(dumped[path]?.tables[library]).get()
            let differences = CanonicalTable.differences(expected: expected, actual: theirs)
            #expect(differences.isEmpty, "\(library)\n\(differences.joined(separator: "\n"))")
        }
    }

    /// UNCOMPRESSED pages of PLAIN doubles are written from the tables' own memory (after the
    /// first page, which the codec probes): three tables written in turn make one row group
    /// of three segments, each page borrowing from its own table, with a null in the middle
    /// table (whose pages then gather their values instead).
    @Test("pages written from the tables' memory, across segments, read back exactly in every library")
    func borrowedPagesAcrossSegments() throws {
        var tables = try (0 ..< 3).map { try Self.table(rows: 25_000 + 7_001 * $0, seed: 11 + UInt64($0)) }
        let noise = tables[1].columns[0]
        var withNull = ColumnBuilder(name: noise.name, type: .double, capacity: noise.count)
        for row in 0 ..< noise.count {
            if row == 12_345 { withNull.appendNull() } else { try withNull.append(noise[row]) }
        }
        tables[1] = try Table(columns: [withNull.finish()] + tables[1].columns.dropFirst())
        let folder = try TemporaryFolder()
        let path = folder.file("segments.parquet")
        let writer = try ParquetWriter(path: path, schema: Schema(of: tables[0]))
        for table in tables { try writer.write(table) }
        let metadata = try writer.close()
        let expected = try Table.concatenate(tables)
        #expect(metadata.rowGroups.count == 1)
        #expect(metadata.rowGroups[0].columns.compactMap(\.metaData?.codec) == [.uncompressed, .snappy, .snappy])
        #expect(try ParquetReader(path: path).read() == expected)
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow, .polars, .duckdb])
        let canonical = CanonicalTable(expected, digest: CanonicalTable.digests(rowCount: expected.rowCount, above: interopDigestAbove))
        for library in [InteropLibrary.pyarrow, .polars, .duckdb] {
            let theirs = try #require(dumped[path]?.tables[library]).get()
            let differences = CanonicalTable.differences(expected: canonical, actual: theirs)
            #expect(differences.isEmpty, "\(library)\n\(differences.joined(separator: "\n"))")
        }
    }

    /// UNCOMPRESSED pages borrow from the first page on; a row group of 200 small tables
    /// borrows from the first `ChunkBytes.maxSources` of them and copies the rest.
    @Test("a row group of many small tables borrows from a bounded number of them and reads back")
    func manySmallSegments() throws {
        let tables = try (0 ..< 200).map { try Self.table(rows: 500, seed: 100 + UInt64($0)) }
        var options = ParquetWriter.Options()
        options.codec = .uncompressed
        let folder = try TemporaryFolder()
        let path = folder.file("small.parquet")
        let writer = try ParquetWriter(path: path, schema: Schema(of: tables[0]), options: options)
        for table in tables { try writer.write(table) }
        let metadata = try writer.close()
        #expect(metadata.rowGroups.count == 1)
        #expect(ChunkBytes.maxSources < tables.count)
        #expect(try ParquetReader(path: path).read() == Table.concatenate(tables))
    }

    @Test("with page checksums or v2 pages, nothing is borrowed and the values still read back")
    func checksumsAndV2PagesCopyTheirValues() throws {
        let table = try Self.table(rows: 45_000, seed: 5)
        for version in [1, 2] {
            var options = ParquetWriter.Options()
            options.pageChecksums = version == 1
            options.dataPageVersion = version
            options.codec = version == 1 ? .snappy : .uncompressed
            let bytes = try ParquetWriter.encode(table, options: options)
            #expect(try ParquetReader(bytes: bytes).read() == table, "v\(version)")
        }
    }

    @Test("row groups encoded on several cores are byte for byte what one core writes")
    func parallelEncodingIsDeterministic() throws {
        let table = try Self.table(rows: 3 * ParquetWriter.parallelRowThreshold)
        var options = ParquetWriter.Options()
        options.rowGroupRowLimit = 2 * ParquetWriter.parallelRowThreshold
        let first = try ParquetWriter.encode(table, options: options)
        let second = try ParquetWriter.encode(table, options: options)
        #expect(first == second)
        let metadata = try Footer.read(from: first)
        #expect(metadata.rowGroups.count == 2)
        // Chunks follow one another in schema order from the first page after the magic.
        var expectedStart: Int64 = 4
        for group in metadata.rowGroups {
            for chunk in group.columns {
                let meta = try #require(chunk.metaData)
                #expect((meta.dictionaryPageOffset ?? meta.dataPageOffset) == expectedStart)
                expectedStart += meta.totalCompressedSize
            }
        }
        #expect(try ParquetReader(bytes: first).read() == table)
    }
}
