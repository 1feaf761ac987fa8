import Testing
import Parquet

/// Helpers for driving the Thrift reader over byte arrays.
enum ThriftTesting {
    /// Runs `body` with a reader over `bytes`.
    static func read<T>(_ bytes: [UInt8], maxDepth: Int = ThriftCompactReader.defaultMaxDepth, _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            var reader = ThriftCompactReader(buffer, maxDepth: maxDepth)
            return try body(&reader)
        }
    }

    /// Runs `body` with a reader over `bytes` and also returns the reader's final position.
    static func readAll<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> (T, Int) {
        try read(bytes) { reader in
            let value = try body(&reader)
            return (value, reader.position)
        }
    }

    /// The bytes `body` writes.
    static func write(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var writer = ThriftCompactWriter()
        body(&writer)
        return writer.bytes
    }

    /// The error `body` throws, which must be a `ParquetError`.
    static func error(_ body: () throws -> Void) -> ParquetError? {
        do {
            try body()
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            Issue.record("expected a ParquetError, got \(error)")
            return nil
        }
    }

    /// Parses hex text such as `"15 04 4c"` into bytes.
    static func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").map { UInt8($0, radix: 16)! }
    }
}

@Suite("Thrift compact protocol: primitives")
struct ThriftPrimitiveTests {
    @Test("varints round-trip, edges included", arguments: [
        UInt64(0), 1, 127, 128, 300, 16_383, 16_384, 50_399, UInt64(UInt32.max), UInt64(UInt32.max) + 1,
        UInt64(Int64.max), 1 << 63, UInt64.max,
    ])
    func varintRoundTrip(value: UInt64) throws {
        let bytes = ThriftTesting.write { $0.writeVarint(value) }
        #expect(bytes.count <= 10)
        let (decoded, end) = try ThriftTesting.readAll(bytes) { try $0.readVarint() }
        #expect(decoded == value)
        #expect(end == bytes.count)
    }

    @Test("varint bytes match the specification's example and the 64-bit maximum")
    func varintBytes() throws {
        #expect(ThriftTesting.write { $0.writeVarint(50_399) } == [0xDF, 0x89, 0x03])
        #expect(ThriftTesting.write { $0.writeVarint(UInt64.max) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(ThriftTesting.write { $0.writeVarint(0) } == [0x00])
    }

