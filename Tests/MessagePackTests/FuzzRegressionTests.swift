import Foundation
import InteropSupport
import MessagePack
import Testing

/// The fuzz target in CI: every committed seed of Fuzz/seeds/msgpack and every input the fuzzer
/// found trapping, replayed through the target's own code (`fuzzOne`, from
/// Fuzz/Sources/fuzz-msgpack/FuzzMessagePack.swift, which FuzzTarget/ links). Thrown errors are
/// fine; a trap, or a value that does not survive re-encoding, fails the whole test run.
@Suite("Fuzz regression: MessagePack")
struct MessagePackFuzzRegressionTests {
    @Test func everySeedReplays() throws {
        let seeds = try FuzzFiles.files(in: "seeds/msgpack")
        #expect(seeds.count >= 50, "the seeds of Fuzz/make_seeds.py are missing from \(FuzzFiles.directory.path)")
        var decoded = 0
        for seed in seeds {
            let bytes = [UInt8](try Data(contentsOf: seed))
            let name = seed.lastPathComponent
            fuzzOne(bytes)
            let value = try? MessagePackValue(decoding: bytes)
            if value != nil { decoded += 1 }
            // Seeds written by msgpack itself hold exactly one well-formed value.
            if !name.hasPrefix("raw_") && name != "stream.msgpack" {
                #expect(value != nil, "seed \(name) does not decode")
            }
        }
        #expect(decoded >= 50)
    }

    @Test func everyCommittedCrasherReplays() throws {
        for file in try FuzzFiles.files(in: "crashers/msgpack") {
            fuzzOne([UInt8](try Data(contentsOf: file)))
        }
    }
}
