/// Unsigned LEB128 varints and zigzag integers, as used by the RLE hybrid and delta encodings.
///
/// ```
/// value 300 = 0b10_0101100  →  ac 02
///             low 7 bits first, high bit set on every byte but the last
/// ```
enum ULEB128 {
    /// Reads a varint of at most 64 bits at `position` and advances past it.
    ///
    /// Throws `corrupt` when the bytes end inside the varint or it needs more than 64 bits.
    /// `baseOffset` is added to positions in error messages (the buffer's offset in its page).
    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, at position: inout Int, baseOffset: Int) throws(ParquetError) -> UInt64 {
        var index = position
        let end = bytes.count
        // One-byte values are by far the most common (run headers, bit widths, small counts).
        if index < end {
            let first = bytes[index]
            if first < 0x80 {
                position = index + 1
                return UInt64(first)
            }
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else {
                throw .corrupt("a varint runs past the end of the data", offset: baseOffset + position)
            }
            let byte = bytes[index]
            index += 1
            if shift == 63, byte > 1 {
                throw .corrupt("a varint does not fit in 64 bits", offset: baseOffset + position)
            }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 {
                position = index
                return result
            }
            shift += 7
        }
    }

    /// Reads a varint that must fit in a non-negative `Int` no larger than `limit`.
    @inline(__always)
    static func readInt(_ bytes: UnsafeRawBufferPointer, at position: inout Int, limit: Int, what: String, baseOffset: Int) throws(ParquetError) -> Int {
        let start = position
        let raw = try read(bytes, at: &position, baseOffset: baseOffset)
        guard raw <= UInt64(limit) else {
            throw .corrupt("\(what) \(raw) exceeds \(limit)", offset: baseOffset + start)
        }
        return Int(raw)
    }

    /// Appends `value` as a varint.
    @inline(__always)
    static func append(_ value: UInt64, to output: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    /// The zigzag mapping of a signed integer: 0, -1, 1, -2 … → 0, 1, 2, 3 …
    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// The inverse of `zigzag`, as a two's complement bit pattern.
    @inline(__always)
    static func unzigzag(_ value: UInt64) -> UInt64 {
        (value >> 1) ^ (0 &- (value & 1))
    }
}
