/// Writes a whole value tree in one pass into a buffer that grows by doubling: the hot path of
/// ``MessagePackValue/encoded()`` and ``MessagePackWriter/write(_:)-(MessagePackValue)``.
///
/// The tree is walked through pointers to its elements (the arrays are kept alive by the
/// enclosing case binding), so elements are read in place instead of being copied, retained and
/// released one by one. The buffer is freed when the encoder goes away.
struct TreeEncoder: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    /// Creates an encoder whose buffer holds `capacity` bytes before it first grows.
    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    /// Encodes `value` into a new array.
    static func encode(_ value: borrowing MessagePackValue) -> [UInt8] {
        var encoder = TreeEncoder(capacity: 1024)
        withUnsafePointer(to: value) { encoder.write($0) }
        return [UInt8](encoder.bytes)
    }

    // MARK: Sizes

    /// The number of bytes `value` takes in its shortest form.
    static func size(of value: UnsafePointer<MessagePackValue>) -> Int {
        switch value.pointee {
        case .nil, .bool: return 1
        case .int(let integer):
            if integer >= 0 { return size(of: UInt64(integer)) }
            return integer >= -32 ? 1 : integer >= -128 ? 2 : integer >= -32768 ? 3 : integer >= -2_147_483_648 ? 5 : 9
        case .uint(let integer): return size(of: integer)
        case .float32: return 5
        case .float64: return 9
        case .string(let text):
            let length = text.utf8.count
            return length + (length < 32 ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : 5)
        case .binary(let data):
            return data.count + (data.count <= 0xff ? 2 : data.count <= 0xffff ? 3 : 5)
        case .array(let elements):
            let header = elements.count < 16 ? 1 : elements.count <= 0xffff ? 3 : 5
            return elements.withUnsafeBufferPointer { buffer in
                var total = header
                guard var element = buffer.baseAddress else { return total }
                for _ in 0 ..< buffer.count {
                    total += size(of: element)
                    element += 1
                }
                return total
            }
        case .map(let pairs):
            let header = pairs.count < 16 ? 1 : pairs.count <= 0xffff ? 3 : 5
            return withKeysAndValues(of: pairs) { values, count in
                var total = header
                for index in 0 ..< count { total += size(of: values + index) }
                return total
            }
        case let .ext(_, data):
            switch data.count {
            case 1, 2, 4, 8, 16: return 2 + data.count
            case ...0xff: return 3 + data.count
            case ...0xffff: return 4 + data.count
            default: return 6 + data.count
            }
        case .timestamp(let timestamp):
            if timestamp.seconds >> 34 == 0 {
                return timestamp.nanoseconds == 0 && timestamp.seconds <= 0xffff_ffff ? 6 : 10
            }
            return 15
        }
    }

    private static func size(of integer: UInt64) -> Int {
        integer < 0x80 ? 1 : integer <= 0xff ? 2 : integer <= 0xffff ? 3 : integer <= 0xffff_ffff ? 5 : 9
    }

    /// Calls `body` with the keys and values of `pairs` as one run of `2 * pairs.count` values,
    /// key then value (a homogeneous tuple is laid out, and bound, as its elements).
    @inline(__always)
    private static func withKeysAndValues<R>(of pairs: [(key: MessagePackValue, value: MessagePackValue)],
                                             _ body: (UnsafePointer<MessagePackValue>, Int) -> R) -> R {
        pairs.withUnsafeBufferPointer { buffer in
            guard let pairBase = buffer.baseAddress else {
                return withUnsafePointer(to: MessagePackValue.nil) { body($0, 0) }
            }
            let values = UnsafeRawPointer(pairBase).assumingMemoryBound(to: MessagePackValue.self)
            return body(values, buffer.count * 2)
        }
    }

    // MARK: Writing

    /// Writes `value` in its shortest form (the same bytes as ``MessagePackWriter``).
    mutating func write(_ value: UnsafePointer<MessagePackValue>) {
        switch value.pointee {
        case .nil: put(0xc0)
        case .bool(let flag): put(flag ? 0xc3 : 0xc2)
        case .int(let integer):
            if integer >= 0 {
                write(UInt64(integer))
            } else if integer >= -32 {
                put(UInt8(truncatingIfNeeded: integer))
            } else if integer >= -128 {
                put(0xd0, UInt8(truncatingIfNeeded: integer))
            } else if integer >= -32768 {
                put(0xd1, UInt16(truncatingIfNeeded: integer))
            } else if integer >= -2_147_483_648 {
                put(0xd2, UInt32(truncatingIfNeeded: integer))
            } else {
                put(0xd3, UInt64(bitPattern: integer))
            }
        case .uint(let integer): write(integer)
        case .float32(let float): put(0xca, float.bitPattern)
        case .float64(let double): put(0xcb, double.bitPattern)
        case .string(let text):
            let utf8 = text.utf8
            let length = utf8.count
            if length < 32 {
                put(0xa0 | UInt8(truncatingIfNeeded: length))
            } else if length <= 0xff {
                put(0xd9, UInt8(truncatingIfNeeded: length))
            } else if length <= 0xffff {
                put(0xda, UInt16(truncatingIfNeeded: length))
            } else {
                put(0xdb, Self.length32(length))
            }
            if utf8.withContiguousStorageIfAvailable({ put(UnsafeRawBufferPointer($0)) }) == nil {
                for byte in utf8 { put(byte) }
            }
        case .binary(let data):
            if data.count <= 0xff {
                put(0xc4, UInt8(truncatingIfNeeded: data.count))
            } else if data.count <= 0xffff {
                put(0xc5, UInt16(truncatingIfNeeded: data.count))
            } else {
                put(0xc6, Self.length32(data.count))
            }
            data.withUnsafeBytes { put($0) }
        case .array(let elements):
            header(count: elements.count, fix: 0x90, sixteen: 0xdc, thirtyTwo: 0xdd)
            elements.withUnsafeBufferPointer { buffer in
                guard var element = buffer.baseAddress else { return }
                for _ in 0 ..< buffer.count {
                    write(element)
                    element += 1
                }
            }
        case .map(let pairs):
            header(count: pairs.count, fix: 0x80, sixteen: 0xde, thirtyTwo: 0xdf)
            Self.withKeysAndValues(of: pairs) { values, count in
                for index in 0 ..< count { write(values + index) }
            }
        case let .ext(type, data):
            let typeByte = UInt8(bitPattern: type)
            switch data.count {
            case 1: put(0xd4, typeByte)
            case 2: put(0xd5, typeByte)
            case 4: put(0xd6, typeByte)
            case 8: put(0xd7, typeByte)
            case 16: put(0xd8, typeByte)
            case ...0xff: put(0xc7, UInt8(truncatingIfNeeded: data.count)); put(typeByte)
            case ...0xffff: put(0xc8, UInt16(truncatingIfNeeded: data.count)); put(typeByte)
            default: put(0xc9, Self.length32(data.count)); put(typeByte)
            }
            data.withUnsafeBytes { put($0) }
        case .timestamp(let timestamp):
            let seconds = timestamp.seconds, nanoseconds = timestamp.nanoseconds
            if seconds >> 34 == 0 {
                if nanoseconds == 0 && seconds <= 0xffff_ffff {
                    put(0xd6, 0xff as UInt8)
                    put(UInt32(truncatingIfNeeded: seconds).bigEndian)
                } else {
                    put(0xd7, 0xff as UInt8)
                    put((UInt64(nanoseconds) << 34 | UInt64(seconds)).bigEndian)
                }
            } else {
                put(0xc7, 12 as UInt8)
                put(0xff, nanoseconds)
                put(UInt64(bitPattern: seconds).bigEndian)
            }
        }
    }

    private mutating func write(_ integer: UInt64) {
        if integer < 0x80 {
            put(UInt8(truncatingIfNeeded: integer))
        } else if integer <= 0xff {
            put(0xcc, UInt8(truncatingIfNeeded: integer))
        } else if integer <= 0xffff {
            put(0xcd, UInt16(truncatingIfNeeded: integer))
        } else if integer <= 0xffff_ffff {
            put(0xce, UInt32(truncatingIfNeeded: integer))
        } else {
            put(0xcf, integer)
        }
    }

    private mutating func header(count: Int, fix: UInt8, sixteen: UInt8, thirtyTwo: UInt8) {
        if count < 16 {
            put(fix | UInt8(truncatingIfNeeded: count))
        } else if count <= 0xffff {
            put(sixteen, UInt16(truncatingIfNeeded: count))
        } else {
            put(thirtyTwo, Self.length32(count))
        }
    }

    /// A length or count for a 32-bit field; MessagePack cannot hold more (a precondition).
    private static func length32(_ length: Int) -> UInt32 {
        guard let length = UInt32(exactly: length) else {
            preconditionFailure("MessagePack cannot hold a length or count of \(length): the limit is 2^32 - 1")
        }
        return length
    }

    // MARK: Stores

    @inline(__always)
    private mutating func reserve(_ size: Int) -> UnsafeMutableRawPointer {
        if _slowPath(size > capacity - count) { grow(toHold: size) }
        defer { count &+= size }
        return base + count
    }

    private mutating func grow(toHold size: Int) {
        let (needed, overflow) = count.addingReportingOverflow(size)
        precondition(!overflow, "TreeEncoder: the encoding is larger than memory")
        let newCapacity = max(needed, capacity <= Int.max / 2 ? capacity * 2 : Int.max)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1).storeBytes(of: byte, as: UInt8.self)
    }

    /// Stores a format byte and a big-endian number after it.
    @inline(__always)
    private mutating func put<T: FixedWidthInteger>(_ format: UInt8, _ number: T) {
        let target = reserve(1 + MemoryLayout<T>.size)
        target.storeBytes(of: format, as: UInt8.self)
        (target + 1).storeBytes(of: number.bigEndian, toByteOffset: 0, as: T.self)
    }

    /// Stores an integer's bytes as they are in memory (callers pass `.bigEndian`).
    @inline(__always)
    private mutating func put<T: FixedWidthInteger>(_ number: T) where T: UnsignedInteger {
        reserve(MemoryLayout<T>.size).storeBytes(of: number, as: T.self)
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
    }
}
