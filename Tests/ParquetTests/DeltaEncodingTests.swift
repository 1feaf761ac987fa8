import InteropSupport
import Testing
@testable import Parquet

@Suite("DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY")
struct DeltaEncodingTests {
    // MARK: DELTA_BINARY_PACKED vectors

    @Test("Encodings.md example 1: 1 2 3 4 5 (block 8, 1 miniblock)")
    func specExample1() throws {
        let bytes = hexBytes("08 01 05 02 02 00")
        let (values, consumed) = try decodeDeltaInt64(bytes + [0xaa, 0xbb])
        #expect(values == [1, 2, 3, 4, 5])
        #expect(consumed == 6)
    }

    @Test("Encodings.md example 2: 7 5 3 1 2 3 4 5, min delta −2, width 2")
    func specExample2() throws {
        let bytes = hexBytes("08 01 08 0e 03 02 c0 3f")
        let (values, consumed) = try decodeDeltaInt32(bytes)
        #expect(values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(consumed == 8)
    }

    @Test("the encoder's layout: block 128, 4 miniblocks, unused miniblocks absent")
    func encoderLayout() throws {
        var encoded: [UInt8] = []
        [Int64(1), 2, 3, 4, 5].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        #expect(encoded == hexBytes("80 01 04 05 02 02 00 00 00 00"))
        #expect(try decodeDeltaInt64(encoded).values == [1, 2, 3, 4, 5])
    }

    @Test("width bytes of absent miniblocks may hold anything")
    func arbitraryUnusedWidths() throws {
        let bytes = hexBytes("80 01 04 05 02 02 00 ff 41 07")
        let (values, consumed) = try decodeDeltaInt64(bytes)
        #expect(values == [1, 2, 3, 4, 5])
        #expect(consumed == 10)
    }

