/// A bounds-checked cursor that decodes the Thrift compact protocol.
///
/// The reader never traps on its input: every read checks the bytes that remain, every
/// conversion is checked, claimed lengths and element counts are compared with the bytes left
/// *before* anything is allocated, and nesting deeper than `maxDepth` is rejected. Errors are
/// `ParquetError.corrupt` with an offset relative to the start of `buffer`; callers that know
/// where the buffer sits in a file shift it (`ParquetError.shifted(by:)`).
///
/// Structs are read with `readStruct(_:)`, which resolves field-id deltas and hands each field
/// to a closure; the closure reads the value (with the typed `read…(_:_:)` helpers, which check
/// the wire type) or calls `skip(_:)`:
///
/// ```swift
/// var reader = ThriftCompactReader(bytes)
/// var version: Int32?
/// try reader.readStruct { reader, field in
///     switch field.id {
///     case 1: version = try reader.readI32(field, "FileMetaData.version")
///     default: try reader.skip(field.type)
///     }
/// }
/// ```
package struct ThriftCompactReader {
    /// The default limit on the nesting of structs, lists, sets and maps.
    package static let defaultMaxDepth = 64

    /// The bytes being decoded. They must stay valid while the reader is used.
    package let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read, relative to the start of `buffer`.
    package private(set) var position: Int
    /// The deepest nesting of structs, lists, sets and maps accepted before throwing.
    package let maxDepth: Int
    /// The current nesting depth.
    package private(set) var depth: Int = 0

    /// Creates a reader at the start of `buffer`.
    package init(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = ThriftCompactReader.defaultMaxDepth) {
        self.buffer = buffer
        self.position = 0
        self.maxDepth = maxDepth
    }

    /// The number of bytes not yet read.
    @inlinable package var remaining: Int { buffer.count - position }

    /// Whether every byte has been read.
    @inlinable package var isAtEnd: Bool { position >= buffer.count }

    // MARK: - Primitives

    /// Reads one raw byte.
    package mutating func readByte() throws -> UInt8 {
        guard position < buffer.count else {
            throw ParquetError.corrupt("Thrift data ends unexpectedly (wanted 1 more byte)", offset: position)
        }
        let byte = buffer[position]
        position += 1
        return byte
    }

    /// Reads an unsigned LEB128 varint of up to 10 bytes.
    ///
    /// ```
    /// 1vvvvvvv 1vvvvvvv ... 0vvvvvvv     7 bits per byte, least significant group first;
    ///                                    the 10th byte may only hold the 64th bit (0 or 1)
    /// ```
    package mutating func readVarint() throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0 ..< 10 {
            guard position < buffer.count else {
                throw ParquetError.corrupt("Thrift varint is cut off by the end of the data", offset: start)
            }
            let byte = buffer[position]
            position += 1
            if index == 9 && byte > 1 {
                throw ParquetError.corrupt("Thrift varint overflows 64 bits", offset: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        // Unreachable: the 10th byte either ends the varint or throws above.
        throw ParquetError.corrupt("Thrift varint is longer than 10 bytes", offset: start)
    }

    /// Reads a varint that must fit in 32 bits (list sizes, lengths, i32 before zigzag).
    package mutating func readVarint32() throws -> UInt32 {
        let start = position
        let value = try readVarint()
        guard let narrow = UInt32(exactly: value) else {
            throw ParquetError.corrupt("Thrift varint \(value) overflows 32 bits", offset: start)
        }
        return narrow
    }

    /// Reads an `i8`: one raw byte, two's complement.
    package mutating func readI8() throws -> Int8 {
        Int8(bitPattern: try readByte())
    }

    /// Reads an `i16`: a zigzag varint that must fit in 16 bits.
    package mutating func readI16() throws -> Int16 {
        let start = position
        let value = try readI32()
        guard let narrow = Int16(exactly: value) else {
            throw ParquetError.corrupt("Thrift i16 value \(value) is out of range", offset: start)
        }
        return narrow
    }

    /// Reads an `i32` (or an enum): a zigzag varint that must fit in 32 bits.
    package mutating func readI32() throws -> Int32 {
        let zigzag = try readVarint32()
        return Int32(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
    }

    /// Reads an `i64`: a zigzag varint.
    package mutating func readI64() throws -> Int64 {
        let zigzag = try readVarint()
        return Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
    }

    /// Reads a `double`: 8 bytes, IEEE 754, little-endian.
    package mutating func readDouble() throws -> Double {
        try require(8, "a double")
        let bits = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
        position += 8
        return Double(bitPattern: bits)
    }

    /// Reads a boolean *element* of a list, set or map: one byte, 1 for true, 0 or 2 for false.
    ///
    /// Boolean *fields* carry their value in the field header; see `ThriftFieldHeader.boolValue`.
    package mutating func readBool() throws -> Bool {
        let start = position
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw ParquetError.corrupt("Thrift bool element has invalid value \(other)", offset: start)
        }
    }

    /// Reads the length prefix of a binary value and checks it against the bytes that remain.
    package mutating func readBinaryLength() throws -> Int {
        let start = position
        let raw = try readVarint32()
        guard let length = Int(exactly: raw), raw <= UInt32(Int32.max) else {
            throw ParquetError.corrupt("Thrift binary length \(raw) is negative", offset: start)
        }
        guard length <= remaining else {
            throw ParquetError.corrupt("Thrift binary claims \(length) bytes but only \(remaining) remain", offset: start)
        }
        return length
    }

    /// Reads a binary value without copying; the bytes stay valid as long as `buffer` does.
    package mutating func readBinaryBytes() throws -> UnsafeRawBufferPointer {
        let length = try readBinaryLength()
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[position ..< position + length])
        position += length
        return bytes
    }

    /// Reads a binary value into a new array.
    package mutating func readBinary() throws -> [UInt8] {
        [UInt8](try readBinaryBytes())
    }

    /// Reads a string (binary holding UTF-8; invalid sequences become U+FFFD).
    package mutating func readString() throws -> String {
        String(decoding: try readBinaryBytes(), as: UTF8.self)
    }

    /// Reads a `uuid`: 16 raw bytes.
    package mutating func readUUID() throws -> [UInt8] {
        try require(16, "a uuid")
        let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[position ..< position + 16]))
        position += 16
        return bytes
    }

    // MARK: - Headers

    /// Reads a field header, resolving its id against `previous` (the last field id of the same
    /// struct), or returns nil at the struct's stop byte.
    ///
    /// ```
    /// short form:  dddd tttt                    dddd = id delta 1...15, tttt = type
    /// long form:   0000 tttt  <zigzag i16 id>   (delta 0: the id follows)
    /// stop:        0000 0000
    /// ```
    package mutating func readFieldHeader(previous: inout Int16) throws -> ThriftFieldHeader? {
        let start = position
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftType(rawValue: byte & 0x0F), type != .stop else {
            throw ParquetError.corrupt("Thrift field header has invalid type \(byte & 0x0F)", offset: start)
        }
        let delta = byte >> 4
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            guard let resolved = Int16(exactly: Int(previous) + Int(delta)) else {
                throw ParquetError.corrupt("Thrift field id overflows 16 bits", offset: start)
            }
            id = resolved
        }
        previous = id
        return ThriftFieldHeader(id: id, type: type, offset: start)
    }

    /// Reads a list or set header; the count is checked against the bytes that remain.
    ///
    /// ```
    /// short form:  ssss tttt                    ssss = size 0...14, tttt = element type
    /// long form:   1111 tttt  <varint size>
    /// empty:       0000 0000                    (some writers; element type 0)
    /// ```
    package mutating func readListHeader() throws -> ThriftListHeader {
        let start = position
        let byte = try readByte()
        var count = Int(byte >> 4)
        if count == 15 {
            let raw = try readVarint32()
            guard raw <= UInt32(Int32.max), let size = Int(exactly: raw) else {
                throw ParquetError.corrupt("Thrift list size \(raw) is negative", offset: start)
            }
            count = size
        }
        guard let type = ThriftType(rawValue: byte & 0x0F) else {
            throw ParquetError.corrupt("Thrift list has invalid element type \(byte & 0x0F)", offset: start)
        }
        if type == .stop && count != 0 {
            throw ParquetError.corrupt("Thrift list of \(count) elements has element type 0", offset: start)
        }
        try checkCount(count, minimumSize: Self.minimumSize(of: type), "list", at: start)
        return ThriftListHeader(elementType: type, count: count)
    }

    /// Reads a map header; the count is checked against the bytes that remain.
    ///
    /// ```
    /// empty:       0000 0000
    /// otherwise:   <varint size> kkkk vvvv      kkkk = key type, vvvv = value type
    /// ```
    package mutating func readMapHeader() throws -> ThriftMapHeader {
        let start = position
        let raw = try readVarint32()
        guard raw <= UInt32(Int32.max), let count = Int(exactly: raw) else {
            throw ParquetError.corrupt("Thrift map size \(raw) is negative", offset: start)
        }
        if count == 0 { return ThriftMapHeader(keyType: .stop, valueType: .stop, count: 0) }
        let types = try readByte()
        guard let keyType = ThriftType(rawValue: types >> 4), keyType != .stop,
              let valueType = ThriftType(rawValue: types & 0x0F), valueType != .stop
        else {
            throw ParquetError.corrupt("Thrift map has invalid key/value types 0x\(String(types, radix: 16))", offset: start)
        }
        try checkCount(count, minimumSize: Self.minimumSize(of: keyType) + Self.minimumSize(of: valueType), "map", at: start)
        return ThriftMapHeader(keyType: keyType, valueType: valueType, count: count)
    }

    // MARK: - Structure

    /// Reads one struct (or union): calls `body` for every field until the stop byte.
    ///
    /// `body` must consume the field's value (read it or `skip(field.type)`). The last field id
    /// of each enclosing struct is kept in this call's frame, so nested structs restart at 0 and
    /// the outer struct resumes where it was: the field-id stack is the call stack.
    ///
    /// A field whose wire type is not the one `body` reads it as is skipped: the typed readers
    /// pass over its value and throw `ThriftFieldSkipped`, caught here, as Apache Thrift's
    /// generated readers skip such fields.
    package mutating func readStruct(_ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void) throws {
        try enter()
        defer { depth -= 1 }
        var previous: Int16 = 0
        while let field = try readFieldHeader(previous: &previous) {
            do {
                try body(&self, field)
            } catch let skipped as ThriftFieldSkipped where skipped.field == field {
                continue
            }
        }
    }

    /// Skips one value of a field of type `type`, however deeply nested; booleans have no
    /// payload here because a boolean field's value is in its header.
    package mutating func skip(_ type: ThriftType) throws {
        try skipValue(type, isElement: false)
    }

    /// Skips one value; `isElement` tells a boolean element (one byte) from a boolean field
    /// (no bytes).
    private mutating func skipValue(_ type: ThriftType, isElement: Bool) throws {
        switch type {
        case .stop:
            throw ParquetError.corrupt("Thrift type 0 (stop) has no value to skip", offset: position)
        case .boolTrue, .boolFalse:
            if isElement { _ = try readBool() }
        case .i8:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            try advance(8, "a double")
        case .uuid:
            try advance(16, "a uuid")
        case .binary:
            let length = try readBinaryLength()
            position += length
        case .list, .set:
            let header = try readListHeader()
            try enter()
            defer { depth -= 1 }
            for _ in 0 ..< header.count { try skipValue(header.elementType, isElement: true) }
        case .map:
            let header = try readMapHeader()
            try enter()
            defer { depth -= 1 }
            for _ in 0 ..< header.count {
                try skipValue(header.keyType, isElement: true)
                try skipValue(header.valueType, isElement: true)
            }
        case .struct:
            try enter()
            defer { depth -= 1 }
            var previous: Int16 = 0
            while let field = try readFieldHeader(previous: &previous) {
                try skipValue(field.type, isElement: false)
            }
        }
    }

    // MARK: - Checks

    /// Enters one level of nesting, or throws when that would exceed `maxDepth`.
    package mutating func enter() throws {
        guard depth < maxDepth else {
            throw ParquetError.corrupt("Thrift data nests deeper than \(maxDepth) levels", offset: position)
        }
        depth += 1
    }

    /// Leaves one level of nesting entered with `enter()`.
    package mutating func leave() {
        depth -= 1
    }

    /// The fewest bytes one element of `type` can take in a list, set or map.
    package static func minimumSize(of type: ThriftType) -> Int {
        switch type {
        case .stop: 0
        case .double: 8
        case .uuid: 16
        default: 1
        }
    }

    /// Throws unless `count` elements of at least `minimumSize` bytes fit in what remains.
    private func checkCount(_ count: Int, minimumSize: Int, _ what: String, at start: Int) throws {
        // count <= Int32.max and minimumSize <= 32, so the product cannot overflow.
        guard count * minimumSize <= remaining else {
            throw ParquetError.corrupt("Thrift \(what) claims \(count) elements but only \(remaining) bytes remain", offset: start)
        }
    }

    /// Throws unless `count` more bytes can be read.
    private func require(_ count: Int, _ what: String) throws {
        guard count <= remaining else {
            throw ParquetError.corrupt("Thrift data ends inside \(what) (wanted \(count) bytes, \(remaining) remain)", offset: position)
        }
    }

    /// Moves past `count` bytes after checking that they exist.
    private mutating func advance(_ count: Int, _ what: String) throws {
        try require(count, what)
        position += count
    }
}
