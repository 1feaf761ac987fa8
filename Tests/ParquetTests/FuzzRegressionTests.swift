import Foundation
import InteropSupport
import Parquet
import Testing

/// The fuzz target in CI: every committed seed of Fuzz/seeds/parquet and every input the fuzzer
/// found trapping, replayed through the target's own code and limits (`fuzzOne`, `fuzzOptions`,
/// from Fuzz/Sources/fuzz-parquet/FuzzParquet.swift, which FuzzTarget/ links). Thrown errors are
/// fine; a trap fails the whole test run.
@Suite("Fuzz regression: Parquet")
struct ParquetFuzzRegressionTests {
    @Test func everySeedReplays() throws {
        let seeds = try FuzzFiles.files(in: "seeds/parquet")
        #expect(seeds.count >= 15, "the seeds of Fuzz/make_seeds.py are missing from \(FuzzFiles.directory.path)")
        for seed in seeds {
            let bytes = [UInt8](try Data(contentsOf: seed))
            let name = seed.lastPathComponent
            fuzzOne(bytes)
            // Every seed is a valid file: it opens with the target's limits and checksums
            // verified, and each column the reader can decode (see `Schema.fields`) reads alone.
            let reader = try ParquetReader(bytes: bytes, name: name, options: fuzzOptions(verifyChecksums: true))
            #expect(!reader.schema.fields.isEmpty, "seed \(name) has no readable column")
            for field in reader.schema.fields {
                #expect(throws: Never.self, "column \(field.name) of seed \(name) does not read") {
                    try reader.read(columns: [field.name])
                }
            }
        }
    }

    @Test func everyCommittedCrasherReplays() throws {
        for file in try FuzzFiles.files(in: "crashers/parquet") {
            fuzzOne([UInt8](try Data(contentsOf: file)))
        }
    }
}
