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
    ///
    /// An array or map comes back as a ``MessagePackArray`` or ``MessagePackMap`` view of one
    /// decoded document, which holds every value below it and a copy of its bytes in one
    /// allocation (a document of more than 512 values also needs scratch memory while it is
    /// read). Strs are checked here and become `String`s when read.
    public mutating func readValue() throws(MessagePackError) -> MessagePackValue {
        let start = offset
        guard offset < buffer.count else {
            throw MessagePackError(.truncated, offset: start, reason: "the data ends where a value should start")
        }
        let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
        let isContainer = byte & 0xe0 == 0x80 || byte >= 0xdc && byte <= 0xdf
        guard isContainer else {
            var nodes = NodeBuffer(scratch: UnsafeMutableBufferPointer(start: nil, count: 0), limit: 0)
            let leaf = try readNode(depth: 0, base: start, nodes: &nodes)
            return leaf.leafValue(bytes: UnsafeRawPointer(buffer.baseAddress.map { $0 + start }))
        }
        // A typical manifest has a few hundred values: their nodes fit on the stack.
        return try withUnsafeTemporaryAllocation(of: DecodedNode.self, capacity: Self.stackNodes) { scratch throws(MessagePackError) in
            var nodes = NodeBuffer(scratch: scratch, limit: buffer.count - offset)
            _ = nodes.reserve(1)                                     // the root is node 0
            let root = try readNode(depth: 0, base: start, nodes: &nodes)
            nodes.store(root, at: 0)
            let document = DecodedDocument.make(nodes: nodes.nodes, bytes: UnsafeRawBufferPointer(rebasing: buffer[start ..< offset]))
            return root.kind == .array ? .array(MessagePackArray(document: document, node: 0)) : .map(MessagePackMap(document: document, node: 0))
        }
    }

    /// Reads the header of an array and returns its element count, leaving the cursor at the
    /// first element, so that a stream of small records can be read one scalar at a time with
    /// ``readValue()`` without building a document for each. Throws `.typeMismatch` when the
    /// next value is not an array, and `.countExceedsRemaining` when the remaining bytes cannot
    /// hold that many elements.
    public mutating func readArrayHeader() throws(MessagePackError) -> Int {
        try readContainerHeader(map: false)
    }

    /// Reads the header of a map and returns its pair count, leaving the cursor at the first key
    /// (see ``readArrayHeader()``).
    public mutating func readMapHeader() throws(MessagePackError) -> Int {
        try readContainerHeader(map: true)
    }

    private mutating func readContainerHeader(map: Bool) throws(MessagePackError) -> Int {
        let start = offset
        guard offset < buffer.count else {
            throw MessagePackError(.truncated, offset: start, reason: "the data ends where \(map ? "a map" : "an array") should start")
        }
        let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
        let count: Int
        switch (byte, map) {
        case (0x90 ... 0x9f, false), (0x80 ... 0x8f, true):
            offset &+= 1
            count = Int(byte & 0x0f)
        case (0xdc, false), (0xde, true):
            offset &+= 1
            count = Int(try load(UInt16.self, start, map ? "map 16 count" : "array 16 count"))
        case (0xdd, false), (0xdf, true):
            offset &+= 1
            count = Int(try load(UInt32.self, start, map ? "map 32 count" : "array 32 count"))
        default:
            throw MessagePackError(.typeMismatch, offset: start,
                                   reason: "byte 0x\(String(byte, radix: 16)) starts another kind of value where \(map ? "a map" : "an array") was expected")
        }
        let elements = map ? count * 2 : count
        guard elements <= buffer.count - offset else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "\(map ? "a map of \(count) pairs" : "an array of \(count) elements") in \(buffer.count - offset) remaining bytes")
        }
        return count
    }

    /// How many nodes are read into stack memory before the reader moves them to the heap.
    private static let stackNodes = 512

    /// Reads the value that makes up the rest of the input: after it, the input must end, unless
    /// ``Options/allowsTrailingBytes`` is set.
    public mutating func readTopLevelValue() throws(MessagePackError) -> MessagePackValue {
        let value = try readValue()
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

    /// Reads one value whose containers sit `depth` levels deep, as a node whose offsets count
    /// from `base`; a container's children go to `nodes`.
    ///
    /// ```
    /// 00–7f fixint   80–8f fixmap   90–9f fixarray   a0–bf fixstr   c0 nil   c1 (never used)
    /// c2/c3 bool     c4–c6 bin 8/16/32   c7–c9 ext 8/16/32   ca/cb float 32/64
    /// cc–cf uint 8/16/32/64   d0–d3 int 8/16/32/64   d4–d8 fixext 1/2/4/8/16
    /// d9–db str 8/16/32   dc/dd array 16/32   de/df map 16/32   e0–ff negative fixint
    /// ```
    private mutating func readNode(depth: Int, base: Int, nodes: inout NodeBuffer) throws(MessagePackError) -> DecodedNode {
        let start = offset
        guard offset < buffer.count else {
            throw MessagePackError(.truncated, offset: start, reason: "the data ends where a value should start")
        }
        let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
        offset &+= 1
        switch byte {
        case 0x00 ... 0x7f: return integer(Int64(byte))
        case 0x80 ... 0x8f: return try readMap(count: Int(byte & 0x0f), start: start, depth: depth, base: base, nodes: &nodes)
        case 0x90 ... 0x9f: return try readArray(count: Int(byte & 0x0f), start: start, depth: depth, base: base, nodes: &nodes)
        case 0xa0 ... 0xbf: return try readString(length: Int(byte & 0x1f), start: start, base: base)
        case 0xc0: return DecodedNode(.nil)
        case 0xc1:
            throw MessagePackError(.reservedByte, offset: start, reason: "the byte 0xc1, which MessagePack never uses, starts a value")
        case 0xc2: return DecodedNode(.bool, payload: 0)
        case 0xc3: return DecodedNode(.bool, payload: 1)
        case 0xc4: return try readBinary(length: Int(try load(UInt8.self, start, "bin 8 length")), start: start, base: base)
        case 0xc5: return try readBinary(length: Int(try load(UInt16.self, start, "bin 16 length")), start: start, base: base)
        case 0xc6: return try readBinary(length: Int(try load(UInt32.self, start, "bin 32 length")), start: start, base: base)
        case 0xc7: return try readExt(length: Int(try load(UInt8.self, start, "ext 8 length")), start: start, base: base)
        case 0xc8: return try readExt(length: Int(try load(UInt16.self, start, "ext 16 length")), start: start, base: base)
        case 0xc9: return try readExt(length: Int(try load(UInt32.self, start, "ext 32 length")), start: start, base: base)
        case 0xca: return DecodedNode(.float32, payload: UInt64(try load(UInt32.self, start, "float 32")))
        case 0xcb: return DecodedNode(.float64, payload: try load(UInt64.self, start, "float 64"))
        case 0xcc: return integer(Int64(try load(UInt8.self, start, "uint 8")))
        case 0xcd: return integer(Int64(try load(UInt16.self, start, "uint 16")))
        case 0xce: return integer(Int64(try load(UInt32.self, start, "uint 32")))
        case 0xcf:
            let value = try load(UInt64.self, start, "uint 64")
            return DecodedNode(value <= UInt64(Int64.max) ? .int : .uint, payload: value)
        case 0xd0: return integer(Int64(Int8(bitPattern: try load(UInt8.self, start, "int 8"))))
        case 0xd1: return integer(Int64(Int16(bitPattern: try load(UInt16.self, start, "int 16"))))
        case 0xd2: return integer(Int64(Int32(bitPattern: try load(UInt32.self, start, "int 32"))))
        case 0xd3: return integer(Int64(bitPattern: try load(UInt64.self, start, "int 64")))
        case 0xd4: return try readExt(length: 1, start: start, base: base)
        case 0xd5: return try readExt(length: 2, start: start, base: base)
        case 0xd6: return try readExt(length: 4, start: start, base: base)
        case 0xd7: return try readExt(length: 8, start: start, base: base)
        case 0xd8: return try readExt(length: 16, start: start, base: base)
        case 0xd9: return try readString(length: Int(try load(UInt8.self, start, "str 8 length")), start: start, base: base)
        case 0xda: return try readString(length: Int(try load(UInt16.self, start, "str 16 length")), start: start, base: base)
        case 0xdb: return try readString(length: Int(try load(UInt32.self, start, "str 32 length")), start: start, base: base)
        case 0xdc:
            return try readArray(count: Int(try load(UInt16.self, start, "array 16 count")), start: start, depth: depth, base: base, nodes: &nodes)
        case 0xdd:
            return try readArray(count: Int(try load(UInt32.self, start, "array 32 count")), start: start, depth: depth, base: base, nodes: &nodes)
        case 0xde:
            return try readMap(count: Int(try load(UInt16.self, start, "map 16 count")), start: start, depth: depth, base: base, nodes: &nodes)
        case 0xdf:
            return try readMap(count: Int(try load(UInt32.self, start, "map 32 count")), start: start, depth: depth, base: base, nodes: &nodes)
        default: return integer(Int64(Int8(bitPattern: byte)))                  // e0…ff: −32…−1
        }
    }

    @inline(__always)
    private func integer(_ value: Int64) -> DecodedNode {
        DecodedNode(.int, payload: UInt64(bitPattern: value))
    }

    private mutating func readArray(count: Int, start: Int, depth: Int, base: Int, nodes: inout NodeBuffer) throws(MessagePackError) -> DecodedNode {
        guard depth < options.maximumDepth else { throw depthError(start) }
        // Every element takes at least one byte: check before reserving anything.
        guard count <= buffer.count - offset else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "an array claims \(count) elements but only \(buffer.count - offset) bytes remain")
        }
        let first = try reserve(count, in: &nodes, start: start, what: "an array claims \(count) elements")
        try readChildren(first ..< first + count, depth: depth + 1, base: base, nodes: &nodes)
        return DecodedNode(.array, count: UInt32(truncatingIfNeeded: count), payload: UInt64(first))
    }

    private mutating func readMap(count: Int, start: Int, depth: Int, base: Int, nodes: inout NodeBuffer) throws(MessagePackError) -> DecodedNode {
        guard depth < options.maximumDepth else { throw depthError(start) }
        // Every pair takes at least two bytes: check before reserving anything.
        guard count <= (buffer.count - offset) / 2 else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "a map claims \(count) pairs but only \(buffer.count - offset) bytes remain")
        }
        let first = try reserve(2 * count, in: &nodes, start: start, what: "a map claims \(count) pairs")
        try readChildren(first ..< first + 2 * count, depth: depth + 1, base: base, nodes: &nodes)
        return DecodedNode(.map, count: UInt32(truncatingIfNeeded: count), payload: UInt64(first))
    }

    /// Reads a container's children into the reserved `slots`. Short strs (map keys, mostly) and
    /// small integers are read here; other values go through ``readNode(depth:base:nodes:)``.
    @inline(__always)
    private mutating func readChildren(_ slots: Range<Int>, depth: Int, base: Int, nodes: inout NodeBuffer) throws(MessagePackError) {
        for slot in slots {
            let node: DecodedNode
            let byte = offset < buffer.count ? buffer.load(fromByteOffset: offset, as: UInt8.self) : 0xc1
            if byte & 0xe0 == 0xa0 {
                offset &+= 1
                node = try readString(length: Int(byte & 0x1f), start: offset &- 1, base: base)
            } else if byte < 0x80 {
                offset &+= 1
                node = integer(Int64(byte))
            } else {
                node = try readNode(depth: depth, base: base, nodes: &nodes)
            }
            nodes.store(node, at: slot)
        }
    }

    /// Reserves the nodes of a container's children, or throws when, with the values still due
    /// in the containers around it, the remaining bytes could not hold them.
    @inline(__always)
    private func reserve(_ slots: Int, in nodes: inout NodeBuffer, start: Int, what: @autoclosure () -> String) throws(MessagePackError) -> Int {
        guard let first = nodes.reserve(slots) else {
            throw MessagePackError(.countExceedsRemaining, offset: start,
                                   reason: "\(what()), more than the remaining bytes can hold beside the values still due around it")
        }
        return first
    }

    private mutating func readString(length: Int, start: Int, base: Int) throws(MessagePackError) -> DecodedNode {
        let bytes = try take(length, start: start, what: "a str")
        guard Self.isASCII(bytes) || Self.isValidUTF8(bytes) else {
            throw MessagePackError(.invalidUTF8, offset: offset - length, reason: "a str of \(length) bytes is not valid UTF-8")
        }
        return DecodedNode(.string, count: UInt32(truncatingIfNeeded: length), payload: UInt64(offset - length - base))
    }

    private mutating func readBinary(length: Int, start: Int, base: Int) throws(MessagePackError) -> DecodedNode {
        _ = try take(length, start: start, what: "a bin")
        return DecodedNode(.binary, count: UInt32(truncatingIfNeeded: length), payload: UInt64(offset - length - base))
    }

    /// Reads an extension's type byte and `length` bytes of data; type −1 is a timestamp.
    private mutating func readExt(length: Int, start: Int, base: Int) throws(MessagePackError) -> DecodedNode {
        let type = Int8(bitPattern: try load(UInt8.self, start, "extension type"))
        let data = try take(length, start: start, what: "an extension")
        if type == -1 {
            let timestamp = try Self.timestamp(from: data, start: start)
            return DecodedNode(.timestamp, count: timestamp.nanoseconds, payload: UInt64(bitPattern: timestamp.seconds))
        }
        return DecodedNode(.ext, count: UInt32(truncatingIfNeeded: length), payload: UInt64(offset - length - base), extType: type)
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
        let slice = UnsafeRawBufferPointer(start: buffer.baseAddress.map { $0 + offset }, count: length)
        offset &+= length
        return slice
    }

    private func depthError(_ start: Int) -> MessagePackError {
        MessagePackError(.depthLimitExceeded, offset: start,
                         reason: "arrays and maps are nested more than \(options.maximumDepth) levels deep")
    }

    /// Whether `bytes`, which are not all ASCII, are valid UTF-8.
    ///
    /// The bytes are decoded with repair and compared with the input: repair replaces an invalid
    /// sequence with U+FFFD, so the bytes differ exactly when the input was not valid UTF-8.
    /// (`String(validating:as:)` does the same job but, being generic and unspecialized, costs
    /// several times more.) ASCII, the common case, is recognised by ``isASCII(_:)`` first.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        let utf8 = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var text = String(decoding: utf8, as: UTF8.self)
        return text.withUTF8 { decoded in
            decoded.count == utf8.count && UnsafeRawBufferPointer(decoded).elementsEqual(bytes)
        }
    }

    /// Whether every byte is below 0x80: eight bytes at a time, the last (up to) eight with one
    /// load that may overlap the ones before.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let start = bytes.baseAddress else { return true }
        let count = bytes.count
        var bits: UInt64
        if count >= 8 {
            bits = start.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            var index = 0
            while index &+ 8 < count {
                bits |= start.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index &+= 8
            }
        } else if count >= 4 {
            bits = UInt64(start.loadUnaligned(as: UInt32.self) | start.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        } else if count > 0 {
            bits = UInt64(start.load(as: UInt8.self) | start.load(fromByteOffset: count / 2, as: UInt8.self)
                          | start.load(fromByteOffset: count &- 1, as: UInt8.self))
        } else {
            bits = 0
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
