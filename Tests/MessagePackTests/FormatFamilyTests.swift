import MessagePack
import InteropSupport
import Testing

/// A value and its shortest encoding.
struct Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let value: MessagePackValue
    let bytes: [UInt8]

    init(_ name: String, _ value: MessagePackValue, _ bytes: [UInt8]) {
        self.name = name
        self.value = value
        self.bytes = bytes
    }

    var testDescription: String { name }
}

/// Every format family at the boundaries between its forms: the writer produces exactly these
/// bytes, and the reader turns them back into the value.
@Suite("Format families: shortest encodings")
struct FormatFamilyTests {
    static let scalars: [Vector] = [
        Vector("nil", .nil, hex("c0")),
        Vector("false", false, hex("c2")),
        Vector("true", true, hex("c3")),
        Vector("0", 0, hex("00")),
        Vector("127 fixint max", 127, hex("7f")),
        Vector("128 uint 8", 128, hex("cc 80")),
        Vector("255 uint 8 max", 255, hex("cc ff")),
        Vector("256 uint 16", 256, hex("cd 01 00")),
        Vector("65535 uint 16 max", 65535, hex("cd ff ff")),
        Vector("65536 uint 32", 65536, hex("ce 00 01 00 00")),
        Vector("2^32-1 uint 32 max", 4_294_967_295, hex("ce ff ff ff ff")),
        Vector("2^32 uint 64", 4_294_967_296, hex("cf 00 00 00 01 00 00 00 00")),
        Vector("Int64.max", .int(.max), hex("cf 7f ff ff ff ff ff ff ff")),
        Vector("2^63 as uint", .uint(1 << 63), hex("cf 80 00 00 00 00 00 00 00")),
        Vector("UInt64.max", .uint(.max), hex("cf ff ff ff ff ff ff ff ff")),
        Vector("small uint", .uint(5), hex("05")),
        Vector("-1", -1, hex("ff")),
        Vector("-32 negative fixint min", -32, hex("e0")),
        Vector("-33 int 8", -33, hex("d0 df")),
        Vector("-128 int 8 min", -128, hex("d0 80")),
        Vector("-129 int 16", -129, hex("d1 ff 7f")),
        Vector("-32768 int 16 min", -32768, hex("d1 80 00")),
        Vector("-32769 int 32", -32769, hex("d2 ff ff 7f ff")),
        Vector("Int32.min", .int(Int64(Int32.min)), hex("d2 80 00 00 00")),
        Vector("Int32.min - 1 int 64", .int(Int64(Int32.min) - 1), hex("d3 ff ff ff ff 7f ff ff ff")),
        Vector("Int64.min", .int(.min), hex("d3 80 00 00 00 00 00 00 00")),
        Vector("float32 1.5", .float32(1.5), hex("ca 3f c0 00 00")),
        Vector("float32 -inf", .float32(-.infinity), hex("ca ff 80 00 00")),
        Vector("float32 smallest subnormal", .float32(.leastNonzeroMagnitude), hex("ca 00 00 00 01")),
        Vector("float64 1.5", 1.5, hex("cb 3f f8 00 00 00 00 00 00")),
        Vector("float64 0.1", 0.1, hex("cb 3f b9 99 99 99 99 99 9a")),
        Vector("float64 -0.0", .float64(-0.0), hex("cb 80 00 00 00 00 00 00 00")),
        Vector("float64 +inf", .float64(.infinity), hex("cb 7f f0 00 00 00 00 00 00")),
        Vector("float64 max", .float64(.greatestFiniteMagnitude), hex("cb 7f ef ff ff ff ff ff ff")),
        Vector("float64 1.0 stays a float", 1.0, hex("cb 3f f0 00 00 00 00 00 00")),
        Vector("empty str", "", hex("a0")),
        Vector("fixstr", "a", hex("a1 61")),
        Vector("utf-8 fixstr", "é✓", hex("a5 c3 a9 e2 9c 93")),
        Vector("empty bin", .binary([]), hex("c4 00")),
        Vector("bin 8", .binary([0, 255]), hex("c4 02 00 ff")),
        Vector("empty array", [], hex("90")),
        Vector("fixarray", [1, "a"], hex("92 01 a1 61")),
        Vector("empty map", [:], hex("80")),
        Vector("fixmap", ["a": 1], hex("81 a1 61 01")),
        Vector("map keeps key order", ["b": 1, "a": 2], hex("82 a1 62 01 a1 61 02")),
        Vector("map with non-str keys", .map([(key: 1, value: nil), (key: [true], value: 2.5)]),
               hex("82 01 c0 91 c3 cb 40 04 00 00 00 00 00 00")),
        Vector("fixext 1", .ext(type: 5, data: [0xaa]), hex("d4 05 aa")),
        Vector("fixext 2", .ext(type: 5, data: [1, 2]), hex("d5 05 01 02")),
        Vector("fixext 4", .ext(type: 5, data: [1, 2, 3, 4]), hex("d6 05 01 02 03 04")),
        Vector("fixext 8", .ext(type: 127, data: filler(8)), hex("d7 7f") + filler(8)),
        Vector("fixext 16", .ext(type: -128, data: filler(16)), hex("d8 80") + filler(16)),
        Vector("ext 8 empty", .ext(type: 1, data: []), hex("c7 00 01")),
        Vector("ext 8 of 3", .ext(type: 1, data: [1, 2, 3]), hex("c7 03 01 01 02 03")),
        Vector("ext 8 of 17", .ext(type: 1, data: filler(17)), hex("c7 11 01") + filler(17)),
    ]