    @Test("varints longer than 10 bytes or over 64 bits are rejected")
    func varintOverflow() throws {
        // 10th byte holding more than the 64th bit.
        let tooBig = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        let error1 = ThriftTesting.error { _ = try ThriftTesting.read(tooBig) { try $0.readVarint() } }
        #expect(error1?.code == .corrupt)
        #expect(error1?.location.offset == 0)
        // 11 bytes with continuation bits.
        let tooLong = [UInt8](repeating: 0x80, count: 10) + [0x00]
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(tooLong) { try $0.readVarint() } }?.code == .corrupt)
        // Cut off.
        let cut = ThriftTesting.error { _ = try ThriftTesting.read([0x01, 0x80, 0x80]) { reader in
            _ = try reader.readByte()
            return try reader.readVarint()
        } }
        #expect(cut?.location.offset == 1)
        #expect(cut?.message.contains("cut off") == true)
    }

    @Test("i32 varints over 32 bits are rejected")
    func varint32Overflow() throws {
        let bytes = ThriftTesting.write { $0.writeVarint(UInt64(UInt32.max) + 1) }
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(bytes) { try $0.readI32() } }?.code == .corrupt)
    }

    @Test("zigzag i64 round-trips, Int64.min and max included", arguments: [
        Int64.min, Int64.min + 1, -4_294_967_296, -1, 0, 1, 63, 64, -64, -65, Int64(Int32.max), Int64.max - 1, Int64.max,
    ])
    func zigzagI64(value: Int64) throws {
        let bytes = ThriftTesting.write { $0.writeI64(value) }
        #expect(try ThriftTesting.read(bytes) { try $0.readI64() } == value)
    }

    @Test("zigzag bytes of small and extreme values")
    func zigzagBytes() throws {
        #expect(ThriftTesting.write { $0.writeI32(0) } == [0x00])
        #expect(ThriftTesting.write { $0.writeI32(-1) } == [0x01])
        #expect(ThriftTesting.write { $0.writeI32(1) } == [0x02])
        #expect(ThriftTesting.write { $0.writeI32(-2) } == [0x03])
        #expect(ThriftTesting.write { $0.writeI32(Int32.max) } == [0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(ThriftTesting.write { $0.writeI32(Int32.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(ThriftTesting.write { $0.writeI64(Int64.max) } == [0xFE] + [UInt8](repeating: 0xFF, count: 8) + [0x01])
        #expect(ThriftTesting.write { $0.writeI64(Int64.min) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    @Test("zigzag i32 and i16 round-trip at their limits")
    func zigzagNarrow() throws {
        for value in [Int32.min, -1, 0, 1, Int32.max] {
            let bytes = ThriftTesting.write { $0.writeI32(value) }
            #expect(try ThriftTesting.read(bytes) { try $0.readI32() } == value)
        }
        for value in [Int16.min, -1, 0, 1, Int16.max] {
            let bytes = ThriftTesting.write { $0.writeI16(value) }
            #expect(try ThriftTesting.read(bytes) { try $0.readI16() } == value)
        }
        let tooWide = ThriftTesting.write { $0.writeI32(40_000) }
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(tooWide) { try $0.readI16() } }?.code == .corrupt)
    }

    @Test("i8 is one raw byte; double is 8 bytes little-endian")
    func i8AndDouble() throws {
        #expect(try ThriftTesting.read([0xFF]) { try $0.readI8() } == -1)
        #expect(ThriftTesting.write { $0.writeI8(-128) } == [0x80])
        #expect(ThriftTesting.write { $0.writeDouble(1.5) } == [0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
        for value in [0.0, -0.0, 1.5, -1e300, Double.infinity, Double.leastNonzeroMagnitude] {
            let bytes = ThriftTesting.write { $0.writeDouble(value) }
            #expect(try ThriftTesting.read(bytes) { try $0.readDouble() }.bitPattern == value.bitPattern)
        }
        let nan = Double(bitPattern: 0x7FF8_0000_0000_1234)
        let nanBytes = ThriftTesting.write { $0.writeDouble(nan) }
        #expect(try ThriftTesting.read(nanBytes) { try $0.readDouble() }.bitPattern == nan.bitPattern)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([1, 2, 3, 4, 5, 6, 7]) { try $0.readDouble() } }?.code == .corrupt)
    }

    @Test("binary and strings round-trip; lengths are checked before allocating")
    func binary() throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeBinary([UInt8]())
            writer.writeString("héllo")
            writer.writeBinary([UInt8](repeating: 7, count: 300))
        }
        let (values, end) = try ThriftTesting.readAll(bytes) { reader in
            (try reader.readBinary(), try reader.readString(), try reader.readBinary())
        }
        #expect(values.0 == [])
        #expect(values.1 == "héllo")
        #expect(values.2 == [UInt8](repeating: 7, count: 300))
        #expect(end == bytes.count)
        // A claimed length of Int32.max with 2 bytes behind it fails at once.
        let huge = ThriftTesting.write { $0.writeVarint(UInt64(Int32.max)) } + [1, 2]
        let error = ThriftTesting.error { _ = try ThriftTesting.read(huge) { try $0.readBinary() } }
        #expect(error?.code == .corrupt)
        #expect(error?.location.offset == 0)
        #expect(error?.message.contains("2147483647") == true)
        // A length that is negative as an i32.
        let negative = ThriftTesting.write { $0.writeVarint(UInt64(UInt32.max)) }
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(negative) { try $0.readBinary() } }?.code == .corrupt)
    }

    @Test("bool elements: 1 is true, 0 and 2 are false, anything else is corrupt")
    func boolElements() throws {
        #expect(try ThriftTesting.read([1]) { try $0.readBool() } == true)
        #expect(try ThriftTesting.read([0]) { try $0.readBool() } == false)
        #expect(try ThriftTesting.read([2]) { try $0.readBool() } == false)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([3]) { try $0.readBool() } }?.code == .corrupt)
        #expect(ThriftTesting.write { $0.writeBool(true); $0.writeBool(false) } == [1, 0])
    }

    @Test("uuid is 16 raw bytes")
    func uuid() throws {
        let value = [UInt8](0 ..< 16)
        let bytes = ThriftTesting.write { $0.writeUUID(value) }
        #expect(bytes == value)
        #expect(try ThriftTesting.read(bytes) { try $0.readUUID() } == value)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([UInt8](0 ..< 15)) { try $0.readUUID() } }?.code == .corrupt)
    }
}

