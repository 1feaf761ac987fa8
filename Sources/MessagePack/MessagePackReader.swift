/// Reads MessagePack values from bytes through a bounds-checked cursor.
///
/// The reader accepts every valid encoding of a value (not only the shortest) and throws a
/// ``MessagePackError`` with the byte offset for anything else: data that ends early, a length
/// or count that the remaining bytes cannot hold, invalid UTF-8 in a str, the unused byte 0xc1,
/// a malformed timestamp, nesting deeper than ``Options/maximumDepth``, and — when reading a
/// whole input — bytes after the value. It never traps on bad input, and it reserves memory for
/// an array or map only after checking that the remaining bytes could hold the claimed count.
///
/// ```swift
/// // A whole input holding one value:
/// let value = try MessagePackReader.readValue(from: bytes)
///
/// // A stream of values, one after another:
/// try bytes.withUnsafeBytes { buffer in
///     var reader = MessagePackReader(buffer)
///     while !reader.isAtEnd {
///         let record = try reader.readValue()
///         …
///     }
/// }
/// ```
///
/// The reader only borrows the buffer: it must not outlive the memory it was given.
public struct MessagePackReader {
    /// The bytes being read.
    public let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public private(set) var offset: Int
    /// The limits and choices this reader applies.
    public let options: Options

    /// Creates a reader over `buffer`, starting at its first byte.
    public init(_ buffer: UnsafeRawBufferPointer, options: Options = Options()) {
        self.buffer = buffer
        self.offset = 0
        self.options = options
    }

    /// The number of bytes not read yet.
    public var remaining: Int { buffer.count - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= buffer.count }

    /// Reads the next value and leaves the cursor after it.
    public mutating func readValue() throws(MessagePackError) -> MessagePackValue {
        try readValue(depth: 0)
    }

    /// Reads the value that makes up the rest of the input: after it, the input must end, unless
    /// ``Options/allowsTrailingBytes`` is set.
    public mutating func readTopLevelValue() throws(MessagePackError) -> MessagePackValue {
        let value = try readValue(depth: 0)
        if !options.allowsTrailingBytes && offset < buffer.count {
            throw MessagePackError(.trailingBytes, offset: offset,
                                   reason: "\(buffer.count - offset) bytes follow the value that ends here")
        }
        return value
    }

