import Foundation
import MessagePack
import InteropSupport
import Testing

/// Randomized mutation of real encodings: every mutated input must decode or throw a
/// `MessagePackError`, never trap, and whatever decodes must survive re-encoding unchanged.
/// The generator is seeded, so a failure repeats exactly; inputs that ever crashed the reader
/// are kept in `MutationRegressionTests`.
@Suite("Mutation: corrupt input throws, never traps")
struct MutationTests {
    /// Inputs per run; CI runs the full count in debug builds within a few seconds.
    static let iterations = 100_000

    /// Bytes that start each format family or sit at a boundary between forms.
    static let boundaryBytes: [UInt8] = [
        0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
        0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb,
        0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff, 0xfe, 0x01,
    ]

    /// The seeds: manifests, every format family, deep nesting, a Codable struct's bytes.
    static let seeds: [[UInt8]] = {
        var seeds = Samples.seeds
        seeds.append(Array(repeating: 0x91, count: 60) + [0x01])
        seeds.append(Array(repeating: hex("81 a1 6b"), count: 40).joined() + [0xc0])
        seeds.append((try? MessagePackEncoder().encode(RunManifest.sample)) ?? [])
        seeds.append(MessagePackValue.array(TimestampTests.vectors.map { .timestamp(.init(seconds: $0.seconds, nanoseconds: $0.nanoseconds)) }).encoded())
        return seeds
    }()

    @Test("100 000 mutated inputs: each decodes or throws, and what decodes re-encodes to the same value")
    func mutatedInputs() throws {
        var generator = SeededGenerator(seed: 0x5eed_2025_0002)
        var decodedCount = 0
        var codes: [String: Int] = [:]
        var mismatches: [[UInt8]] = []
        var badOffsets = 0
        let decoder = MessagePackDecoder()
        for iteration in 0 ..< Self.iterations {
            var bytes = Self.seeds[iteration % Self.seeds.count]
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            // Odd iterations read with a low depth limit, so nesting past the limit is exercised too.
            let options = iteration % 2 == 0 ? MessagePackReader.Options() : MessagePackReader.Options(maximumDepth: 48)
            do {
                let value = try MessagePackValue(decoding: bytes, options: options)
                decodedCount += 1
                let again = try MessagePackValue(decoding: value.encoded())
                if again != value && mismatches.count < 5 { mismatches.append(bytes) }
            } catch {
                // The reader throws only MessagePackError (typed throws).
                codes[error.code.description, default: 0] += 1
                if error.offset < 0 || error.offset > bytes.count { badOffsets += 1 }
            }
            // The Codable layer on top must not trap either (integer overflow, wrong types).
            if iteration % 8 == 0 {
                _ = try? decoder.decode(RunManifest.self, from: bytes)
                _ = try? decoder.decode([String: MessagePackValue].self, from: bytes)
            }
        }
        #expect(badOffsets == 0, "errors with an offset outside the input")
        #expect(mismatches.isEmpty, "re-encoding changed the value of: \(mismatches.map(hexText))")
        // Both outcomes, and every kind of error, were exercised.
        #expect(decodedCount > Self.iterations / 100)
        for code in ["truncated", "lengthPastEnd", "countExceedsRemaining", "invalidUTF8", "reservedByte", "trailingBytes",
                     "depthLimitExceeded", "invalidTimestamp"] {
            #expect(codes[code, default: 0] > 0, "no input produced \(code): \(codes)")
        }
    }

