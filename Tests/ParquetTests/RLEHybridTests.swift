import InteropSupport
import Testing
@testable import Parquet

@Suite("RLE / bit-packing hybrid")
struct RLEHybridTests {
    // MARK: Worked vectors (FORMATS.md §1.10, Encodings.md)

    @Test("v1 definition levels 03 00 00 00 05 fe 01 → 0,1,1,1,1,1,1,1,1,0")
    func definitionLevels() throws {
        let bytes = hexBytes("03 00 00 00 05 fe 01") + [0x99]    // a byte of the values section follows
        let (values, section) = try bytes.withUnsafeBytes { raw in
            var (decoder, section) = try RLEHybridDecoder.lengthPrefixed(raw, bitWidth: 1)
            var values = [UInt32](repeating: 9, count: 10)
            try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(decoder.bytesConsumed == 3)
            return (values, section)
        }
        #expect(values == [0, 1, 1, 1, 1, 1, 1, 1, 1, 0])
        #expect(section == 7)
    }

    @Test("dictionary indices 03 03 88 c6 fa → 0…7")
    func dictionaryIndices() throws {
        let bytes = hexBytes("03 03 88 c6 fa")
        let values = try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
            var values = [UInt32](repeating: 0, count: 8)
            try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            #expect(decoder.bytesConsumed == 4)
            return values
        }
        #expect(values == Array(0 ... 7))
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { RLEHybridEncoder.encodeDictionaryIndices($0, dictionaryCount: 8, into: &encoded) }
        #expect(encoded == bytes)
    }

    @Test("the encoder writes the worked level vector")
    func encodeDefinitionLevels() {
        var encoder = RLEHybridEncoder(bitWidth: 1)
        for level: UInt32 in [0, 1, 1, 1, 1, 1, 1, 1, 1, 0] { encoder.append(level) }
        var page: [UInt8] = []
        encoder.finishLengthPrefixed(into: &page)
        #expect(page == hexBytes("03 00 00 00 05 fe 01"))
    }

    // MARK: Bit widths

    @Test("bit width 0: RLE runs and bit-packed runs without value bytes")
    func widthZero() throws {
        #expect(try decodeRLE([0x10], bitWidth: 0, count: 8) == [UInt32](repeating: 0, count: 8))
        #expect(try decodeRLE([0x03, 0x06], bitWidth: 0, count: 11) == [UInt32](repeating: 0, count: 11))
        // A long claimed run costs nothing to decode partially.
        #expect(try decodeRLE(referenceULEB(UInt64(Int32.max) << 1), bitWidth: 0, count: 5) == [0, 0, 0, 0, 0])
        var encoded: [UInt8] = []
        [UInt32](repeating: 0, count: 20).withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 0, into: &encoded) }
        #expect(encoded == [40])    // one RLE run of 20, no value bytes
    }

    @Test("hand-built runs for widths 1, 7, 8, 31, 32", arguments: [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32])
    func widths(width: Int) throws {
        var generator = SeededGenerator(seed: UInt64(width))
        let maximum: UInt64 = (1 << UInt64(width)) - 1
        // An RLE run of the maximum value, a bit-packed run of 2 groups, an RLE run of 0.
        let literal = (0 ..< 16).map { i in i == 3 ? maximum : generator.next() & maximum }
        var bytes = referenceULEB(5 << 1)
        for i in 0 ..< (width + 7) / 8 { bytes.append(UInt8(truncatingIfNeeded: maximum >> UInt64(8 * i))) }
        bytes += referenceULEB(2 << 1 | 1) + referencePack(literal, bitWidth: width)
        bytes += referenceULEB(3 << 1) + [UInt8](repeating: 0, count: (width + 7) / 8)
        let expected = [UInt32](repeating: UInt32(maximum), count: 5) + literal.map { UInt32($0) } + [0, 0, 0]
        #expect(try decodeRLE(bytes, bitWidth: width, count: 24) == expected)
        // Stopping early inside the bit-packed run, in pieces of every size.
        for piece in 1 ... 9 {
            let values = try bytes.withUnsafeBytes { raw in
                var decoder = try RLEHybridDecoder(raw, bitWidth: width)
                var values: [UInt32] = []
                while values.count < 24 {
                    var chunk = [UInt32](repeating: 0, count: min(piece, 24 - values.count))
                    try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    values += chunk
                }
                #expect(decoder.bytesConsumed == bytes.count)
                return values
            }
            #expect(values == expected, "piece \(piece)")
        }
        // An RLE value wider than the bit width is corrupt (except at 32 bits, where none is).
        if width < 32 {
            var tooWide = referenceULEB(4 << 1)
            let value = UInt64(1) << UInt64(width)
            for i in 0 ..< (width + 7) / 8 { tooWide.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
            if value >> UInt64(8 * ((width + 7) / 8)) == 0 {
                #expect(errorCode { _ = try decodeRLE(tooWide, bitWidth: width, count: 4) } == .corrupt)
            }
        }
    }

    @Test("padding values after the last group are ignored")
    func padding() throws {
        // 10 values in 2 groups: the last 6 are padding (here 1s).
        let values: [UInt64] = [1, 0, 1, 0, 1, 0, 1, 0, 1, 1] + [1, 1, 1, 1, 1, 1]
        let bytes = referenceULEB(2 << 1 | 1) + referencePack(values, bitWidth: 1)
        #expect(try decodeRLE(bytes, bitWidth: 1, count: 10) == values.prefix(10).map { UInt32($0) })
    }

    @Test("booleans decode from RLE bit width 1")
    func booleans() throws {
        let bytes = hexBytes("04 00 00 00 06 01 03 05") // RLE run of 3 trues, bit-packed group 1,0,1,0…
        let values = try bytes.withUnsafeBytes { raw in
            var (decoder, _) = try RLEHybridDecoder.lengthPrefixed(raw, bitWidth: 1)
            var values = [Bool](repeating: false, count: 6)
            try values.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
            return values
        }
        #expect(values == [true, true, true, true, false, true])
    }

    @Test("an empty page decodes zero values from zero bytes")
    func empty() throws {
        #expect(try decodeRLE([], bitWidth: 1, count: 0) == [])
        #expect(try decodeRLE([], bitWidth: 32, count: 0) == [])
        var page: [UInt8] = []
        var encoder = RLEHybridEncoder(bitWidth: 3)
        encoder.finishLengthPrefixed(into: &page)
        #expect(page == [0, 0, 0, 0])
    }

    @Test("runs longer than 2^31 − 1 are split")
    func longRuns() throws {
        var encoder = RLEHybridEncoder(bitWidth: 1)
        encoder.append(1, count: 3_000_000_000)
        var bytes: [UInt8] = []
        encoder.finish(into: &bytes)
        #expect(bytes == referenceULEB(UInt64(Int32.max) << 1) + [1] + referenceULEB(UInt64(3_000_000_000 - Int(Int32.max)) << 1) + [1])
        #expect(try decodeRLE(bytes, bitWidth: 1, count: 100) == [UInt32](repeating: 1, count: 100))
    }

    // MARK: Corrupt input

    @Test("corrupt input throws", arguments: [
        ("empty data", [UInt8](), 1, 1),
        ("truncated header", [0x81], 1, 1),
        ("bit-packed run of 2^31 groups with 10 bytes left", referenceULEB(UInt64(1) << 32 | 1) + [UInt8](repeating: 0xff, count: 10), 1, 8),
        ("bit-packed run claiming 2^27 groups, 10 bytes left, 1000 values wanted", referenceULEB(UInt64(1) << 28 | 1) + [UInt8](repeating: 0xff, count: 10), 1, 1000),
        ("RLE run over 2^31 − 1", referenceULEB(UInt64(1) << 32) + [1], 1, 1),
        ("RLE value cut short", [0x10, 0x01], 16, 8),
        ("runs end before the values", [0x06, 0x01], 1, 4),
        ("varint over 64 bits", [UInt8](repeating: 0xff, count: 11), 1, 1),
        ("RLE value too wide", [0x10, 0x02], 1, 8),
    ])
    func corrupt(name: String, bytes: [UInt8], width: Int, count: Int) {
        #expect(errorCode { _ = try decodeRLE(bytes, bitWidth: width, count: count) } == .corrupt, "\(name)")
    }

    @Test("bad bit widths and length prefixes throw")
    func badFraming() {
        #expect(errorCode { _ = try decodeRLE([0x02, 0x00], bitWidth: 33, count: 1) } == .corrupt)
        #expect(errorCode { _ = try decodeRLE([0x02, 0x00], bitWidth: -1, count: 1) } == .corrupt)
        #expect(errorCode { _ = try [UInt8]([33, 0x02, 0, 0, 0, 0]).withUnsafeBytes { try RLEHybridDecoder.dictionaryIndices($0) } } == .corrupt)
        #expect(errorCode { _ = try [UInt8]().withUnsafeBytes { try RLEHybridDecoder.dictionaryIndices($0) } } == .corrupt)
        #expect(errorCode { _ = try [UInt8]([5, 0, 0, 0, 0x02, 0x01]).withUnsafeBytes { try RLEHybridDecoder.lengthPrefixed($0, bitWidth: 1) } } == .corrupt)
        #expect(errorCode { _ = try [UInt8]([5, 0, 0]).withUnsafeBytes { try RLEHybridDecoder.lengthPrefixed($0, bitWidth: 1) } } == .corrupt)
        #expect(errorCode { _ = try [UInt8]([0xff, 0xff, 0xff, 0xff]).withUnsafeBytes { try RLEHybridDecoder.lengthPrefixed($0, bitWidth: 1) } } == .corrupt)
    }

    @Test("errors carry the offset within the page")
    func errorOffset() {
        let bytes: [UInt8] = [0x06, 0x01]
        do {
            _ = try bytes.withUnsafeBytes { raw in
                var decoder = try RLEHybridDecoder(raw, bitWidth: 1, baseOffset: 100)
                var values = [UInt32](repeating: 0, count: 4)
                try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            }
            Issue.record("no error")
        } catch let error as ParquetError {
            #expect(error.location.offset == 102)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    // MARK: Round trips

    @Test("random values round-trip through the encoder and decoder", arguments: [0, 1, 2, 3, 5, 7, 8, 12, 16, 20, 31, 32])
    func roundTrip(width: Int) throws {
        var generator = SeededGenerator(seed: 0x5EED + UInt64(width))
        let mask: UInt32 = width == 32 ? .max : (1 << UInt32(width)) - 1
        for size in [0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 500, 504, 511, 2000, 10_007] {
            // Mix runs of repeats with random stretches.
            var values: [UInt32] = []
            while values.count < size {
                let value = UInt32(truncatingIfNeeded: generator.next()) & mask
                let run = generator.next() % 3 == 0 ? Int(generator.next() % 40) : 1
                values += [UInt32](repeating: value, count: min(run, size - values.count))
            }
            var bytes: [UInt8] = []
            var encoder = RLEHybridEncoder(bitWidth: width)
            var i = 0
            while i < values.count {
                // Use both append(_:) and append(_:count:).
                var run = 1
                while i + run < values.count, values[i + run] == values[i] { run += 1 }
                if run > 3 { encoder.append(values[i], count: run) } else { for j in 0 ..< run { encoder.append(values[i + j]) } }
                i += run
            }
            encoder.finish(into: &bytes)
            #expect(try decodeRLE(bytes, bitWidth: width, count: size) == values, "size \(size)")
            // The same values through the static helper give the same bytes.
            var again: [UInt8] = []
            values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &again) }
            #expect(again == bytes)
            // Decoding in random pieces gives the same values.
            let pieces = try bytes.withUnsafeBytes { raw in
                var decoder = try RLEHybridDecoder(raw, bitWidth: width)
                var out: [UInt32] = []
                while out.count < size {
                    var chunk = [UInt32](repeating: 0, count: min(Int(generator.next() % 20) + 1, size - out.count))
                    try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    out += chunk
                }
                return out
            }
            #expect(pieces == values)
        }
    }

    @Test("level and index bit widths")
    func bitWidthHelpers() {
        #expect(RLEHybridEncoder.levelBitWidth(maxLevel: 0) == 0)
        #expect(RLEHybridEncoder.levelBitWidth(maxLevel: 1) == 1)
        #expect(RLEHybridEncoder.levelBitWidth(maxLevel: 3) == 2)
        #expect(RLEHybridEncoder.levelBitWidth(maxLevel: 4) == 3)
        #expect(RLEHybridEncoder.dictionaryIndexBitWidth(dictionaryCount: 1) == 0)
        #expect(RLEHybridEncoder.dictionaryIndexBitWidth(dictionaryCount: 2) == 1)
        #expect(RLEHybridEncoder.dictionaryIndexBitWidth(dictionaryCount: 8) == 3)
        #expect(RLEHybridEncoder.dictionaryIndexBitWidth(dictionaryCount: 9) == 4)
    }

    @Test("deprecated BIT_PACKED levels decode MSB-first")
    func legacyBitPacked() throws {
        let bytes = hexBytes("05 39 77")
        var values = [UInt32](repeating: 0, count: 8)
        let consumed = try bytes.withUnsafeBytes { raw in
            try values.withUnsafeMutableBufferPointer { try BitPackedLevelDecoder.decode(raw, bitWidth: 3, into: $0) }
        }
        #expect(values == Array(0 ... 7))
        #expect(consumed == 3)
        var short = [UInt32](repeating: 0, count: 9)
        #expect(errorCode { _ = try bytes.withUnsafeBytes { raw in try short.withUnsafeMutableBufferPointer { try BitPackedLevelDecoder.decode(raw, bitWidth: 3, into: $0) } } } == .corrupt)
        #expect(errorCode { _ = try bytes.withUnsafeBytes { raw in try short.withUnsafeMutableBufferPointer { try BitPackedLevelDecoder.decode(raw, bitWidth: 33, into: $0) } } } == .corrupt)
    }
}
