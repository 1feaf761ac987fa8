import InteropSupport
import Testing
@testable import Parquet

/// Deterministic sample data and helpers shared by the codec tests.
enum CompressionSamples {
    /// The kinds of data the codecs see in metrics tables.
    enum Kind: String, CaseIterable, CustomStringConvertible {
        /// Uniformly random bytes: incompressible.
        case random
        /// Little-endian doubles of a random walk, as a loss curve or a sensor gives.
        case doubles
        /// PLAIN byte arrays of a few repeated strings (run ids, hosts, tags).
        case strings
        /// Long runs of one byte, and runs of short patterns (overlapping copies).
        case runs
        /// Int64 steps 0, 1, 2, …
        case steps

        var description: String { rawValue }
    }

    /// Sizes around the codecs' edges: empty, tiny, snappy's 15-byte margin and 64 KiB fragments.
    static let sizes = [0, 1, 15, 16, 17, 31, 32, 33, 100, 65_535, 65_536, 65_537, 65_551, 65_552, 1 << 20]

    /// `count` bytes of sample data of `kind`, the same on every run for the same seed.
    static func bytes(_ kind: Kind, count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 64)
        switch kind {
        case .random:
            while bytes.count < count { append(generator.next(), to: &bytes) }
        case .doubles:
            var value = 100.0
            while bytes.count < count {
                value += Double(Int64(bitPattern: generator.next() % 2001) - 1000) / 1000
                append(value.bitPattern, to: &bytes)
            }
        case .strings:
            let words = ["run-2024-12-20-a", "host7", "gpu:0", "train/loss", "eval/accuracy", "x"]
            while bytes.count < count {
                let word = Array(words[Int(generator.next() % UInt64(words.count))].utf8)
                append(UInt32(word.count), to: &bytes)
                bytes += word
            }
        case .runs:
            while bytes.count < count {
                let length = Int(generator.next() % 300) + 1
                let period = Int(generator.next() % 9) + 1
                let pattern = (0 ..< period).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                for i in 0 ..< length { bytes.append(pattern[i % period]) }
            }
        case .steps:
            var step: Int64 = 0
            while bytes.count < count {
                append(step, to: &bytes)
                step += 1
            }
        }
        return Array(bytes.prefix(count))
    }

    /// `bytes(kind, count: size)` for every kind and every size in `sizes`, generated once
    /// (generating is slow in debug builds, and many tests use the same samples).
    static let standard: [Kind: [Int: [UInt8]]] = {
        var samples: [Kind: [Int: [UInt8]]] = [:]
        for kind in Kind.allCases {
            let longest = bytes(kind, count: sizes.max()!)
            for size in sizes { samples[kind, default: [:]][size] = Array(longest.prefix(size)) }
        }
        return samples
    }()

    /// A sample from `standard`.
    static func sample(_ kind: Kind, _ size: Int) -> [UInt8] {
        standard[kind]?[size] ?? bytes(kind, count: size)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    /// Compresses `input` with `codec`.
    static func compress(_ codec: CompressionCodec, _ input: [UInt8], level: Int? = nil) throws -> [UInt8] {
        var output: [UInt8] = []
        try input.withUnsafeBytes { try Codecs.compress(codec, $0, level: level, into: &output) }
        return output
    }

    /// Decompresses `input` with `codec` into `size` bytes.
    static func decompress(_ codec: CompressionCodec, _ input: [UInt8], size: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: size)
        try input.withUnsafeBytes { source in
            try output.withUnsafeMutableBytes { try Codecs.decompress(codec, source, into: $0) }
        }
        return output
    }

    /// Bytes from a hex string with optional spaces, e.g. `"01 00 61"`.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0 ... $0 + 1]), radix: 16)! }
    }

    /// The codecs whose libraries load here, LZO excluded.
    static var availableCodecs: [CompressionCodec] {
        CompressionCodec.allCases.filter { $0 != .lzo && Codecs.isAvailable($0) }
    }
}

@Suite("Compression samples")
struct CompressionSamplesTests {
    @Test func samplesAreDeterministicAndSized() {
        for kind in CompressionSamples.Kind.allCases {
            let a = CompressionSamples.bytes(kind, count: 1000, seed: 7)
            #expect(a.count == 1000)
            #expect(a == CompressionSamples.bytes(kind, count: 1000, seed: 7))
            #expect(a != CompressionSamples.bytes(kind, count: 1000, seed: 8) || kind == .steps)
        }
    }

    @Test func hexParses() {
        #expect(CompressionSamples.hex("01 00 61") == [1, 0, 0x61])
        #expect(CompressionSamples.hex("") == [])
    }
}