    /// Forms whose length decides the header: the last length of one form and the first of the next.
    static let lengths: [Vector] = [
        Vector("fixstr 31", .string(letters(31)), hex("bf") + Array(letters(31).utf8)),
        Vector("str 8 of 32", .string(letters(32)), hex("d9 20") + Array(letters(32).utf8)),
        Vector("str 8 of 255", .string(letters(255)), hex("d9 ff") + Array(letters(255).utf8)),
        Vector("str 16 of 256", .string(letters(256)), hex("da 01 00") + Array(letters(256).utf8)),
        Vector("str 16 of 65535", .string(letters(65535)), hex("da ff ff") + Array(letters(65535).utf8)),
        Vector("str 32 of 65536", .string(letters(65536)), hex("db 00 01 00 00") + Array(letters(65536).utf8)),
        Vector("bin 8 of 255", .binary(filler(255)), hex("c4 ff") + filler(255)),
        Vector("bin 16 of 256", .binary(filler(256)), hex("c5 01 00") + filler(256)),
        Vector("bin 16 of 65535", .binary(filler(65535)), hex("c5 ff ff") + filler(65535)),
        Vector("bin 32 of 65536", .binary(filler(65536)), hex("c6 00 01 00 00") + filler(65536)),
        Vector("fixarray 15", .array(Array(repeating: 1, count: 15)), hex("9f") + Array(repeating: 1, count: 15)),
        Vector("array 16 of 16", .array(Array(repeating: 1, count: 16)), hex("dc 00 10") + Array(repeating: 1, count: 16)),
        Vector("array 16 of 65535", .array(Array(repeating: nil, count: 65535)), hex("dc ff ff") + Array(repeating: 0xc0, count: 65535)),
        Vector("array 32 of 65536", .array(Array(repeating: nil, count: 65536)), hex("dd 00 01 00 00") + Array(repeating: 0xc0, count: 65536)),
        Vector("fixmap 15", .map(Array(repeating: (key: nil, value: nil), count: 15)), hex("8f") + Array(repeating: 0xc0, count: 30)),
        Vector("map 16 of 16", .map(Array(repeating: (key: nil, value: nil), count: 16)), hex("de 00 10") + Array(repeating: 0xc0, count: 32)),
        Vector("map 16 of 65535", .map(Array(repeating: (key: nil, value: nil), count: 65535)), hex("de ff ff") + Array(repeating: 0xc0, count: 131_070)),
        Vector("map 32 of 65536", .map(Array(repeating: (key: nil, value: nil), count: 65536)), hex("df 00 01 00 00") + Array(repeating: 0xc0, count: 131_072)),
        Vector("ext 8 of 255", .ext(type: 9, data: filler(255)), hex("c7 ff 09") + filler(255)),
        Vector("ext 16 of 256", .ext(type: 9, data: filler(256)), hex("c8 01 00 09") + filler(256)),
        Vector("ext 16 of 65535", .ext(type: 9, data: filler(65535)), hex("c8 ff ff 09") + filler(65535)),
        Vector("ext 32 of 65536", .ext(type: 9, data: filler(65536)), hex("c9 00 01 00 00 09") + filler(65536)),
    ]

