/// Encodes the Thrift compact protocol by appending to a byte array.
///
/// Fields use the short header form (`dddd tttt`, delta 1...15 from the previous field of the
/// same struct) whenever they are written in increasing id order, and the long form otherwise;
/// `writeStruct(_:)` keeps each struct's last id and ends the struct with `0x00`. The optional
/// field writers (`writeI32Field(_:_:)` and friends) write nothing for `nil`.
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.writeStruct { writer in
///     writer.writeI32Field(1, 1)                 // 15 02
///     writer.writeStringField(4, "schema")       // 38 06 's' 'c' 'h' 'e' 'm' 'a'
/// }                                              // 00
/// ```
package struct ThriftCompactWriter {
    /// The bytes written so far.
    package var bytes: [UInt8]
    /// The id of the last field written in the innermost open struct.
    private var lastFieldID: Int16 = 0

    /// Creates an empty writer with room for `capacity` bytes.
    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Creates a writer that appends to `bytes`.
    package init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - Primitives

    /// Appends one raw byte.
    @inlinable package mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends an unsigned LEB128 varint (1 to 10 bytes).
    package mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends an `i8`: one raw byte.
    package mutating func writeI8(_ value: Int8) {
        bytes.append(UInt8(bitPattern: value))
    }

    /// Appends an `i16` as a zigzag varint.
    package mutating func writeI16(_ value: Int16) {
        writeI32(Int32(value))
    }

    /// Appends an `i32` (or an enum) as a zigzag varint.
    package mutating func writeI32(_ value: Int32) {
        writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Appends an `i64` as a zigzag varint.
    package mutating func writeI64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends a `double`: 8 bytes, IEEE 754, little-endian.
    package mutating func writeDouble(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0 ..< 8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    /// Appends a boolean *element* of a list, set or map: 1 for true, 0 for false.
    package mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends a binary value: varint length, then the bytes.
    package mutating func writeBinary(_ value: some Collection<UInt8>) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a string as binary UTF-8.
    package mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends a `uuid`: exactly 16 raw bytes.
    package mutating func writeUUID(_ value: [UInt8]) {
        precondition(value.count == 16, "a Thrift uuid is 16 bytes")
        bytes.append(contentsOf: value)
    }

    // MARK: - Headers

    /// Appends a field header: short form when the id is 1...15 above the previous field's,
    /// long form (type byte, then the id as a zigzag i16) otherwise.
    ///
    /// ```
    /// short form:  dddd tttt
    /// long form:   0000 tttt  <zigzag i16 id>
    /// ```
    package mutating func writeFieldHeader(_ id: Int16, _ type: ThriftType) {
        precondition(type != .stop, "a field cannot have type stop")
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeI16(id)
        }
        lastFieldID = id
    }

    /// Appends a list or set header: `ssss tttt` below 15 elements, else `1111 tttt` + varint.
    package mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "a Thrift list holds at most Int32.max elements")
        let type = elementType.isBool ? ThriftType.boolFalse.rawValue : elementType.rawValue
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type)
        } else {
            bytes.append(0xF0 | type)
            writeVarint(UInt64(count))
        }
    }

    /// Appends a map header: `0x00` when empty, else varint count + `kkkk vvvv`.
    package mutating func writeMapHeader(key: ThriftType, value: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "a Thrift map holds at most Int32.max pairs")
        if count == 0 {
            bytes.append(0)
            return
        }
        writeVarint(UInt64(count))
        let keyType = key.isBool ? ThriftType.boolFalse.rawValue : key.rawValue
        let valueType = value.isBool ? ThriftType.boolFalse.rawValue : value.rawValue
        bytes.append(keyType << 4 | valueType)
    }

    // MARK: - Structure

    /// Writes one struct: `body` writes its fields, then the stop byte `0x00` is appended.
    /// Field ids inside restart at 0; the enclosing struct's last id is restored afterwards.
    package mutating func writeStruct(_ body: (inout ThriftCompactWriter) -> Void) {
        let saved = lastFieldID
        lastFieldID = 0
        body(&self)
        bytes.append(0)
        lastFieldID = saved
    }

    // MARK: - Fields

    /// Writes a boolean field (its value goes in the header); nothing for nil.
    package mutating func writeBoolField(_ id: Int16, _ value: Bool?) {
        guard let value else { return }
        writeFieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    /// Writes an `i8` field; nothing for nil.
    package mutating func writeI8Field(_ id: Int16, _ value: Int8?) {
        guard let value else { return }
        writeFieldHeader(id, .i8)
        writeI8(value)
    }

    /// Writes an `i16` field; nothing for nil.
    package mutating func writeI16Field(_ id: Int16, _ value: Int16?) {
        guard let value else { return }
        writeFieldHeader(id, .i16)
        writeI16(value)
    }

    /// Writes an `i32` (or enum) field; nothing for nil.
    package mutating func writeI32Field(_ id: Int16, _ value: Int32?) {
        guard let value else { return }
        writeFieldHeader(id, .i32)
        writeI32(value)
    }

    /// Writes an `i64` field; nothing for nil.
    package mutating func writeI64Field(_ id: Int16, _ value: Int64?) {
        guard let value else { return }
        writeFieldHeader(id, .i64)
        writeI64(value)
    }

    /// Writes a `double` field; nothing for nil.
    package mutating func writeDoubleField(_ id: Int16, _ value: Double?) {
        guard let value else { return }
        writeFieldHeader(id, .double)
        writeDouble(value)
    }

    /// Writes a `binary` field; nothing for nil.
    package mutating func writeBinaryField(_ id: Int16, _ value: [UInt8]?) {
        guard let value else { return }
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    /// Writes a `string` field; nothing for nil.
    package mutating func writeStringField(_ id: Int16, _ value: String?) {
        guard let value else { return }
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    /// Writes a struct field whose fields `body` writes.
    package mutating func writeStructField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        writeFieldHeader(id, .struct)
        writeStruct(body)
    }

    /// Writes a `list` field of `elements`, each of wire type `elementType` and written by
    /// `element`; nothing for nil.
    package mutating func writeListField<Element>(
        _ id: Int16,
        of elementType: ThriftType,
        _ elements: [Element]?,
        _ element: (inout ThriftCompactWriter, Element) -> Void
    ) {
        guard let elements else { return }
        writeFieldHeader(id, .list)
        writeListHeader(elementType, count: elements.count)
        for value in elements { element(&self, value) }
    }
}