    /// Applies one random mutation.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        if bytes.isEmpty {
            bytes.append(boundaryBytes.randomElement(using: &generator)!)
            return
        }
        let position = Int.random(in: 0 ..< bytes.count, using: &generator)
        switch UInt8.random(in: 0 ..< 8, using: &generator) {
        case 0: // Flip one bit.
            bytes[position] ^= 1 << UInt8.random(in: 0 ..< 8, using: &generator)
        case 1: // Replace a byte with a boundary value.
            bytes[position] = boundaryBytes.randomElement(using: &generator)!
        case 2: // Replace a byte with any value.
            bytes[position] = UInt8.random(in: 0 ... 255, using: &generator)
        case 3: // Truncate.
            bytes.removeSubrange(position...)
        case 4: // Insert a few bytes.
            let count = Int.random(in: 1 ... 8, using: &generator)
            bytes.insert(contentsOf: (0 ..< count).map { _ in
                Bool.random(using: &generator) ? boundaryBytes.randomElement(using: &generator)! : UInt8.random(in: 0 ... 255, using: &generator)
            }, at: position)
        case 5: // Inflate a length or count field: find a header and raise what follows it.
            inflateLength(&bytes, from: position, using: &generator)
        case 6: // Delete a range.
            let end = min(bytes.count, position + Int.random(in: 1 ... 16, using: &generator))
            bytes.removeSubrange(position ..< end)
        default: // Duplicate a chunk somewhere else.
            let end = min(bytes.count, position + Int.random(in: 1 ... 32, using: &generator))
            let chunk = bytes[position ..< end]
            bytes.insert(contentsOf: chunk, at: Int.random(in: 0 ... bytes.count, using: &generator))
        }
    }

    /// Overwrites the length field after the first str/bin/ext/array/map header at or after
    /// `start` with a larger value: all ones, the top bit, or one more than it was.
    static func inflateLength(_ bytes: inout [UInt8], from start: Int, using generator: inout SeededGenerator) {
        guard let header = bytes[start...].firstIndex(where: { (0xc4 ... 0xc9).contains($0) || (0xd9 ... 0xdf).contains($0) }) else {
            bytes[start] = 0xdd
            return
        }
        let width: Int
        switch bytes[header] {
        case 0xc4, 0xc7, 0xd9: width = 1
        case 0xc5, 0xc8, 0xda, 0xdc, 0xde: width = 2
        default: width = 4
        }
        let field = header + 1 ..< min(bytes.count, header + 1 + width)
        switch UInt8.random(in: 0 ..< 3, using: &generator) {
        case 0: for index in field { bytes[index] = 0xff }
        case 1: for index in field { bytes[index] = index == field.lowerBound ? 0x80 : 0x00 }
        default:
            if let last = field.last { bytes[last] &+= 1 }
        }
    }
}

/// Inputs that once crashed or nearly crashed a reader, kept as named regressions.
@Suite("Mutation regressions")
struct MutationRegressionTests {
    @Test("a count of 2^32-1 with nothing after it allocates nothing and throws")
    func hugeCount() {
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("dd ff ff ff ff")) }
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("df ff ff ff ff")) }
    }

    @Test("a negative-looking 32-bit length is a length past the end, not a negative Int")
    func topBitLength() {
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("db 80 00 00 00 61")) }
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("c9 80 00 00 00 01 61")) }
    }

    @Test("Int64.min read as an integer does not overflow when negated or converted")
    func int64Min() throws {
        let value = try MessagePackValue(decoding: hex("d3 80 00 00 00 00 00 00 00"))
        #expect(value.uintValue == nil)
        #expect(throws: DecodingError.self) { try MessagePackDecoder().decode(UInt.self, from: hex("d3 80 00 00 00 00 00 00 00")) }
        #expect(MessagePackValue.timestamp(.init(seconds: .min)).timestampValue?.iso8601 == "-292277022657-01-27T08:29:52Z")
    }

    @Test("NaN and infinite floats decoded as integers throw instead of trapping")
    func nonFiniteToInteger() {
        #expect(throws: DecodingError.self) { try MessagePackDecoder().decode(Int.self, from: hex("cb 7f f8 00 00 00 00 00 00")) }
        #expect(throws: DecodingError.self) { try MessagePackDecoder().decode(UInt8.self, from: hex("ca ff 80 00 00")) }
        #expect(throws: DecodingError.self) { try MessagePackDecoder().decode(Int64.self, from: hex("cb 43 e0 00 00 00 00 00 00")) }
    }
}
