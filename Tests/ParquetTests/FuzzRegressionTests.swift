import Foundation
import Parquet
import Testing

/// The fuzz target's code path (Fuzz/Sources/fuzz-parquet) in CI: every committed seed of
/// Fuzz/seeds/parquet and every input the fuzzer found trapping, replayed through the same
/// entry points with the same limits. Thrown errors are fine; a trap fails the whole test run.
@Suite("Fuzz regression: Parquet")
struct ParquetFuzzRegressionTests {
    /// Fuzz/ of the repository, found from this file's path.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The fuzz target's limits: small enough that claimed huge sizes are rejected.
    static func options(verifyChecksums: Bool) -> ReadOptions {
        var options = ReadOptions()
        options.maxPageSize = 1 << 20
        options.maxFooterSize = 1 << 20
        options.maxValuesPerPage = 1 << 16
        options.verifyChecksums = verifyChecksums
        return options
    }

    static func touch(_ table: Table) {
        var hasher = Hasher()
        for column in table.columns {
            for index in 0 ..< column.count {
                hasher.combine(column[index])
                hasher.combine(column[index].description)
            }
        }
        _ = hasher.finalize()
    }

    /// What the fuzz target does with one input, with and without checksum verification: open
    /// it, read the metadata, the whole file, the first rows, each row group, each column.
    /// Returns whether the file opened and each of its readable columns read alone, with
    /// checksums verified.
    @discardableResult
    static func replay(_ bytes: [UInt8]) -> Bool {
        var everyColumnRead = false
        for verify in [false, true] {
            guard let reader = try? ParquetReader(bytes: bytes, name: "fuzz", options: options(verifyChecksums: verify)) else { continue }
            _ = String(describing: reader.metadata)
            _ = reader.rowCount
            if let table = try? reader.read() { touch(table) }
            if let first = try? reader.read(limit: 3) { touch(first) }
            for group in 0 ..< reader.rowGroupCount {
                if let part = try? reader.readRowGroup(group) { touch(part) }
            }
            everyColumnRead = verify
            for field in reader.schema.fields {
                if let column = try? reader.read(columns: [field.name]) { touch(column) } else { everyColumnRead = false }
            }
        }
        return everyColumnRead
    }

    static func files(in folder: String) throws -> [URL] {
        let url = fuzzDirectory.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everySeedReplays() throws {
        let seeds = try Self.files(in: "seeds/parquet")
        #expect(seeds.count >= 15, "the seeds of Fuzz/make_seeds.py are missing from \(Self.fuzzDirectory.path)")
        for seed in seeds {
            let bytes = [UInt8](try Data(contentsOf: seed))
            let name = seed.lastPathComponent
            // Every seed is a valid file: it opens, and each column the reader can decode (see
            // `Schema.fields`) reads alone, with checksums verified.
            let reader = try ParquetReader(bytes: bytes, name: name, options: Self.options(verifyChecksums: true))
            #expect(!reader.schema.fields.isEmpty, "seed \(name) has no readable column")
            #expect(Self.replay(bytes), "a column of seed \(name) does not read")
        }
    }

    @Test func everyCommittedCrasherReplays() throws {
        for file in try Self.files(in: "crashers/parquet") {
            Self.replay([UInt8](try Data(contentsOf: file)))
        }
    }
}
