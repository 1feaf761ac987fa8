import Testing
@testable import Parquet

/// A plain, obviously correct snappy decoder: the reference the fast one is checked against.
/// Returns nil for anything invalid (including a size other than `size`).
func referenceSnappyDecode(_ input: [UInt8], size: Int) -> [UInt8]? {
    var index = 0
    var length = 0
    var shift = 0
    while true {
        guard index < input.count, shift <= 28 else { return nil }
        let byte = input[index]
        index += 1
        length |= Int(byte & 0x7F) << shift
        shift += 7
        if byte & 0x80 == 0 { break }
    }
    guard length <= Int(UInt32.max), length == size else { return nil }
    var output: [UInt8] = []
    func little(_ count: Int) -> Int? {
        guard input.count - index >= count else { return nil }
        var value = 0
        for i in 0 ..< count { value |= Int(input[index + i]) << (8 * i) }
        index += count
        return value
    }
    while index < input.count {
        let tag = input[index]
        index += 1
        switch tag & 3 {
        case 0:
            var count = Int(tag >> 2) + 1
            if count > 60 {
                guard let value = little(count - 60) else { return nil }
                count = value + 1
            }
            guard input.count - index >= count, output.count + count <= size else { return nil }
            output += input[index ..< index + count]
            index += count
        default:
            let count: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                guard let low = little(1) else { return nil }
                count = 4 + Int((tag >> 2) & 7)
                offset = Int(tag >> 5) << 8 | low
            case 2:
                guard let value = little(2) else { return nil }
                count = 1 + Int(tag >> 2)
                offset = value
            default:
                guard let value = little(4) else { return nil }
                count = 1 + Int(tag >> 2)
                offset = value
            }
            guard offset > 0, offset <= output.count, output.count + count <= size else { return nil }
            for _ in 0 ..< count { output.append(output[output.count - offset]) }
        }
    }
    return output.count == size ? output : nil
}

@Suite("Snappy")
struct SnappyTests {
    typealias S = CompressionSamples

    // MARK: Vectors (FORMATS.md §1.10, produced by cramjam and pyarrow)

    @Test func emptyAndOneByteVectors() throws {
        #expect(try S.decompress(.snappy, [0x00], size: 0) == [])
        #expect(try S.compress(.snappy, []) == [0x00])
        #expect(try S.decompress(.snappy, S.hex("01 00 61"), size: 1) == Array("a".utf8))
        #expect(try S.compress(.snappy, Array("a".utf8)) == S.hex("01 00 61"))
    }

    @Test func repeatedPatternVector() throws {
        let text = Array(String(repeating: "abc", count: 8).utf8)
        #expect(try S.decompress(.snappy, S.hex("18 08 61 62 63 52 03 00"), size: 24) == text)
        // Our encoder may choose other elements; what it writes must decode to the same text.
        let ours = try S.compress(.snappy, text)
        #expect(try S.decompress(.snappy, ours, size: 24) == text)
        #expect(ours.count <= 10)
    }

    @Test func literalWithOneLengthByte() throws {
        let bytes = (0 ..< 70).map { UInt8($0) }
        let encoded = [0x46, 0xF0, 0x45] + bytes
        #expect(try S.decompress(.snappy, encoded, size: 70) == bytes)
        #expect(try S.compress(.snappy, bytes) == encoded)
    }

    @Test func pyarrowDictionaryPage() throws {
        // The dictionary page body pyarrow 26 wrote for host1…host8 (FORMATS.md §1.10).
        let body = S.hex("""
            48 20 05 00 00 00 68 6f 73 74 31 11 09 00 32 11 09 00 33 11 09 00 34 11 09 00 35
            11 09 00 36 11 09 24 37 05 00 00 00 68 6f 73 74 38
            """)
        #expect(body.count == 44)
        var expected: [UInt8] = []
        for i in 1 ... 8 { expected += [5, 0, 0, 0] + Array("host\(i)".utf8) }
        #expect(try S.decompress(.snappy, body, size: 72) == expected)
    }

    // MARK: Every element form

    @Test(arguments: [(61, 300), (62, 70_000), (63, 100)])
    func literalsWithLongerLengths(tagValue: Int, length: Int) throws {
        let bytes = S.bytes(.random, count: length)
        var encoded = varint(length)
        encoded.append(UInt8(tagValue << 2))
        for i in 0 ..< tagValue - 59 { encoded.append(UInt8(truncatingIfNeeded: (length - 1) >> (8 * i))) }
        encoded += bytes
        #expect(try S.decompress(.snappy, encoded, size: length) == bytes)
    }

