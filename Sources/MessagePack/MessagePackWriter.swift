/// Appends MessagePack to a byte array, always in the shortest form.
///
/// Integers follow Python msgpack's convention: non-negative ones use positive fixint or the
/// uint formats (`cc`…`cf`), negative ones negative fixint or the int formats (`d0`…`d3`), so the
/// bytes match what `msgpack.packb` writes for the same value. Floats keep their width; strs,
/// bins, arrays, maps and extensions take the smallest header their length allows.
///
/// ```swift
/// var writer = MessagePackWriter()
/// writer.writeMapHeader(count: 2)
/// writer.write("run_id"); writer.write("20251222_194653")
/// writer.write("rows");   writer.write(1200 as Int64)
/// let bytes = writer.bytes          // 82 a6 72 75 6e 5f 69 64 af 32 30 …
///
/// let same = MessagePackValue.map([("run_id", "20251222_194653"), ("rows", 1200)]).encoded()
/// ```
///
/// Lengths and counts above `UInt32.max` cannot be written in MessagePack; passing one is a
/// programming error (a precondition failure).
public struct MessagePackWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with an empty buffer that can hold `capacity` bytes before it grows.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Creates a writer that appends to `bytes`.
    public init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Values

    /// Writes a whole value tree.
    public mutating func write(_ value: MessagePackValue) {
        TreeEncoder.withEncoding(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Writes nil (`c0`).
    public mutating func writeNil() {
        bytes.append(0xc0)
    }

    /// Writes a bool (`c2` false, `c3` true).
    public mutating func write(_ value: Bool) {
        bytes.append(value ? 0xc3 : 0xc2)
    }

    /// Writes a signed integer in the shortest form: positive fixint or uint 8/16/32/64 when
    /// non-negative, negative fixint or int 8/16/32/64 when negative.
    public mutating func write(_ value: Int64) {
        if value >= 0 {
            write(UInt64(value))
        } else if value >= -32 {
            bytes.append(UInt8(truncatingIfNeeded: value))              // e0…ff
        } else if value >= -128 {
            bytes.append(0xd0); bytes.append(UInt8(truncatingIfNeeded: value))
        } else if value >= -32768 {
            bytes.append(0xd1); appendBigEndian(UInt16(truncatingIfNeeded: value))
        } else if value >= -2_147_483_648 {
            bytes.append(0xd2); appendBigEndian(UInt32(truncatingIfNeeded: value))
        } else {
            bytes.append(0xd3); appendBigEndian(UInt64(bitPattern: value))
        }
    }

    /// Writes an unsigned integer in the shortest form: positive fixint or uint 8/16/32/64.
    public mutating func write(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))              // 00…7f
        } else if value <= 0xff {
            bytes.append(0xcc); bytes.append(UInt8(truncatingIfNeeded: value))
        } else if value <= 0xffff {
            bytes.append(0xcd); appendBigEndian(UInt16(truncatingIfNeeded: value))
        } else if value <= 0xffff_ffff {
            bytes.append(0xce); appendBigEndian(UInt32(truncatingIfNeeded: value))
        } else {
            bytes.append(0xcf); appendBigEndian(value)
        }
    }

    /// Writes an `Int` in the shortest form, as ``write(_:)-(Int64)``.
    public mutating func write(_ value: Int) {
        write(Int64(value))
    }

    /// Writes a 32-bit float (`ca` + 4 bytes).
    public mutating func write(_ value: Float) {
        bytes.append(0xca); appendBigEndian(value.bitPattern)
    }

    /// Writes a 64-bit float (`cb` + 8 bytes).
    public mutating func write(_ value: Double) {
        bytes.append(0xcb); appendBigEndian(value.bitPattern)
    }

    /// Writes a str: fixstr (< 32 bytes), str 8, 16 or 32, then the UTF-8 bytes.
    public mutating func write(_ value: String) {
        let utf8 = value.utf8
        writeStringHeader(length: utf8.count)
        if utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes a bin: bin 8, 16 or 32, then the bytes.
    public mutating func write(binary: [UInt8]) {
        writeBinaryHeader(length: binary.count)
        bytes.append(contentsOf: binary)
    }

    /// Writes a bin from raw memory: bin 8, 16 or 32, then the bytes.
    public mutating func write(binary: UnsafeRawBufferPointer) {
        writeBinaryHeader(length: binary.count)
        bytes.append(contentsOf: binary)
    }

    /// Writes an extension: fixext 1/2/4/8/16 when the length allows, else ext 8/16/32.
    public mutating func writeExt(type: Int8, data: [UInt8]) {
        writeExtHeader(type: type, length: data.count)
        bytes.append(contentsOf: data)
    }

    /// Writes a timestamp (extension −1) in its shortest form.
    ///
    /// ```
    /// timestamp 32: d6 ff | seconds u32                       0 ≤ s < 2^32, nanoseconds 0
    /// timestamp 64: d7 ff | nanoseconds << 34 | seconds u64   0 ≤ s < 2^34
    /// timestamp 96: c7 0c ff | nanoseconds u32 | seconds i64  any other instant
    /// ```
    public mutating func write(_ timestamp: MessagePackTimestamp) {
        let seconds = timestamp.seconds, nanoseconds = timestamp.nanoseconds
        if seconds >> 34 == 0 {
            if nanoseconds == 0 && seconds <= 0xffff_ffff {
                bytes.append(0xd6); bytes.append(0xff)
                appendBigEndian(UInt32(truncatingIfNeeded: seconds))
            } else {
                bytes.append(0xd7); bytes.append(0xff)
                appendBigEndian(UInt64(nanoseconds) << 34 | UInt64(seconds))
            }
        } else {
            bytes.append(0xc7); bytes.append(12); bytes.append(0xff)
            appendBigEndian(nanoseconds)
            appendBigEndian(UInt64(bitPattern: seconds))
        }
    }

    // MARK: Headers

    /// Writes the header of an array of `count` elements (fixarray, array 16 or 32); the elements follow.
    public mutating func writeArrayHeader(count: Int) {
        if count < 16 {
            bytes.append(0x90 | UInt8(truncatingIfNeeded: count))
        } else if count <= 0xffff {
            bytes.append(0xdc); appendBigEndian(UInt16(truncatingIfNeeded: count))
        } else {
            bytes.append(0xdd); appendBigEndian(Self.length32(count))
        }
    }

    /// Writes the header of a map of `count` pairs (fixmap, map 16 or 32); keys and values follow, alternating.
    public mutating func writeMapHeader(count: Int) {
        if count < 16 {
            bytes.append(0x80 | UInt8(truncatingIfNeeded: count))
        } else if count <= 0xffff {
            bytes.append(0xde); appendBigEndian(UInt16(truncatingIfNeeded: count))
        } else {
            bytes.append(0xdf); appendBigEndian(Self.length32(count))
        }
    }

    /// Writes the header of a str of `length` UTF-8 bytes (fixstr, str 8, 16 or 32); the bytes follow.
    public mutating func writeStringHeader(length: Int) {
        if length < 32 {
            bytes.append(0xa0 | UInt8(truncatingIfNeeded: length))
        } else if length <= 0xff {
            bytes.append(0xd9); bytes.append(UInt8(truncatingIfNeeded: length))
        } else if length <= 0xffff {
            bytes.append(0xda); appendBigEndian(UInt16(truncatingIfNeeded: length))
        } else {
            bytes.append(0xdb); appendBigEndian(Self.length32(length))
        }
    }

    /// Writes the header of a bin of `length` bytes (bin 8, 16 or 32); the bytes follow.
    public mutating func writeBinaryHeader(length: Int) {
        if length <= 0xff {
            bytes.append(0xc4); bytes.append(UInt8(truncatingIfNeeded: length))
        } else if length <= 0xffff {
            bytes.append(0xc5); appendBigEndian(UInt16(truncatingIfNeeded: length))
        } else {
            bytes.append(0xc6); appendBigEndian(Self.length32(length))
        }
    }

    /// Writes the header of an extension of `type` with `length` data bytes (fixext 1/2/4/8/16,
    /// ext 8, 16 or 32); the data follows.
    public mutating func writeExtHeader(type: Int8, length: Int) {
        let typeByte = UInt8(bitPattern: type)
        switch length {
        case 1: bytes.append(0xd4)
        case 2: bytes.append(0xd5)
        case 4: bytes.append(0xd6)
        case 8: bytes.append(0xd7)
        case 16: bytes.append(0xd8)
        case ...0xff: bytes.append(0xc7); bytes.append(UInt8(truncatingIfNeeded: length))
        case ...0xffff: bytes.append(0xc8); appendBigEndian(UInt16(truncatingIfNeeded: length))
        default: bytes.append(0xc9); appendBigEndian(Self.length32(length))
        }
        bytes.append(typeByte)
    }

    // MARK: Sizes

    /// The number of bytes ``write(_:)-(MessagePackValue)`` writes for `value`.
    public static func encodedSize(of value: MessagePackValue) -> Int {
        withUnsafePointer(to: value) { TreeEncoder.size(of: $0) }
    }

    // MARK: Helpers

    @inline(__always)
    private mutating func appendBigEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func length32(_ length: Int) -> UInt32 {
        guard let length = UInt32(exactly: length) else {
            preconditionFailure("MessagePack cannot hold a length or count of \(length): the limit is 2^32 - 1")
        }
        return length
    }
}