    @Test("a single value is only a header; an empty page too")
    func singleAndEmpty() throws {
        #expect(try decodeDeltaInt64(hexBytes("80 01 04 01 0d")) == ([-7], 5))
        #expect(try decodeDeltaInt64(hexBytes("80 01 04 00 00")) == ([], 5))
        var encoded: [UInt8] = []
        [Int32(-7)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        #expect(encoded == hexBytes("80 01 04 01 0d"))
        encoded.removeAll()
        [Int32]().withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        #expect(encoded == hexBytes("80 01 04 00 00"))
    }

    @Test("bit width 0: constant deltas need no miniblock bytes")
    func widthZero() throws {
        let values = (0 ..< 1000).map { Int64(5 + 3 * $0) }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        // Header (2+1+2+1 bytes) and 8 blocks of minDelta 06 + 4 zero widths.
        #expect(encoded.count == 6 + 8 * 5)
        #expect(try decodeDeltaInt64(encoded).values == values)
    }

    @Test("bit width 64: deltas spanning the whole Int64 range")
    func widthSixtyFour() throws {
        let values: [Int64] = [0, .max, .min, 0, -1, .max, .min, 1]
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        #expect(try firstBlockWidths(encoded) == [64, 0, 0, 0])
        #expect(try decodeDeltaInt64(encoded) == (values, encoded.count))

        // Hand-built: first 0, min delta 0, one miniblock of width 64 whose first delta is 2^64 − 1.
        var bytes = hexBytes("80 01 04 02 00 00 40 00 00 00")
        bytes += [UInt8](repeating: 0xff, count: 8) + [UInt8](repeating: 0, count: 31 * 8)
        #expect(try decodeDeltaInt64(bytes) == ([0, -1], bytes.count))
        // Widths above 64 are corrupt.
        bytes[6] = 65
        #expect(errorCode { _ = try decodeDeltaInt64(bytes) } == .corrupt)
    }

    @Test("INT32 wraps in 32 bits; widths stay at most 32")
    func int32Wrapping() throws {
        let values: [Int32] = [.max, .min, .max, 0, .min, -1, 1, .max]
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        #expect(try firstBlockWidths(encoded).allSatisfy { $0 <= 32 })
        #expect(try decodeDeltaInt32(encoded) == (values, encoded.count))
    }

    @Test("the last miniblock is padded and later ones are absent")
    func padding() throws {
        // 40 values: 39 deltas fill miniblock 0 (32) and 7 of miniblock 1 (padded to 32).
        let values = (0 ..< 40).map { Int64($0 * $0) }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        let widths = try firstBlockWidths(encoded)
        #expect(widths == Array(encoded[6 ..< 10]))
        #expect(widths[2] == 0 && widths[3] == 0)
        #expect(encoded.count == 10 + 4 * Int(widths[0]) + 4 * Int(widths[1]))
        #expect(try decodeDeltaInt64(encoded + [1, 2, 3]) == (values, encoded.count))
    }

    @Test("decoding in pieces, skipping, and bytes consumed")
    func pieces() throws {
        var generator = SeededGenerator(seed: 3)
        let values = (0 ..< 777).map { _ in Int64(bitPattern: generator.next()) >> Int64(generator.next() % 64) }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
        let trailer: [UInt8] = [9, 9, 9]
        try (encoded + trailer).withUnsafeBytes { raw in
            for piece in [1, 3, 8, 31, 32, 33, 100, 777] {
                var decoder = try DeltaBinaryPackedDecoder(raw)
                #expect(decoder.totalCount == 777)
                var out: [Int64] = []
                while out.count < 777 {
                    var chunk = [Int64](repeating: 0, count: min(piece, 777 - out.count))
                    try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    out += chunk
                }
                #expect(out == values)
                #expect(decoder.bytesConsumed == encoded.count)
                #expect(decoder.remainingCount == 0)
            }
            for first in [0, 1, 100, 500, 777] {
                var decoder = try DeltaBinaryPackedDecoder(raw)
                var chunk = [Int64](repeating: 0, count: first)
                try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                try decoder.skipRemaining()
                #expect(decoder.bytesConsumed == encoded.count)
            }
            var decoder = try DeltaBinaryPackedDecoder(raw)
            var tooMany = [Int64](repeating: 0, count: 778)
            #expect(errorCode { try tooMany.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } } == .corrupt)
        }
    }

    @Test("random sequences round-trip (Int64 and Int32, many sizes)")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0xDE17A)
        for size in [0, 1, 2, 3, 31, 32, 33, 127, 128, 129, 130, 255, 256, 257, 1000, 4099] {
            for shape in 0 ..< 4 {
                let longs: [Int64] = (0 ..< size).map { i in
                    switch shape {
                    case 0: return Int64(bitPattern: generator.next())
                    case 1: return Int64(i) * 1000 + Int64(generator.next() % 7)
                    case 2: return Int64(bitPattern: generator.next()) >> 40
                    default: return i % 50 == 0 ? Int64.min : 42
                    }
                }
                var encoded: [UInt8] = []
                longs.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
                #expect(try decodeDeltaInt64(encoded) == (longs, encoded.count), "size \(size) shape \(shape)")
                let ints = longs.map { Int32(truncatingIfNeeded: $0) }
                encoded.removeAll()
                ints.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &encoded) }
                #expect(try decodeDeltaInt32(encoded) == (ints, encoded.count), "size \(size) shape \(shape)")
            }
        }
    }

    @Test("corrupt headers and blocks throw", arguments: [
        ("block size 0", "00 04 05 02"),
        ("no miniblocks", "80 01 00 05 02"),
        ("miniblocks of 128/3 values", "80 01 03 05 02 02 00 00 00"),
        ("miniblocks of 4 values", "08 02 05 02 02 00 00"),
        ("block size over 2^31", "80 80 80 80 10 04 05 02"),
        ("count larger than the bytes allow", "80 01 04 ff ff ff ff 0f 00 02 00 00 00 00"),
        ("truncated header", "80 01 04"),
        ("truncated widths", "80 01 04 05 02 02 00 00"),
        ("truncated miniblock", "80 01 04 05 02 02 01 00 00 00 ff"),
        ("width 65", "80 01 04 05 02 02 41 00 00 00"),
        ("min delta over 64 bits", "80 01 04 05 02 ff ff ff ff ff ff ff ff ff 7f 00 00 00 00"),
    ])
    func corrupt(name: String, hex: String) {
        #expect(errorCode { _ = try decodeDeltaInt64(hexBytes(hex)) } == .corrupt, "\(name)")
    }

    // MARK: DELTA_LENGTH_BYTE_ARRAY

    @Test("Encodings.md: Hello World Foobar ABCDEF")
    func deltaLengthExample() throws {
        let values = ByteArrays(["Hello", "World", "Foobar", "ABCDEF"])
        let expected = hexBytes("80 01 04 04 0a 00 01 00 00 00 02 00 00 00") + Array("HelloWorldFoobarABCDEF".utf8)
        var encoded: [UInt8] = []
        DeltaLengthByteArrayEncoder.encode(values, into: &encoded)
        #expect(encoded == expected)
        var decoded = ByteArrays()
        let consumed = try (encoded + [0x77]).withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 4, into: &decoded) }
        #expect(consumed == encoded.count)
        #expect(decoded == values)
    }

    @Test("DELTA_LENGTH_BYTE_ARRAY corrupt input throws")
    func deltaLengthCorrupt() throws {
        var decoded = ByteArrays()
        // Lengths 5 5 6 6, but only 21 data bytes.
        let short = hexBytes("80 01 04 04 0a 00 01 00 00 00 02 00 00 00") + Array("HelloWorldFoobarABCDE".utf8)
        #expect(errorCode { _ = try short.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 4, into: &decoded) } } == .corrupt)
        // More values asked than stored.
        let ok = hexBytes("80 01 04 04 0a 00 01 00 00 00 02 00 00 00") + Array("HelloWorldFoobarABCDEF".utf8)
        #expect(errorCode { _ = try ok.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 5, into: &decoded) } } == .corrupt)
        // A negative length: first value −1.
        let negative = hexBytes("80 01 04 01 01")
        #expect(errorCode { _ = try negative.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 1, into: &decoded) } } == .corrupt)
        // Fewer values than stored is fine.
        decoded = ByteArrays()
        #expect(try ok.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: 2, into: &decoded) } == 14 + 10)
        #expect(decoded == ByteArrays(["Hello", "World"]))
    }

    // MARK: DELTA_BYTE_ARRAY

    @Test("Encodings.md: axis axle babble babyhood")
    func deltaByteArrayExample() throws {
        let values = ByteArrays(["axis", "axle", "babble", "babyhood"])
        var encoded: [UInt8] = []
        DeltaByteArrayEncoder.encode(values, into: &encoded)
        let prefixes = hexBytes("80 01 04 04 00 03 03 00 00 00 44 01") + [UInt8](repeating: 0, count: 10)
        #expect(Array(encoded.prefix(prefixes.count)) == prefixes)
        #expect(Array(encoded.suffix(17)) == Array("axislebabbleyhood".utf8))
        var decoded = ByteArrays()
        let consumed = try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 4, into: &decoded) }
        #expect(consumed == encoded.count)
        #expect(decoded == values)
    }

    @Test("DELTA_BYTE_ARRAY for fixed-length values checks the length")
    func deltaByteArrayFixed() throws {
        let values = ByteArrays(["abcd", "abce", "abzz", "qqqq"])
        var encoded: [UInt8] = []
        DeltaByteArrayEncoder.encode(values, into: &encoded)
        var decoded = ByteArrays()
        _ = try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 4, into: &decoded, fixedLength: 4) }
        #expect(decoded == values)
        #expect(errorCode { _ = try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 4, into: &decoded, fixedLength: 5) } } == .corrupt)
    }

    @Test("DELTA_BYTE_ARRAY corrupt input throws")
    func deltaByteArrayCorrupt() throws {
        var decoded = ByteArrays()
        // Prefix 3 on the first value (previous is empty).
        var bad: [UInt8] = []
        [Int32(3)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bad) }
        [Int32(1)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bad) }
        bad += [0x61]
        #expect(errorCode { _ = try bad.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 1, into: &decoded) } } == .corrupt)
        // Prefix longer than the previous value.
        var longer: [UInt8] = []
        [Int32(0), 5].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &longer) }
        [Int32(2), 1].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &longer) }
        longer += Array("abc".utf8)
        #expect(errorCode { _ = try longer.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 2, into: &decoded) } } == .corrupt)
        // Suffix past the end.
        var past: [UInt8] = []
        [Int32(0)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &past) }
        [Int32(9)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &past) }
        past += Array("abc".utf8)
        #expect(errorCode { _ = try past.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 1, into: &decoded) } } == .corrupt)
        // Fewer suffix lengths than prefix lengths.
        var fewer: [UInt8] = []
        [Int32(0), 0].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &fewer) }
        [Int32(1)].withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &fewer) }
        fewer += Array("ab".utf8)
        #expect(errorCode { _ = try fewer.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: 2, into: &decoded) } } == .corrupt)
    }

    @Test("DELTA_BYTE_ARRAY output is bounded: full prefixes cannot blow up memory")
    func deltaByteArrayBomb() throws {
        // 100 000 values, each the previous plus one byte: 5 * 10^9 output bytes from ~1 KB.
        let count = 100_000
        var bytes: [UInt8] = []
        (0 ..< count).map { Int32($0) }.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
        [Int32](repeating: 1, count: count).withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
        bytes += [UInt8](repeating: 0x61, count: count)
        var decoded = ByteArrays()
        #expect(errorCode { _ = try bytes.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: count, into: &decoded, outputByteLimit: 1 << 20) } } == .limitExceeded)
    }

    @Test("random byte arrays round-trip through both encodings")
    func byteArrayRoundTrip() throws {
        var generator = SeededGenerator(seed: 0xB17E)
        for size in [0, 1, 2, 3, 50, 128, 129, 1000, 3000] {
            let values = randomByteArrays(count: size, using: &generator)
            var encoded: [UInt8] = []
            DeltaLengthByteArrayEncoder.encode(values, into: &encoded)
            var decoded = ByteArrays()
            #expect(try encoded.withUnsafeBytes { try DeltaLengthByteArrayDecoder.decode($0, count: size, into: &decoded) } == encoded.count)
            #expect(decoded == values)

            encoded.removeAll()
            DeltaByteArrayEncoder.encode(values, into: &encoded)
            decoded = ByteArrays()
            #expect(try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decode($0, count: size, into: &decoded) } == encoded.count)
            #expect(decoded == values, "size \(size)")
        }
    }

    /// The bit widths of the first block of a DELTA_BINARY_PACKED stream.
    private func firstBlockWidths(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { raw in
            var position = 0
            _ = try ULEB128.read(raw, at: &position, baseOffset: 0)
            let miniblocks = Int(try ULEB128.read(raw, at: &position, baseOffset: 0))
            for _ in 0 ..< 3 { _ = try ULEB128.read(raw, at: &position, baseOffset: 0) }
            return Array(bytes[position ..< position + miniblocks])
        }
    }
}