    @Test("the writer writes the shortest form", arguments: scalars + lengths)
    func writes(_ vector: Vector) {
        let bytes = vector.value.encoded()
        #expect(bytes == vector.bytes, "\(hexText(Array(bytes.prefix(24)))) ≠ \(hexText(Array(vector.bytes.prefix(24))))")
        #expect(MessagePackWriter.encodedSize(of: vector.value) == vector.bytes.count)
    }

    @Test("the reader reads the shortest form back", arguments: scalars + lengths)
    func reads(_ vector: Vector) throws {
        let value = try MessagePackValue(decoding: vector.bytes)
        #expect(value == vector.value)
        // And the identity bytes → value → bytes holds.
        #expect(value.encoded() == vector.bytes)
    }

    @Test("integers read back as .int unless they exceed Int64.max")
    func integerCases() throws {
        #expect(try MessagePackValue(decoding: hex("cc 80")).intValue == 128)
        if case .int(127) = try MessagePackValue(decoding: hex("7f")) {} else { Issue.record("fixint is not .int") }
        if case .int(Int64.max) = try MessagePackValue(decoding: hex("cf 7f ff ff ff ff ff ff ff")) {} else { Issue.record("Int64.max is not .int") }
        if case .uint(UInt64.max) = try MessagePackValue(decoding: hex("cf ff ff ff ff ff ff ff ff")) {} else { Issue.record("UInt64.max is not .uint") }
    }

    @Test("NaN keeps its bits through a round trip")
    func nanBits() throws {
        let quiet = Double(bitPattern: 0x7ff8_0000_0000_0001)
        let bytes = MessagePackValue.float64(quiet).encoded()
        #expect(bytes == hex("cb 7f f8 00 00 00 00 00 01"))
        guard case .float64(let back) = try MessagePackValue(decoding: bytes) else { Issue.record("not a float64"); return }
        #expect(back.bitPattern == quiet.bitPattern)
        #expect(MessagePackValue.float32(.nan).encoded() == hex("ca 7f c0 00 00"))
    }

    @Test("the streaming writer API matches the value tree")
    func streamingWriter() {
        var writer = MessagePackWriter()
        writer.writeMapHeader(count: 3)
        writer.write("n"); writer.write(-200 as Int64)
        writer.write("u"); writer.write(300 as UInt64)
        writer.write("l"); writer.writeArrayHeader(count: 5)
        writer.writeNil(); writer.write(true); writer.write(Float(0.5)); writer.write(binary: [1, 2])
        writer.write(MessagePackTimestamp(seconds: 1))
        let expected: MessagePackValue = ["n": -200, "u": 300, "l": [nil, true, .float32(0.5), .binary([1, 2]), .timestamp(.init(seconds: 1))]]
        #expect(writer.bytes == expected.encoded())
        var another = MessagePackWriter(appendingTo: [0xc0])
        another.write(7)
        another.writeExt(type: 3, data: [9])
        #expect(another.bytes == hex("c0 07 d4 03 09"))
        // A whole tree appends after what is there, growing its scratch buffer as needed.
        another.write(Samples.everyFamily)
        #expect(another.bytes == hex("c0 07 d4 03 09") + Samples.everyFamily.encoded())
        #expect(MessagePackWriter.encodedSize(of: Samples.everyFamily) == Samples.everyFamily.encoded().count)
    }
}
