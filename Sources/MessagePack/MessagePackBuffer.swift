/// A reusable buffer that MessagePack is written into, for hot paths that write many small
/// records: raw memory that grows rarely, one capacity test per item, and ``reset()`` that
/// keeps the allocation. The forms are the same as ``MessagePackWriter``'s (shortest first).
///
/// ```swift
/// var buffer = MessagePackBuffer(capacity: 1 << 16)
/// buffer.writeArrayHeader(count: 3)
/// buffer.write(0 as Int64); buffer.write(0.25); buffer.write("loss")
/// try send(buffer.bytes)      // borrowed: valid until the next write or reset
/// buffer.reset()
/// ```
///
/// Non-copyable: the buffer owns its memory and frees it when it goes away. Lengths and counts
/// above `UInt32.max` cannot be written in MessagePack; passing one is a programming error.
public struct MessagePackBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer
    /// The number of bytes written since the last reset.
    public private(set) var count = 0
    private var capacity: Int

    /// An empty buffer that holds `capacity` bytes before it grows.
    public init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The bytes written since the last reset; valid until the next write or reset.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Forgets the contents, keeping the allocation.
    public mutating func reset() { count = 0 }

    // MARK: Scalars

    /// Writes nil (`c0`).
    @inline(__always) public mutating func writeNil() {
        reserve(1)
        put(0xc0)
    }

    /// Writes a bool (`c2` false, `c3` true).
    @inline(__always) public mutating func write(_ value: Bool) {
        reserve(1)
        put(value ? 0xc3 : 0xc2)
    }

    /// Writes a signed integer in the shortest form (as Python's msgpack does).
    @inline(__always) public mutating func write(_ value: Int64) {
        reserve(9)
        if value >= 0 {
            if value < 128 { put(UInt8(truncatingIfNeeded: value)) }
            else if value <= 0xFF { put(0xcc); put(UInt8(truncatingIfNeeded: value)) }
            else if value <= 0xFFFF { put(0xcd); putBigEndian(UInt16(truncatingIfNeeded: value)) }
            else if value <= 0xFFFF_FFFF { put(0xce); putBigEndian(UInt32(truncatingIfNeeded: value)) }
            else { put(0xcf); putBigEndian(UInt64(bitPattern: value)) }
        } else {
            if value >= -32 { put(UInt8(truncatingIfNeeded: value)) }
            else if value >= -128 { put(0xd0); put(UInt8(truncatingIfNeeded: value)) }
            else if value >= -32768 { put(0xd1); putBigEndian(UInt16(truncatingIfNeeded: value)) }
            else if value >= -2_147_483_648 { put(0xd2); putBigEndian(UInt32(truncatingIfNeeded: value)) }
            else { put(0xd3); putBigEndian(UInt64(bitPattern: value)) }
        }
    }

    /// Writes a 64-bit float (`cb` + 8 bytes).
    @inline(__always) public mutating func write(_ value: Double) {
        reserve(9)
        put(0xcb)
        putBigEndian(value.bitPattern)
    }

    /// Writes a str: fixstr (< 32 bytes), str 8, 16 or 32, then the UTF-8 bytes.
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeStringHeader(length: utf8.count)
            append(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a bin: bin 8, 16 or 32, then the bytes.
    public mutating func write(binary: UnsafeRawBufferPointer) {
        let n = binary.count
        reserve(5)
        if n <= 0xFF { put(0xc4); put(UInt8(truncatingIfNeeded: n)) }
        else if n <= 0xFFFF { put(0xc5); putBigEndian(UInt16(truncatingIfNeeded: n)) }
        else { put(0xc6); putBigEndian(Self.length32(n)) }
        append(binary)
    }

    /// Writes a timestamp (extension −1) in its shortest form, as ``MessagePackWriter`` does.
    public mutating func write(_ timestamp: MessagePackTimestamp) {
        let seconds = timestamp.seconds, nanoseconds = timestamp.nanoseconds
        reserve(15)
        if seconds >> 34 == 0 {
            if nanoseconds == 0 && seconds <= 0xffff_ffff {
                put(0xd6); put(0xff)
                putBigEndian(UInt32(truncatingIfNeeded: seconds))
            } else {
                put(0xd7); put(0xff)
                putBigEndian(UInt64(nanoseconds) << 34 | UInt64(seconds))
            }
        } else {
            put(0xc7); put(12); put(0xff)
            putBigEndian(nanoseconds)
            putBigEndian(UInt64(bitPattern: seconds))
        }
    }

    /// Writes a whole value tree.
    public mutating func write(_ value: MessagePackValue) {
        TreeEncoder.withEncoding(of: value) { append($0) }
    }

    // MARK: Headers

    /// Writes the header of an array of `count` elements (fixarray, array 16 or 32); the elements follow.
    @inline(__always) public mutating func writeArrayHeader(count: Int) {
        reserve(5)
        if count < 16 { put(0x90 | UInt8(truncatingIfNeeded: count)) }
        else if count <= 0xFFFF { put(0xdc); putBigEndian(UInt16(truncatingIfNeeded: count)) }
        else { put(0xdd); putBigEndian(Self.length32(count)) }
    }

    /// Writes the header of a map of `count` pairs (fixmap, map 16 or 32); keys and values follow.
    @inline(__always) public mutating func writeMapHeader(count: Int) {
        reserve(5)
        if count < 16 { put(0x80 | UInt8(truncatingIfNeeded: count)) }
        else if count <= 0xFFFF { put(0xde); putBigEndian(UInt16(truncatingIfNeeded: count)) }
        else { put(0xdf); putBigEndian(Self.length32(count)) }
    }

    /// Writes the header of a str of `length` UTF-8 bytes; the bytes follow.
    @inline(__always) public mutating func writeStringHeader(length: Int) {
        reserve(5)
        if length < 32 { put(0xa0 | UInt8(truncatingIfNeeded: length)) }
        else if length <= 0xFF { put(0xd9); put(UInt8(truncatingIfNeeded: length)) }
        else if length <= 0xFFFF { put(0xda); putBigEndian(UInt16(truncatingIfNeeded: length)) }
        else { put(0xdb); putBigEndian(Self.length32(length)) }
    }

    /// Appends bytes as they are (already MessagePack, or the data after a header).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    // MARK: Raw memory

    @inline(__always) private mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(count &+ n) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity &* 2
        while newCapacity < needed { newCapacity &*= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) private mutating func put(_ byte: UInt8) {
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    @inline(__always) private mutating func putBigEndian<T: FixedWidthInteger>(_ value: T) {
        base.storeBytes(of: value.bigEndian, toByteOffset: count, as: T.self)
        count &+= MemoryLayout<T>.size
    }

    private static func length32(_ length: Int) -> UInt32 {
        guard let length = UInt32(exactly: length) else {
            preconditionFailure("MessagePack cannot hold a length or count of \(length): the limit is 2^32 - 1")
        }
        return length
    }
}
