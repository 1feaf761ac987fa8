import InteropSupport
import Testing
@testable import Parquet

/// Reads ≥100,000 mutated copies of real Parquet files — written by us and by pyarrow with
/// every page version, encoding and codec — and requires each to read or throw a
/// `ParquetError`, never to trap. The generator is seeded, so a failure reproduces.
@Suite("Parquet reader mutations")
struct ReaderMutationTests {
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        let table = try Table(columns: [
            Column(name: "s", strings: ["a", nil, "bb", "a", "ccc", nil, "a", "bb"]),
            Column(name: "i", int64s: [1, 2, nil, 4, 5, 6, nil, 8]),
            Column(name: "d", doubles: [0.5, .nan, nil, 1, 2, 3, 4, 5]),
            Column(name: "b", bools: [true, nil, false, true, true, false, nil, true]),
            Column(name: "t", timestamps: [1, 2, 3, nil, 5, 6, 7, 8], unit: .microseconds),
            Column(name: "n", int32s: [1, 1, 1, 1, 2, 2, 2, 2]),
        ])
        for codec in [CompressionCodec.uncompressed, .snappy, .gzip, .zstd] {
            var options = ParquetWriter.Options()
            options.codec = codec
            options.dataPageRowLimit = 3
            options.rowGroupRowLimit = 5
            seeds.append(("ours-\(codec)", try ParquetWriter.encode(table, options: options)))
        }
        let folder = try TemporaryFolder()
        try Python.run(code: """
            import sys, pyarrow as pa, pyarrow.parquet as pq
            t = pa.table({"s": ["a", None, "bb", "a"] * 3, "i": pa.array([1, None, 3, 4] * 3, pa.int64()),
                          "f": pa.array([1.5, 2.5, None, 0.0] * 3, pa.float32()), "b": [True, None, False, True] * 3,
                          "u": pa.array([1, 2, 3, None] * 3, pa.uint8())})
            d = sys.argv[1]
            pq.write_table(t, d + "/v1.parquet", data_page_size=16)
            pq.write_table(t, d + "/v2.parquet", data_page_version="2.0", compression="zstd")
            pq.write_table(t, d + "/delta.parquet", use_dictionary=False, compression="none",
                           column_encoding={"i": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY", "f": "BYTE_STREAM_SPLIT"})
            """, [folder.path])
        for name in ["v1", "v2", "delta"] {
            seeds.append(("pyarrow-\(name)", Array(try readFile(folder.file("\(name).parquet")))))
        }
        return seeds
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let file = try InputFile(path: path)
        return try file.read(offset: 0, count: file.size)
    }

    static func mutate(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var copy = bytes
        let edits = Int.random(in: 1 ... 4, using: &random)
        for _ in 0 ..< edits where !copy.isEmpty {
            // Favour the footer and the first pages, where the structure lives.
            let position = Bool.random(using: &random)
                ? max(0, copy.count - 1 - Int.random(in: 0 ..< min(copy.count, 400), using: &random))
                : Int.random(in: 0 ..< copy.count, using: &random)
            switch Int.random(in: 0 ..< 7, using: &random) {
            case 0: copy[position] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &random)
            case 1: copy[position] = [0x00, 0xff, 0x7f, 0x80, 0x15, 0x1c, 0x19, 0x0c][Int.random(in: 0 ..< 8, using: &random)]
            case 2: copy[position] = UInt8.random(in: 0 ... 255, using: &random)
            case 3:
                // A huge little-endian length or count.
                let huge: [UInt8] = [0xff, 0xff, 0xff, 0x7f]
                for k in 0 ..< 4 where position + k < copy.count { copy[position + k] = huge[k] }
            case 4: copy.removeSubrange(position ..< min(copy.count, position + Int.random(in: 1 ... 16, using: &random)))
            case 5: copy.insert(contentsOf: [UInt8](repeating: UInt8.random(in: 0 ... 255, using: &random), count: Int.random(in: 1 ... 8, using: &random)), at: position)
            default: copy = Array(copy.prefix(position))
            }
        }
        return copy
    }

    @Test func mutatedFilesNeverTrap() throws {
        let seeds = try Self.seeds()
        for seed in seeds {
            let table = try ParquetReader(bytes: seed.bytes, name: seed.name).read()
            #expect(table.rowCount > 0, "seed \(seed.name) must read before it is mutated")
        }
        var options = ReadOptions()
        options.maxPageSize = 1 << 20
        options.maxValuesPerPage = 1 << 16
        options.verifyChecksums = true
        var random = SeededGenerator(seed: 0x5EED_0F_5EC1_3E)
        var outcomes = (read: 0, rejected: 0)
        let iterations = 100_000
        for iteration in 0 ..< iterations {
            let seed = seeds[iteration % seeds.count]
            let input = Self.mutate(seed.bytes, &random)
            do {
                let reader = try ParquetReader(bytes: input, name: seed.name, options: options)
                _ = try reader.read(columns: reader.nestedColumns.isEmpty ? nil : reader.schema.names)
                outcomes.read += 1
            } catch is ParquetError {
                outcomes.rejected += 1
            } catch {
                Issue.record("iteration \(iteration) (seed \(seed.name)) threw a non-Parquet error: \(error)")
            }
        }
        #expect(outcomes.read + outcomes.rejected == iterations)
        #expect(outcomes.rejected > iterations / 10, "mutations should mostly be caught: \(outcomes)")
    }
}