    @Test func copiesOfEveryKind() throws {
        // "abcdefgh", copy-1 (len 11, off 8), copy-2 (len 64, off 19), copy-4 (len 5, off 83), copy-2 (len 3, off 1).
        var encoded = varint(8 + 11 + 64 + 5 + 3)
        encoded += [7 << 2] + Array("abcdefgh".utf8)
        encoded += [0x01 | (11 - 4) << 2 | 0 << 5, 8]
        encoded += [0x02 | 63 << 2, 19, 0]
        encoded += [0x03 | 4 << 2, 83, 0, 0, 0]
        encoded += [0x02 | 2 << 2, 1, 0]
        let expected = referenceSnappyDecode(encoded, size: 91)
        #expect(expected != nil)
        #expect(try S.decompress(.snappy, encoded, size: 91) == expected)
        #expect(Array(expected!.prefix(19)) == Array("abcdefghabcdefghabc".utf8))
    }

    /// Overlapping copies at every offset 1…16 and length 1…64, both where the fast word path
    /// has room (a trailing literal follows) and at the very end of the output (byte path).
    @Test func overlappingCopies() throws {
        for offset in 1 ... 16 {
            for length in 1 ... 64 {
                for trailing in [0, 20] {
                    let prefix = (0 ..< offset).map { UInt8($0 + 1) }
                    let size = offset + length + trailing
                    var encoded = varint(size)
                    encoded += [UInt8(offset - 1) << 2] + prefix
                    encoded += [0x02 | UInt8(length - 1) << 2, UInt8(offset), 0]
                    if trailing > 0 { encoded += [UInt8(trailing - 1) << 2] + [UInt8](repeating: 0xEE, count: trailing) }
                    let decoded = try S.decompress(.snappy, encoded, size: size)
                    #expect(decoded == referenceSnappyDecode(encoded, size: size), "offset \(offset) length \(length) trailing \(trailing)")
                }
            }
        }
    }

    // MARK: Corrupt data throws

