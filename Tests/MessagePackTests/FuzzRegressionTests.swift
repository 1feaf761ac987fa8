import Foundation
import MessagePack
import Testing

/// The fuzz target's code path (Fuzz/Sources/fuzz-msgpack) in CI: every committed seed of
/// Fuzz/seeds/msgpack and every input the fuzzer found trapping, replayed through the same
/// entry points. Thrown errors are fine; a trap fails the whole test run.
@Suite("Fuzz regression: MessagePack")
struct MessagePackFuzzRegressionTests {
    /// Fuzz/ of the repository, found from this file's path.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// What the fuzz target does with one input: decode it as one value, check that the value
    /// re-encodes to bytes that decode back to an equal value, then read the bytes as a stream
    /// of values. Returns the value when the bytes hold exactly one.
    @discardableResult
    static func replay(_ bytes: [UInt8]) -> MessagePackValue? {
        let value = try? MessagePackValue(decoding: bytes)
        if let value {
            _ = value.hashValue
            _ = String(describing: value)
            let back = try? MessagePackValue(decoding: value.encoded())
            #expect(back == value, "re-encoding changes \(hexText(bytes))")
        }
        bytes.withUnsafeBytes { buffer in
            var reader = MessagePackReader(buffer, options: .init(maximumDepth: 16, allowsTrailingBytes: true))
            while !reader.isAtEnd {
                guard let item = try? reader.readValue() else { break }
                _ = item.hashValue
            }
        }
        return value
    }

    static func files(in folder: String) throws -> [URL] {
        let url = fuzzDirectory.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everySeedReplays() throws {
        let seeds = try Self.files(in: "seeds/msgpack")
        #expect(seeds.count >= 50, "the seeds of Fuzz/make_seeds.py are missing from \(Self.fuzzDirectory.path)")
        var decoded = 0
        for seed in seeds {
            let bytes = [UInt8](try Data(contentsOf: seed))
            let name = seed.lastPathComponent
            let value = Self.replay(bytes)
            if value != nil { decoded += 1 }
            // Seeds written by msgpack itself hold exactly one well-formed value.
            if !name.hasPrefix("raw_") && name != "stream.msgpack" {
                #expect(value != nil, "seed \(name) does not decode")
            }
        }
        #expect(decoded >= 50)
    }

    @Test func everyCommittedCrasherReplays() throws {
        for file in try Self.files(in: "crashers/msgpack") {
            Self.replay([UInt8](try Data(contentsOf: file)))
        }
    }
}
