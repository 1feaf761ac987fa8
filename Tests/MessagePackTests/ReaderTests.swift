import MessagePack
import Testing

/// The reader accepts every valid encoding, not only the shortest, and applies its options.
@Suite("Reader: every valid encoding")
struct ReaderTests {
    static let longerForms: [Vector] = [
        Vector("uint 8 of 5", 5, hex("cc 05")),
        Vector("uint 16 of 5", 5, hex("cd 00 05")),
        Vector("uint 32 of 5", 5, hex("ce 00 00 00 05")),
        Vector("uint 64 of 5", 5, hex("cf 00 00 00 00 00 00 00 05")),
        Vector("int 8 of 5", 5, hex("d0 05")),
        Vector("int 8 of -1", -1, hex("d0 ff")),
        Vector("int 16 of -1", -1, hex("d1 ff ff")),
        Vector("int 32 of -1", -1, hex("d2 ff ff ff ff")),
        Vector("int 64 of -1", -1, hex("d3 ff ff ff ff ff ff ff ff")),
        Vector("int 64 of Int64.max", .int(.max), hex("d3 7f ff ff ff ff ff ff ff")),
        Vector("int 16 of 300", 300, hex("d1 01 2c")),
        Vector("str 8 of 1", "a", hex("d9 01 61")),
        Vector("str 16 of 1", "a", hex("da 00 01 61")),
        Vector("str 32 of 1", "a", hex("db 00 00 00 01 61")),
        Vector("str 8 of 0", "", hex("d9 00")),
        Vector("bin 16 of 1", .binary([7]), hex("c5 00 01 07")),
        Vector("bin 32 of 1", .binary([7]), hex("c6 00 00 00 01 07")),
        Vector("array 16 of 1", [1], hex("dc 00 01 01")),
        Vector("array 32 of 1", [1], hex("dd 00 00 00 01 01")),
        Vector("array 16 of 0", [], hex("dc 00 00")),
        Vector("map 16 of 1", ["a": 1], hex("de 00 01 a1 61 01")),
        Vector("map 32 of 1", ["a": 1], hex("df 00 00 00 01 a1 61 01")),
        Vector("ext 8 of 1", .ext(type: 5, data: [0xaa]), hex("c7 01 05 aa")),
        Vector("ext 16 of 2", .ext(type: 5, data: [1, 2]), hex("c8 00 02 05 01 02")),
        Vector("ext 32 of 4", .ext(type: 5, data: [1, 2, 3, 4]), hex("c9 00 00 00 04 05 01 02 03 04")),
        Vector("timestamp 32 as ext 8", .timestamp(.init(seconds: 1)), hex("c7 04 ff 00 00 00 01")),
        Vector("timestamp 64 with no nanoseconds", .timestamp(.init(seconds: 1)), hex("d7 ff 00 00 00 00 00 00 00 01")),
        Vector("timestamp 96 of a small instant", .timestamp(.init(seconds: 1, nanoseconds: 2)),
               hex("c7 0c ff 00 00 00 02 00 00 00 00 00 00 00 01")),
        Vector("float32 of an integer stays float32", .float32(3), hex("ca 40 40 00 00")),
    ]

    @Test("longer forms than needed read as the same value", arguments: longerForms)
    func readsLongerForms(_ vector: Vector) throws {
        #expect(try MessagePackValue(decoding: vector.bytes) == vector.value)
    }

    @Test("a stream of values reads one after another")
    func stream() throws {
        let bytes = hex("01 a1 61 92 c0 c3 cb 3f f8 00 00 00 00 00 00")
        let values = try bytes.withUnsafeBytes { buffer in
            var reader = MessagePackReader(buffer)
            var values: [MessagePackValue] = []
            while !reader.isAtEnd { values.append(try reader.readValue()) }
            #expect(reader.offset == bytes.count && reader.remaining == 0)
            return values
        }
        #expect(values == [1, "a", [nil, true], 1.5])
    }

    @Test("trailing bytes are an error by default and allowed by an option")
    func trailingBytes() throws {
        let error = #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("01 02 03")) }
        #expect(error?.code == .trailingBytes)
        #expect(error?.offset == 1)
        let value = try MessagePackValue(decoding: hex("01 02 03"), options: .init(allowsTrailingBytes: true))
        #expect(value == 1)
    }

    @Test("the depth limit defaults to 512 nested containers")
    func depthLimit() throws {
        let allowed = Array(repeating: UInt8(0x91), count: 512) + [0x01]
        var value = try MessagePackValue(decoding: allowed)
        var depth = 0
        while case .array(let elements) = value { value = elements[0]; depth += 1 }
        #expect(depth == 512 && value == 1)

        let deeper = Array(repeating: UInt8(0x91), count: 513) + [0x01]
        let error = #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: deeper) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == 512)

        let maps = Array(repeating: hex("81 a0"), count: 513).joined() + [0x01]
        let mapError = #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: Array(maps)) }
        #expect(mapError?.code == .depthLimitExceeded)
        #expect(mapError?.offset == 1024)
    }

    @Test("a custom depth limit applies to arrays and maps alike")
    func customDepth() throws {
        let options = MessagePackReader.Options(maximumDepth: 2)
        #expect(try MessagePackValue(decoding: hex("91 81 a0 01"), options: options) == [["": 1]])
        let error = #expect(throws: MessagePackError.self) {
            try MessagePackValue(decoding: hex("91 81 a0 90"), options: options)
        }
        #expect(error?.code == .depthLimitExceeded && error?.offset == 3)
        let none = MessagePackReader.Options(maximumDepth: 0)
        #expect(try MessagePackValue(decoding: hex("05"), options: none) == 5)
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("90"), options: none) }
    }

    @Test("the options' defaults are documented values")
    func defaults() {
        let options = MessagePackReader.Options()
        #expect(options.maximumDepth == 512)
        #expect(options.allowsTrailingBytes == false)
    }

    @Test("reading from an empty raw buffer throws instead of touching memory")
    func emptyBuffer() {
        let error = #expect(throws: MessagePackError.self) {
            try MessagePackReader.readValue(from: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        #expect(error?.code == .truncated && error?.offset == 0)
    }
}