@Suite("Thrift compact protocol: structs, lists, maps")
struct ThriftStructureTests {
    /// Reads a struct's fields as (id, i32 value) pairs.
    static func i32Fields(_ bytes: [UInt8]) throws -> [(Int16, Int32)] {
        try ThriftTesting.read(bytes) { reader in
            var fields: [(Int16, Int32)] = []
            try reader.readStruct { reader, field in
                fields.append((field.id, try reader.readI32(field, "test")))
            }
            #expect(reader.isAtEnd)
            return fields
        }
    }

    @Test("field headers: short deltas, long form for big or backward steps")
    func fieldHeaders() throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeStruct { writer in
                writer.writeI32Field(1, 1)
                writer.writeI32Field(17, 2)
                writer.writeI32Field(18, 3)
                writer.writeI32Field(5, 4)
                writer.writeI32Field(32_767, 5)
                writer.writeI32Field(-3, 6)
            }
        }
        #expect(bytes == ThriftTesting.hex("15 02 05 22 04 15 06 05 0a 08 05 fe ff 03 0a 05 05 0c 00"))
        let fields = try Self.i32Fields(bytes)
        #expect(fields.map(\.0) == [1, 17, 18, 5, 32_767, -3])
        #expect(fields.map(\.1) == [1, 2, 3, 4, 5, 6])
    }

    @Test("nested structs restart field ids at 0 and the outer struct resumes")
    func nestedFieldIDStack() throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeStruct { writer in
                writer.writeI32Field(1, 1)
                writer.writeStructField(2) { writer in
                    writer.writeI32Field(1, 2)
                    writer.writeI32Field(15, 3)
                }
                writer.writeI32Field(3, 4)
            }
        }
        #expect(bytes == ThriftTesting.hex("15 02 1c 15 04 e5 06 00 15 08 00"))
        let values = try ThriftTesting.read(bytes) { reader in
            var seen: [String] = []
            try reader.readStruct { reader, field in
                if field.id == 2 {
                    try reader.readStruct { reader, inner in
                        seen.append("2.\(inner.id)=\(try reader.readI32(inner, "inner"))")
                    }
                } else {
                    seen.append("\(field.id)=\(try reader.readI32(field, "outer"))")
                }
            }
            return seen
        }
        #expect(values == ["1=1", "2.1=2", "2.15=3", "3=4"])
    }

    @Test("bool fields live in the header")
    func boolFields() throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeStruct { writer in
                writer.writeBoolField(1, true)
                writer.writeBoolField(2, false)
                writer.writeBoolField(3, nil)
            }
        }
        #expect(bytes == [0x11, 0x12, 0x00])
        let values = try ThriftTesting.read(bytes) { reader in
            var values: [Bool] = []
            try reader.readStruct { reader, field in values.append(try reader.readBool(field, "flag")) }
            return values
        }
        #expect(values == [true, false])
    }

    @Test("a field id that overflows 16 bits through a delta is corrupt")
    func fieldIDOverflow() throws {
        // long form id 32767, then a short delta of 1.
        let bytes = ThriftTesting.hex("05 fe ff 03 02 15 02 00")
        let error = ThriftTesting.error { _ = try Self.i32Fields(bytes) }
        #expect(error?.code == .corrupt)
        #expect(error?.location.offset == 5)
    }

    @Test("invalid field types are corrupt", arguments: [UInt8(0x1E), 0x1F, 0x0E])
    func invalidFieldType(byte: UInt8) throws {
        let error = ThriftTesting.error { try ThriftTesting.read([byte, 0, 0]) { try $0.readStruct { r, f in try r.skip(f.type) } } }
        #expect(error?.code == .corrupt)
        #expect(error?.location.offset == 0)
    }

    @Test("a field whose wire type differs from the IDL is skipped, as Apache Thrift does")
    func wrongWireType() throws {
        // {1: binary "A", 2: i32 1}
        let fields = try Self.i32Fields(ThriftTesting.hex("18 01 41 15 02 00"))
        #expect(fields.map(\.0) == [2])
        #expect(fields.map(\.1) == [1])
    }

    @Test("list headers: short form below 15, long form from 15", arguments: [0, 1, 14, 15, 16, 300])
    func listHeaders(count: Int) throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeListHeader(.i32, count: count)
            for index in 0 ..< count { writer.writeI32(Int32(index)) }
        }
        if count < 15 {
            #expect(bytes[0] == UInt8(count) << 4 | 5)
        } else {
            #expect(bytes[0] == 0xF5)
        }
        let values = try ThriftTesting.read(bytes) { try $0.readList("numbers", of: .i32) { try $0.readI32() } }
        #expect(values == (0 ..< count).map { Int32($0) })
    }

    @Test("an empty list written as a single 0x00 reads as empty")
    func emptyListQuirk() throws {
        let header = try ThriftTesting.read([0x00]) { try $0.readListHeader() }
        #expect(header == ThriftListHeader(elementType: .stop, count: 0))
        #expect(try ThriftTesting.read([0x00]) { try $0.readList("x", of: .struct) { try $0.readI32() } }.isEmpty)
        // Element type 0 with elements is corrupt.
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([0x20, 0, 0]) { try $0.readListHeader() } }?.code == .corrupt)
    }

    @Test("bool lists accept element type 1 or 2")
    func boolLists() throws {
        for header: UInt8 in [0x31, 0x32] {
            let values = try ThriftTesting.read([header, 1, 0, 2]) { try $0.readList("flags", of: .boolFalse) { try $0.readBool() } }
            #expect(values == [true, false, false])
        }
        let written = ThriftTesting.write { writer in
            writer.writeListHeader(.boolTrue, count: 2)
            writer.writeBool(true)
            writer.writeBool(false)
        }
        #expect(written == [0x22, 1, 0])
    }

    @Test("list element counts are checked against the bytes left")
    func listCounts() throws {
        // Int32.max i32 elements claimed, 3 bytes present.
        let huge = [0xF5] + ThriftTesting.write { $0.writeVarint(UInt64(Int32.max)) } + [0, 0, 0]
        let error = ThriftTesting.error { _ = try ThriftTesting.read(huge) { try $0.readList("x", of: .i32) { try $0.readI32() } } }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("claims 2147483647 elements") == true)
        // Two doubles need 16 bytes; 9 present.
        let doubles: [UInt8] = [0x27] + [UInt8](repeating: 0, count: 9)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(doubles) { try $0.readListHeader() } }?.code == .corrupt)
        // A size over Int32.max.
        let negative = [0xF5] + ThriftTesting.write { $0.writeVarint(UInt64(UInt32.max)) }
        #expect(ThriftTesting.error { _ = try ThriftTesting.read(negative) { try $0.readListHeader() } }?.code == .corrupt)
        // A list of the wrong element type.
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([0x18, 0x00]) { try $0.readList("x", of: .i32) { try $0.readI32() } } }?.code == .corrupt)
    }

    @Test("map headers: empty is 0x00, else size and key/value types")
    func mapHeaders() throws {
        let bytes = ThriftTesting.write { writer in
            writer.writeMapHeader(key: .binary, value: .i32, count: 0)
            writer.writeMapHeader(key: .binary, value: .i32, count: 2)
            writer.writeString("a")
            writer.writeI32(1)
            writer.writeString("b")
            writer.writeI32(-1)
        }
        #expect(bytes == ThriftTesting.hex("00 02 85 01 61 02 01 62 01"))
        let (empty, full, key, value) = try ThriftTesting.read(bytes) { reader in
            (try reader.readMapHeader(), try reader.readMapHeader(), try reader.readString(), try reader.readI32())
        }
        #expect(empty == ThriftMapHeader(keyType: .stop, valueType: .stop, count: 0))
        #expect(full == ThriftMapHeader(keyType: .binary, valueType: .i32, count: 2))
        #expect(key == "a")
        #expect(value == 1)
        // Too many pairs for the bytes left; invalid types.
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([0x05, 0x85, 0, 0]) { try $0.readMapHeader() } }?.code == .corrupt)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([0x01, 0x05, 0, 0]) { try $0.readMapHeader() } }?.code == .corrupt)
        #expect(ThriftTesting.error { _ = try ThriftTesting.read([0x01, 0xE5, 0, 0]) { try $0.readMapHeader() } }?.code == .corrupt)
    }

    /// A struct with one field of every type, nested lists, sets, maps and structs, then field
    /// 100 = i32 42.
    static let everyType: [UInt8] = ThriftTesting.write { writer in
        writer.writeStruct { writer in
            writer.writeBoolField(1, true)
            writer.writeBoolField(2, false)
            writer.writeI8Field(3, -5)
            writer.writeI16Field(4, -300)
            writer.writeI32Field(5, Int32.min)
            writer.writeI64Field(6, Int64.max)
            writer.writeDoubleField(7, 3.25)
            writer.writeBinaryField(8, [1, 2, 3])
            // list<list<i32>>
            writer.writeFieldHeader(9, .list)
            writer.writeListHeader(.list, count: 3)
            for count in [0, 2, 20] {
                writer.writeListHeader(.i32, count: count)
                for index in 0 ..< count { writer.writeI32(Int32(index)) }
            }
            // set<string>
            writer.writeFieldHeader(10, .set)
            writer.writeListHeader(.binary, count: 2)
            writer.writeString("x")
            writer.writeString("yz")
            // map<string, list<struct>>
            writer.writeFieldHeader(11, .map)
            writer.writeMapHeader(key: .binary, value: .list, count: 2)
            for key in ["k1", "k2"] {
                writer.writeString(key)
                writer.writeListHeader(.struct, count: 1)
                writer.writeStruct { writer in
                    writer.writeStringField(1, key)
                    writer.writeFieldHeader(2, .map)
                    writer.writeMapHeader(key: .i32, value: .boolTrue, count: 1)
                    writer.writeI32(7)
                    writer.writeBool(true)
                }
            }
            // struct holding a map and an empty map
            writer.writeStructField(12) { writer in
                writer.writeFieldHeader(1, .map)
                writer.writeMapHeader(key: .i64, value: .double, count: 1)
                writer.writeI64(1)
                writer.writeDouble(2)
                writer.writeFieldHeader(2, .map)
                writer.writeMapHeader(key: .i64, value: .double, count: 0)
                writer.writeFieldHeader(3, .list)
                writer.writeListHeader(.boolTrue, count: 3)
                writer.writeBool(true)
                writer.writeBool(false)
                writer.writeBool(true)
            }
            writer.writeFieldHeader(13, .uuid)
            writer.writeUUID([UInt8](repeating: 0xAB, count: 16))
            writer.writeI32Field(100, 42)
        }
    }

    @Test("skip passes over every type, however nested")
    func skipEveryType() throws {
        let (value, end) = try ThriftTesting.readAll(Self.everyType) { reader in
            var found: Int32?
            var skipped: [Int16] = []
            try reader.readStruct { reader, field in
                if field.id == 100 {
                    found = try reader.readI32(field, "last")
                } else {
                    skipped.append(field.id)
                    try reader.skip(field.type)
                }
            }
            #expect(skipped == Array(1 ... 13))
            return found
        }
        #expect(value == 42)
        #expect(end == Self.everyType.count)
        // The whole struct skipped as one value.
        let (_, whole) = try ThriftTesting.readAll(Self.everyType) { try $0.skip(.struct) }
        #expect(whole == Self.everyType.count)
    }

    @Test("skip fails cleanly on every truncation of a nested struct")
    func skipTruncations() throws {
        for length in 0 ..< Self.everyType.count {
            let prefix = Array(Self.everyType[..<length])
            let error = ThriftTesting.error { try ThriftTesting.read(prefix) { try $0.skip(.struct) } }
            #expect(error?.code == .corrupt, "prefix of \(length) bytes")
        }
    }

    @Test("nesting deeper than the limit is rejected")
    func depthLimit() throws {
        // Lists of one list each, 100 deep.
        let lists = [UInt8](repeating: 0x19, count: 100) + [0x00]
        let listError = ThriftTesting.error { try ThriftTesting.read(lists) { try $0.skip(.list) } }
        #expect(listError?.code == .corrupt)
        #expect(listError?.message.contains("deeper than 64") == true)
        // Structs whose field 1 is a struct, 100 deep.
        let structs = [UInt8](repeating: 0x1C, count: 100) + [UInt8](repeating: 0, count: 101)
        #expect(ThriftTesting.error { try ThriftTesting.read(structs) { try $0.skip(.struct) } }?.code == .corrupt)
        // Maps of maps.
        // map<i8, map<i8, i8>> with one entry each: fine.
        let maps: [UInt8] = [0x01, 0x3B, 0x05, 0x01, 0x33, 0x01, 0x01]
        #expect(throws: Never.self) { try ThriftTesting.read(maps) { try $0.skip(.map) } }
        // map<i32, map<i32, ...>> 80 deep.
        let deepMaps = Array(repeating: [UInt8]([0x01, 0x5B, 0x00]), count: 80).flatMap { $0 }
        #expect(ThriftTesting.error { try ThriftTesting.read(deepMaps) { try $0.skip(.map) } }?.code == .corrupt)
        // 63 structs inside the top-level one are fine at the default limit; a limit of 8 is not.
        let nested = [UInt8](repeating: 0x1C, count: 63) + [UInt8](repeating: 0, count: 64)
        #expect(throws: Never.self) { try ThriftTesting.read(nested) { try $0.skip(.struct) } }
        #expect(ThriftTesting.error { try ThriftTesting.read(nested, maxDepth: 8) { try $0.skip(.struct) } }?.code == .corrupt)
    }

    @Test("the depth limit also guards metadata decoding")
    func depthLimitInMetadata() throws {
        // FileMetaData with an unknown field 20 holding structs 200 deep.
        let bytes = [0x0C, 0x28] + [UInt8](repeating: 0x1C, count: 200) + [UInt8](repeating: 0, count: 202)
        let error = ThriftTesting.error { _ = try ThriftTesting.read(bytes) { try FileMetaData(from: &$0) } }
        #expect(error?.code == .corrupt)
    }

    @Test("skipping type 0 is corrupt")
    func skipStop() throws {
        #expect(ThriftTesting.error { try ThriftTesting.read([0]) { try $0.skip(.stop) } }?.code == .corrupt)
    }
}
