import InteropSupport
import Testing
@testable import Parquet

// Shared helpers for the encoding tests (RLE*, Plain*, Delta*, ByteStreamSplit*, Encoding*),
// plus tests of the internal building blocks: varints, zigzag, bit packing.

/// Bytes from hex text; spaces are ignored.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
    precondition(digits.count % 2 == 0, "odd hex digit count")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: preconditionFailure("bad hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Hex text of bytes, for failure messages.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// A reference LSB-first bit packer, written independently of the library's.
func referencePack(_ values: [UInt64], bitWidth: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (values.count * bitWidth + 7) / 8)
    var bit = 0
    for value in values {
        for b in 0 ..< bitWidth {
            if (value >> UInt64(b)) & 1 == 1 { out[bit >> 3] |= 1 << UInt8(bit & 7) }
            bit += 1
        }
    }
    return out
}

/// A varint, written independently of the library's.
func referenceULEB(_ value: UInt64) -> [UInt8] {
    var out: [UInt8] = []
    var v = value
    repeat {
        var byte = UInt8(v & 0x7f)
        v >>= 7
        if v != 0 { byte |= 0x80 }
        out.append(byte)
    } while v != 0
    return out
}

/// Runs the RLE hybrid decoder over `bytes`, returning `count` values.
func decodeRLE(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
    var output = [UInt32](repeating: 0xdead, count: count)
    try bytes.withUnsafeBytes { raw in
        var decoder = try RLEHybridDecoder(raw, bitWidth: bitWidth)
        try output.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
    }
    return output
}

/// Decodes DELTA_BINARY_PACKED Int64 values and returns them with the bytes consumed.
func decodeDeltaInt64(_ bytes: [UInt8], count: Int? = nil) throws -> (values: [Int64], consumed: Int) {
    try bytes.withUnsafeBytes { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw)
        var values = [Int64](repeating: 0, count: count ?? decoder.totalCount)
        try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        return (values, decoder.bytesConsumed)
    }
}

/// Decodes DELTA_BINARY_PACKED Int32 values and returns them with the bytes consumed.
func decodeDeltaInt32(_ bytes: [UInt8], count: Int? = nil) throws -> (values: [Int32], consumed: Int) {
    try bytes.withUnsafeBytes { raw in
        var decoder = try DeltaBinaryPackedDecoder(raw)
        var values = [Int32](repeating: 0, count: count ?? decoder.totalCount)
        try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        return (values, decoder.bytesConsumed)
    }
}

/// Random byte strings with shared prefixes, empty values and a few long ones.
func randomByteArrays(count: Int, using generator: inout SeededGenerator) -> ByteArrays {
    var values = ByteArrays()
    var previous: [UInt8] = []
    for _ in 0 ..< count {
        var value: [UInt8]
        switch generator.next() % 6 {
        case 0: value = []
        case 1: value = Array(previous.prefix(Int(generator.next() % UInt64(previous.count + 1)))) + (0 ..< Int(generator.next() % 5)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        case 2: value = (0 ..< Int(generator.next() % 300)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        default: value = (0 ..< Int(generator.next() % 12)).map { _ in UInt8.random(in: 97 ... 100, using: &generator) }
        }
        values.append(contentsOf: value)
        previous = value
    }
    return values
}

/// `ParquetError.Code` of a thrown error, or nil when the call succeeded or threw another type.
func errorCode(_ body: () throws -> Void) -> ParquetError.Code? {
    do {
        try body()
        return nil
    } catch let error as ParquetError {
        return error.code
    } catch {
        return nil
    }
}

@Suite("Encoding building blocks")
struct EncodingTests {
    @Test("ULEB128 reads and writes varints up to 64 bits")
    func varints() throws {
        let samples: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(Int32.max), UInt64.max >> 1, UInt64.max]
        for value in samples {
            var written: [UInt8] = []
            ULEB128.append(value, to: &written)
            #expect(written == referenceULEB(value))
            let decoded = try written.withUnsafeBytes { raw in
                var position = 0
                let value = try ULEB128.read(raw, at: &position, baseOffset: 0)
                #expect(position == written.count)
                return value
            }
            #expect(decoded == value)
        }
        // 300 = ac 02
        #expect(referenceULEB(300) == [0xac, 0x02])
    }

    @Test("ULEB128 rejects truncated and over-long varints", arguments: [
        [UInt8](), [0x80], [0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02],
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00],
    ])
    func badVarints(bytes: [UInt8]) {
        #expect(errorCode {
            _ = try bytes.withUnsafeBytes { raw in
                var position = 0
                return try ULEB128.read(raw, at: &position, baseOffset: 0)
            }
        } == .corrupt)
    }

    @Test("zigzag maps 0, -1, 1, -2 to 0, 1, 2, 3 and back")
    func zigzag() {
        #expect([0, -1, 1, -2, 2].map { ULEB128.zigzag($0) } == [0, 1, 2, 3, 4])
        for value: Int64 in [0, 1, -1, 63, -64, .max, .min] {
            #expect(Int64(bitPattern: ULEB128.unzigzag(ULEB128.zigzag(value))) == value)
        }
        #expect(ULEB128.zigzag(.min) == .max)
    }

    @Test("bit packing matches the reference for every width 0…64")
    func bitPacking() {
        var generator = SeededGenerator(seed: 11)
        for width in 0 ... 64 {
            let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
            for groups in [1, 2, 3, 9] {
                let values = (0 ..< groups * 8).map { _ in generator.next() & mask }
                let expected = referencePack(values, bitWidth: width)
                var packed: [UInt8] = []
                values.withUnsafeBufferPointer { BitPacker.pack($0, bitWidth: width, into: &packed) }
                #expect(packed == expected, "width \(width)")
                // Unpack with every possible amount of readable bytes (the padded slow path).
                for readable in Set([expected.count, expected.count + 16, max(0, expected.count - 1)]) {
                    var unpacked64 = [UInt64](repeating: 1, count: values.count)
                    let bytes = expected + [UInt8](repeating: 0xee, count: readable - min(readable, expected.count))
                    bytes.withUnsafeBytes { raw in
                        unpacked64.withUnsafeMutableBufferPointer { out in
                            BitUnpacker.unpack64(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, readable: min(readable, expected.count), into: out.baseAddress!, groups: groups, bitWidth: width)
                        }
                    }
                    if readable >= expected.count {
                        #expect(unpacked64 == values, "width \(width) readable \(readable)")
                    } else if width > 0 {
                        // The last byte is missing and reads as zero.
                        #expect(Array(unpacked64.prefix((expected.count - 1) * 8 / width)) == Array(values.prefix((expected.count - 1) * 8 / width)))
                    }
                    if width <= 32, readable >= expected.count {
                        var unpacked32 = [UInt32](repeating: 1, count: values.count)
                        bytes.withUnsafeBytes { raw in
                            unpacked32.withUnsafeMutableBufferPointer { out in
                                BitUnpacker.unpack32(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, readable: expected.count, into: out.baseAddress!, groups: groups, bitWidth: width)
                            }
                        }
                        #expect(unpacked32.map(UInt64.init) == values, "width \(width)")
                    }
                }
            }
        }
    }
}