    @Test(arguments: [
        ("empty input", [], 1),
        ("preamble says 2, header 1", [0x02, 0x00, 0x61], 1),
        ("preamble truncated", [0x80], 0),
        ("preamble over 32 bits", [0xFF, 0xFF, 0xFF, 0xFF, 0x1F], 0),
        ("preamble of six bytes", [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0),
        ("bytes after an empty block", [0x00, 0x00], 0),
        ("literal past input", [0x03, 0x08, 0x61], 3),
        ("literal past output", [0x01, 0x04, 0x61, 0x62], 1),
        ("literal length byte missing", [0x46, 0xF0], 70),
        ("copy-1 offset 0", [0x05, 0x00, 0x61, 0x01, 0x00], 5),
        ("copy-1 offset beyond output", [0x05, 0x00, 0x61, 0x01, 0x02], 5),
        ("copy-2 offset beyond output", [0x05, 0x00, 0x61, 0x0E, 0x00, 0x01], 5),
        ("copy-4 offset 2^32-1", [0x05, 0x00, 0x61, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF], 5),
        ("copy-1 truncated", [0x05, 0x00, 0x61, 0x01], 5),
        ("copy-2 truncated", [0x05, 0x00, 0x61, 0x0E, 0x01], 5),
        ("copy-4 truncated", [0x05, 0x00, 0x61, 0x0F, 0x01, 0x00, 0x00], 5),
        ("copy past output", [0x03, 0x00, 0x61, 0x0E, 0x01, 0x00], 3),
        ("output short", [0x03, 0x00, 0x61], 3),
    ] as [(String, [UInt8], Int)])
    func corruptBlocksThrow(name: String, bytes: [UInt8], size: Int) {
        #expect(referenceSnappyDecode(bytes, size: size) == nil, "\(name): the reference accepts it")
        #expect(throws: ParquetError.self, "\(name)") { try S.decompress(.snappy, bytes, size: size) }
    }

    @Test func errorsSayWhatAndWhere() {
        do {
            _ = try S.decompress(.snappy, [0x05, 0x00, 0x61, 0x0E, 0x00, 0x01], size: 5)
            Issue.record("no error")
        } catch let error as ParquetError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("SNAPPY"))
            #expect(error.message.contains("offset 256"))
            #expect(error.location.offset == 3)
        } catch { Issue.record("\(error)") }
    }

    // MARK: Encoder

    @Test(arguments: CompressionSamples.Kind.allCases)
    func encoderRoundTripsAndCompresses(kind: CompressionSamples.Kind) throws {
        for size in CompressionSamples.sizes {
            let input = S.sample(kind, size)
            let compressed = try S.compress(.snappy, input)
            #expect(compressed.count <= SnappyEncoder.maxCompressedLength(size))
            #expect(try S.decompress(.snappy, compressed, size: size) == input, "\(kind) \(size)")
            if size >= 65_536 {
                let ratio = Double(compressed.count) / Double(size)
                switch kind {
                case .random: #expect(ratio < 1.01)
                case .doubles: #expect(ratio < 0.95)
                case .strings: #expect(ratio < 0.35)
                case .runs: #expect(ratio < 0.1)
                case .steps: #expect(ratio < 0.6)
                }
            }
        }
    }

    /// The writer compresses each page into one buffer it keeps: the same bytes as the array
    /// form, and nothing written past the block but the documented slack.
    @Test(arguments: CompressionSamples.Kind.allCases)
    func inPlaceCompressionMatchesTheArrayForm(kind: CompressionSamples.Kind) throws {
        for size in CompressionSamples.sizes {
            let input = S.sample(kind, size)
            let capacity = try #require(Codecs.inPlaceCapacity(.snappy, size))
            #expect(capacity == SnappyEncoder.maxCompressedLength(size) + 16)
            var buffer = [UInt8](repeating: 0xA5, count: capacity + 64)
            let written = try input.withUnsafeBytes { source in
                try buffer.withUnsafeMutableBytes { try Codecs.compress(.snappy, source, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<capacity])) }
            }
            #expect(Array(buffer.prefix(written)) == (try S.compress(.snappy, input)), "\(kind) \(size)")
            #expect(buffer[capacity...].allSatisfy { $0 == 0xA5 }, "\(kind) \(size): wrote past the capacity")
        }
    }

    @Test func inPlaceCompressionRefusesTooSmallABuffer() throws {
        let input = S.bytes(.random, count: 1000)
        var buffer = [UInt8](repeating: 0, count: SnappyEncoder.maxCompressedLength(1000) + 15)
        #expect(throws: ParquetError.self) {
            try input.withUnsafeBytes { source in try buffer.withUnsafeMutableBytes { try Codecs.compress(.snappy, source, into: $0) } }
        }
        #expect(Codecs.inPlaceCapacity(.zstd, 1000) == nil)
        #expect(throws: ParquetError.self) {
            try input.withUnsafeBytes { source in try buffer.withUnsafeMutableBytes { try Codecs.compress(.zstd, source, into: $0) } }
        }
    }

    /// A match found among the 16 positions looked up after the previous one, at each of them,
    /// and the skipping scan that follows a long stretch without matches.
    @Test func matchesAtEveryPositionOfTheFirstSixteen() throws {
        for gap in 0 ..< 20 {
            // The same 24 bytes three times: the second copy is found by the scan, the third
            // `gap` bytes after it among the 16 positions looked up right after that match;
            // then random bytes long enough for the scan to skip, and the 24 bytes again.
            let word = S.bytes(.random, count: 24, seed: 9)
            let input = word + S.bytes(.random, count: 20, seed: 13) + word + S.bytes(.random, count: gap, seed: 10) + word
                + S.bytes(.random, count: 5000, seed: 11) + word + S.bytes(.random, count: 40, seed: 12)
            let compressed = try S.compress(.snappy, input)
            #expect(try S.decompress(.snappy, compressed, size: input.count) == input, "gap \(gap)")
            #expect(referenceSnappyDecode(compressed, size: input.count) == input, "gap \(gap)")
            #expect(compressed.count < input.count + 8, "gap \(gap): the repeats are found")
        }
    }

    @Test func encoderAppendsToExistingOutput() throws {
        let input = S.bytes(.strings, count: 5000)
        var output: [UInt8] = [1, 2, 3]
        try input.withUnsafeBytes { try Codecs.compress(.snappy, $0, into: &output) }
        #expect(Array(output.prefix(3)) == [1, 2, 3])
        #expect(try S.decompress(.snappy, Array(output.dropFirst(3)), size: 5000) == input)
    }

    /// Long literals (decoded one at a time) between runs of copies (the fast loop), and a
    /// block ending in copies: the decoder switches between its loops and agrees with the reference.
    @Test func mixedDataDecodesLikeTheReference() throws {
        let input = S.bytes(.random, count: 70_000) + S.bytes(.strings, count: 70_000) + S.bytes(.random, count: 100, seed: 4)
            + S.bytes(.runs, count: 5000) + S.bytes(.random, count: 61, seed: 5) + S.bytes(.steps, count: 3000)
        let compressed = try S.compress(.snappy, input)
        let decoded = try S.decompress(.snappy, compressed, size: input.count)
        #expect(decoded == input)
        #expect(referenceSnappyDecode(compressed, size: input.count) == input)
    }

    @Test func encoderMatchesAcrossFragmentsOnlyWithin() throws {
        // The same 64 KiB twice: the second fragment cannot refer to the first, yet both compress.
        let half = S.bytes(.strings, count: 65_536, seed: 3)
        let input = half + half
        let compressed = try S.compress(.snappy, input)
        #expect(try S.decompress(.snappy, compressed, size: input.count) == input)
    }

    private func varint(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        return bytes
    }
}
