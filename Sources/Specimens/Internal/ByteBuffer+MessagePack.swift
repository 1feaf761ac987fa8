/// The few MessagePack forms the journal writes, straight into raw memory.
extension ByteBuffer {
    /// An array header (fixarray, array 16 or array 32).
    @inline(__always) mutating func putArrayHeader(_ count: Int) {
        reserve(5)
        if count < 16 {
            put(0x90 | UInt8(count))
        } else if count <= 0xFFFF {
            put(0xdc); putBigEndian(UInt16(count))
        } else {
            put(0xdd); putBigEndian(UInt32(truncatingIfNeeded: count))
        }
    }

    /// An integer, shortest form (as Python's msgpack writes it).
    @inline(__always) mutating func putInt(_ value: Int64) {
        reserve(9)
        if value >= 0 {
            if value < 128 { put(UInt8(value)) }
            else if value <= 0xFF { put(0xcc); put(UInt8(value)) }
            else if value <= 0xFFFF { put(0xcd); putBigEndian(UInt16(value)) }
            else if value <= 0xFFFF_FFFF { put(0xce); putBigEndian(UInt32(value)) }
            else { put(0xcf); putBigEndian(UInt64(value)) }
        } else {
            if value >= -32 { put(UInt8(bitPattern: Int8(value))) }
            else if value >= -128 { put(0xd0); put(UInt8(bitPattern: Int8(value))) }
            else if value >= -32768 { put(0xd1); putBigEndian(Int16(value)) }
            else if value >= -2_147_483_648 { put(0xd2); putBigEndian(Int32(value)) }
            else { put(0xd3); putBigEndian(value) }
        }
    }

    /// A float64.
    @inline(__always) mutating func putDouble(_ value: Double) {
        reserve(9)
        put(0xcb)
        putBigEndian(value.bitPattern)
    }

    /// A bool.
    @inline(__always) mutating func putBool(_ value: Bool) {
        reserve(1)
        put(value ? 0xc3 : 0xc2)
    }

    /// nil.
    @inline(__always) mutating func putNil() {
        reserve(1)
        put(0xc0)
    }

    /// A str.
    mutating func putString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            let n = utf8.count
            reserve(5 + n)
            if n < 32 { put(0xa0 | UInt8(n)) }
            else if n <= 0xFF { put(0xd9); put(UInt8(n)) }
            else if n <= 0xFFFF { put(0xda); putBigEndian(UInt16(n)) }
            else { put(0xdb); putBigEndian(UInt32(truncatingIfNeeded: n)) }
            append(UnsafeRawBufferPointer(utf8))
        }
    }

    /// A bin.
    mutating func putBinary(_ value: [UInt8]) {
        let n = value.count
        reserve(5 + n)
        if n <= 0xFF { put(0xc4); put(UInt8(n)) }
        else if n <= 0xFFFF { put(0xc5); putBigEndian(UInt16(n)) }
        else { put(0xc6); putBigEndian(UInt32(truncatingIfNeeded: n)) }
        value.withUnsafeBytes { append($0) }
    }

    /// A timestamp (extension −1) from microseconds since 1970, as timestamp 96 (any instant).
    mutating func putTimestamp(microseconds: Int64) {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : -((-(microseconds + 1)) / 1_000_000) - 1
        let nanos = UInt32((microseconds - seconds * 1_000_000) * 1000)
        reserve(15)
        put(0xc7); put(12); put(0xff)
        putBigEndian(nanos)
        putBigEndian(seconds)
    }

    /// One metric value.
    @inline(__always) mutating func putMetric(_ value: MetricValue) {
        switch value {
        case .double(let v): putDouble(v)
        case .int(let v): putInt(v)
        case .bool(let v): putBool(v)
        case .string(let v): putString(v)
        case .timestamp(let v): putTimestamp(microseconds: v)
        case .null: putNil()
        }
    }
}