    /// Reads the one value that `bytes` holds (see ``readTopLevelValue()``).
    public static func readValue(from bytes: [UInt8], options: Options = Options()) throws(MessagePackError) -> MessagePackValue {
        // `withUnsafeBytes` rethrows untyped errors: carry the typed result out instead.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(MessagePackError) -> MessagePackValue in
                var reader = MessagePackReader(buffer, options: options)
                return try reader.readTopLevelValue()
            }
        }
        return try result.get()
    }

    /// Reads the one value that `buffer` holds (see ``readTopLevelValue()``).
    public static func readValue(from buffer: UnsafeRawBufferPointer, options: Options = Options()) throws(MessagePackError) -> MessagePackValue {
        var reader = MessagePackReader(buffer, options: options)
        return try reader.readTopLevelValue()
    }

    // MARK: Values

    /// Reads one value whose containers sit `depth` levels deep.
    ///
    /// ```
    /// 00–7f fixint   80–8f fixmap   90–9f fixarray   a0–bf fixstr   c0 nil   c1 (never used)
    /// c2/c3 bool     c4–c6 bin 8/16/32   c7–c9 ext 8/16/32   ca/cb float 32/64
    /// cc–cf uint 8/16/32/64   d0–d3 int 8/16/32/64   d4–d8 fixext 1/2/4/8/16
    /// d9–db str 8/16/32   dc/dd array 16/32   de/df map 16/32   e0–ff negative fixint
    /// ```
    private mutating func readValue(depth: Int) throws(MessagePackError) -> MessagePackValue {
        let start = offset
        guard offset < buffer.count else {
            throw MessagePackError(.truncated, offset: start, reason: "the data ends where a value should start")
        }
        let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
        offset &+= 1
        switch byte {
        case 0x00 ... 0x7f: return .int(Int64(byte))
        case 0x80 ... 0x8f: return try readMap(count: Int(byte & 0x0f), start: start, depth: depth)
        case 0x90 ... 0x9f: return try readArray(count: Int(byte & 0x0f), start: start, depth: depth)
        case 0xa0 ... 0xbf: return try readString(length: Int(byte & 0x1f), start: start)
        case 0xc0: return .nil
        case 0xc1:
            throw MessagePackError(.reservedByte, offset: start, reason: "the byte 0xc1, which MessagePack never uses, starts a value")
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4: return try readBinary(length: Int(try load(UInt8.self, start, "bin 8 length")), start: start)
        case 0xc5: return try readBinary(length: Int(try load(UInt16.self, start, "bin 16 length")), start: start)
        case 0xc6: return try readBinary(length: Int(try load(UInt32.self, start, "bin 32 length")), start: start)
        case 0xc7: return try readExt(length: Int(try load(UInt8.self, start, "ext 8 length")), start: start)
        case 0xc8: return try readExt(length: Int(try load(UInt16.self, start, "ext 16 length")), start: start)
        case 0xc9: return try readExt(length: Int(try load(UInt32.self, start, "ext 32 length")), start: start)
        case 0xca: return .float32(Float(bitPattern: try load(UInt32.self, start, "float 32")))
        case 0xcb: return .float64(Double(bitPattern: try load(UInt64.self, start, "float 64")))
        case 0xcc: return .int(Int64(try load(UInt8.self, start, "uint 8")))
        case 0xcd: return .int(Int64(try load(UInt16.self, start, "uint 16")))
        case 0xce: return .int(Int64(try load(UInt32.self, start, "uint 32")))
        case 0xcf:
            let value = try load(UInt64.self, start, "uint 64")
            return value <= UInt64(Int64.max) ? .int(Int64(value)) : .uint(value)
        case 0xd0: return .int(Int64(Int8(bitPattern: try load(UInt8.self, start, "int 8"))))
        case 0xd1: return .int(Int64(Int16(bitPattern: try load(UInt16.self, start, "int 16"))))
        case 0xd2: return .int(Int64(Int32(bitPattern: try load(UInt32.self, start, "int 32"))))
        case 0xd3: return .int(Int64(bitPattern: try load(UInt64.self, start, "int 64")))
        case 0xd4: return try readExt(length: 1, start: start)
        case 0xd5: return try readExt(length: 2, start: start)
        case 0xd6: return try readExt(length: 4, start: start)
        case 0xd7: return try readExt(length: 8, start: start)
        case 0xd8: return try readExt(length: 16, start: start)
        case 0xd9: return try readString(length: Int(try load(UInt8.self, start, "str 8 length")), start: start)
        case 0xda: return try readString(length: Int(try load(UInt16.self, start, "str 16 length")), start: start)
        case 0xdb: return try readString(length: Int(try load(UInt32.self, start, "str 32 length")), start: start)
        case 0xdc: return try readArray(count: Int(try load(UInt16.self, start, "array 16 count")), start: start, depth: depth)
        case 0xdd: return try readArray(count: Int(try load(UInt32.self, start, "array 32 count")), start: start, depth: depth)
        case 0xde: return try readMap(count: Int(try load(UInt16.self, start, "map 16 count")), start: start, depth: depth)
        case 0xdf: return try readMap(count: Int(try load(UInt32.self, start, "map 32 count")), start: start, depth: depth)
        default: return .int(Int64(Int8(bitPattern: byte)))                  // e0…ff: −32…−1
        }
    }

    private mutating func readArray(count: Int, start: Int, depth: Int) throws(MessagePackError) -> MessagePackValue {
        guard depth < options.maximumDepth else { throw depthError(start) }
        // Every element takes at least one byte: check before reserving anything.
        guard count <= buffer.count - offset else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "an array claims \(count) elements but only \(buffer.count - offset) bytes remain")
        }
        var elements: [MessagePackValue] = []
        elements.reserveCapacity(count)
        for _ in 0 ..< count {
            elements.append(try readValue(depth: depth + 1))
        }
        return .array(elements)
    }

    private mutating func readMap(count: Int, start: Int, depth: Int) throws(MessagePackError) -> MessagePackValue {
        guard depth < options.maximumDepth else { throw depthError(start) }
        // Every pair takes at least two bytes: check before reserving anything.
        guard count <= (buffer.count - offset) / 2 else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "a map claims \(count) pairs but only \(buffer.count - offset) bytes remain")
        }
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
        pairs.reserveCapacity(count)
        for _ in 0 ..< count {
            let key = try readValue(depth: depth + 1)
            let value = try readValue(depth: depth + 1)
            pairs.append((key, value))
        }
        return .map(pairs)
    }

    private mutating func readString(length: Int, start: Int) throws(MessagePackError) -> MessagePackValue {
        let bytes = try take(length, start: start, what: "a str")
        guard let text = Self.decodeUTF8(bytes) else {
            throw MessagePackError(.invalidUTF8, offset: offset - length, reason: "a str of \(length) bytes is not valid UTF-8")
        }
        return .string(text)
    }

    private mutating func readBinary(length: Int, start: Int) throws(MessagePackError) -> MessagePackValue {
        .binary([UInt8](try take(length, start: start, what: "a bin")))
    }

    /// Reads an extension's type byte and `length` bytes of data; type −1 is a timestamp.
    private mutating func readExt(length: Int, start: Int) throws(MessagePackError) -> MessagePackValue {
        let type = Int8(bitPattern: try load(UInt8.self, start, "extension type"))
        let data = try take(length, start: start, what: "an extension")
        if type == -1 {
            return .timestamp(try Self.timestamp(from: data, start: start))
        }
        return .ext(type: type, data: [UInt8](data))
    }

    /// Decodes the data of a timestamp extension.
    ///
    /// ```
    /// 4 bytes:  seconds u32                                   (nanoseconds 0)
    /// 8 bytes:  nanoseconds (30 bits) | seconds (34 bits)     as one u64
    /// 12 bytes: nanoseconds u32 | seconds i64
    /// ```
    private static func timestamp(from data: UnsafeRawBufferPointer, start: Int) throws(MessagePackError) -> MessagePackTimestamp {
        let seconds: Int64, nanoseconds: UInt32
        switch data.count {
        case 4:
            seconds = Int64(data.loadUnaligned(as: UInt32.self).bigEndian)
            nanoseconds = 0
        case 8:
            let packed = data.loadUnaligned(as: UInt64.self).bigEndian
            seconds = Int64(packed & 0x3_ffff_ffff)
            nanoseconds = UInt32(truncatingIfNeeded: packed >> 34)
        case 12:
            nanoseconds = data.loadUnaligned(as: UInt32.self).bigEndian
            seconds = Int64(bitPattern: data.loadUnaligned(fromByteOffset: 4, as: UInt64.self).bigEndian)
        default:
            throw MessagePackError(.invalidTimestamp, offset: start,
                                   reason: "a timestamp (extension -1) has \(data.count) bytes of data; only 4, 8 or 12 are valid")
        }
        guard let timestamp = MessagePackTimestamp(exactly: seconds, nanoseconds: nanoseconds) else {
            throw MessagePackError(.invalidTimestamp, offset: start,
                                   reason: "a timestamp has \(nanoseconds) nanoseconds; at most 999999999 are valid")
        }
        return timestamp
    }

    // MARK: Cursor

    /// Reads a big-endian unsigned integer, or throws `truncated` naming `what`.
    @inline(__always)
    private mutating func load<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, _ start: Int, _ what: StaticString) throws(MessagePackError) -> T {
        let size = MemoryLayout<T>.size
        guard buffer.count - offset >= size else {
            throw MessagePackError(.truncated, offset: start,
                                   reason: "the data ends inside a value: its \(what) needs \(size) bytes, \(buffer.count - offset) remain")
        }
        let value = buffer.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset &+= size
        return T(bigEndian: value)
    }

    /// Takes `length` bytes, or throws `lengthPastEnd` for the `what` ("a str", "a bin", "an extension") that claims them.
    @inline(__always)
    private mutating func take(_ length: Int, start: Int, what: StaticString) throws(MessagePackError) -> UnsafeRawBufferPointer {
        guard length <= buffer.count - offset else {
            throw MessagePackError(.lengthPastEnd, offset: start,
                                   reason: "\(what) of \(length) bytes runs past the end of the data (\(buffer.count - offset) bytes remain)")
        }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[offset ..< offset + length])
        offset &+= length
        return slice
    }

    private func depthError(_ start: Int) -> MessagePackError {
        MessagePackError(.depthLimitExceeded, offset: start,
                         reason: "arrays and maps are nested more than \(options.maximumDepth) levels deep")
    }

    /// The text of `bytes` when they are valid UTF-8, else nil.
    ///
    /// ASCII (the common case: keys, hex digests, identifiers) is checked eight bytes at a time
    /// and then turned into a string directly. Other text is decoded with repair and compared
    /// with the input: repair replaces an invalid sequence with U+FFFD, so the bytes differ
    /// exactly when the input was not valid UTF-8. (`String(validating:as:)` does the same job
    /// but, being generic and unspecialized, costs several times more.)
    static func decodeUTF8(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
        let utf8 = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        if isASCII(bytes) {
            return String(decoding: utf8, as: UTF8.self)
        }
        var text = String(decoding: utf8, as: UTF8.self)
        let identical = text.withUTF8 { decoded in
            decoded.count == utf8.count && UnsafeRawBufferPointer(decoded).elementsEqual(bytes)
        }
        return identical ? text : nil
    }

    /// Whether every byte is below 0x80.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index &+= 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
