/// Unpacks values bit-packed LSB-first in groups of 8, the layout shared by the RLE hybrid
/// encoding's bit-packed runs and DELTA_BINARY_PACKED miniblocks.
///
/// A group of 8 values of width `w` takes exactly `w` bytes. Value `i` of a group starts at bit
/// `i * w`, counting from the least significant bit of the group's first byte:
/// ```
/// width 3, values 0…7 (a = 0, b = 1, … h = 7); each byte printed most significant bit first:
///   byte 0 = 0x88:  10 001 000    c(low 2 bits) b a
///   byte 1 = 0xc6:  1 100 011 0   f(low bit) e d c(high bit)
///   byte 2 = 0xfa:  111 110 10    h g f(high 2 bits)
/// ```
/// The fast path reads each value with one unaligned 8-byte little-endian load at byte
/// `(i * w) / 8`, so it may read up to 8 (16 for 64-bit output) bytes past the group; groups near
/// the end of the readable bytes are first copied into a zero-padded stack buffer. Each bit width
/// gets its own specialised, fully unrolled loop through the `switch` below.
enum BitUnpacker {
    /// Unpacks `groups * 8` values of `bitWidth` (0…32) bits from `source` into `destination`.
    ///
    /// `readable` is how many bytes may be read from `source`; when it is less than
    /// `groups * bitWidth` the missing bits read as zero.
    static func unpack32(_ source: UnsafeRawPointer, readable: Int, into destination: UnsafeMutablePointer<UInt32>, groups: Int, bitWidth: Int) {
        guard groups > 0 else { return }
        guard bitWidth > 0 else {
            destination.update(repeating: 0, count: groups &* 8)
            return
        }
        // Group g may use the fast path when bytes up to g*w + w + 8 are readable.
        let slack = bitWidth + 8
        let fastGroups = readable >= slack ? min(groups, (readable - slack) / bitWidth + 1) : 0
        unpackFast32(source, destination, fastGroups, bitWidth)
        var group = fastGroups
        while group < groups {
            withPaddedGroup(source, offset: group * bitWidth, readable: readable, bitWidth: bitWidth) { padded in
                unpackFast32(padded, destination + group * 8, 1, bitWidth)
            }
            group += 1
        }
    }

    /// Unpacks `groups * 8` values of `bitWidth` (0…64) bits from `source` into `destination`.
    ///
    /// `readable` is how many bytes may be read from `source`; when it is less than
    /// `groups * bitWidth` the missing bits read as zero.
    static func unpack64(_ source: UnsafeRawPointer, readable: Int, into destination: UnsafeMutablePointer<UInt64>, groups: Int, bitWidth: Int) {
        guard groups > 0 else { return }
        guard bitWidth > 0 else {
            destination.update(repeating: 0, count: groups &* 8)
            return
        }
        let slack = bitWidth + 16
        let fastGroups = readable >= slack ? min(groups, (readable - slack) / bitWidth + 1) : 0
        unpackFast64(source, destination, fastGroups, bitWidth)
        var group = fastGroups
        while group < groups {
            withPaddedGroup(source, offset: group * bitWidth, readable: readable, bitWidth: bitWidth) { padded in
                unpackFast64(padded, destination + group * 8, 1, bitWidth)
            }
            group += 1
        }
    }

    /// Calls `body` with a copy of one group's bytes followed by at least 16 zero bytes.
    @inline(__always)
    private static func withPaddedGroup(_ source: UnsafeRawPointer, offset: Int, readable: Int, bitWidth: Int, _ body: (UnsafeRawPointer) -> Void) {
        // 64 bytes for the widest group plus 16 bytes of slack.
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { padded in
            let available = max(0, min(bitWidth, readable - offset))
            if available > 0 {
                padded.baseAddress!.copyMemory(from: source + offset, byteCount: available)
            }
            body(UnsafeRawPointer(padded.baseAddress!))
        }
    }

    private static func unpackFast32(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt32>, _ groups: Int, _ bitWidth: Int) {
        switch bitWidth {
        case 1: unpackGroups32(source, destination, groups, 1)
        case 2: unpackGroups32(source, destination, groups, 2)
        case 3: unpackGroups32(source, destination, groups, 3)
        case 4: unpackGroups32(source, destination, groups, 4)
        case 5: unpackGroups32(source, destination, groups, 5)
        case 6: unpackGroups32(source, destination, groups, 6)
        case 7: unpackGroups32(source, destination, groups, 7)
        case 8: unpackGroups32(source, destination, groups, 8)
        case 9: unpackGroups32(source, destination, groups, 9)
        case 10: unpackGroups32(source, destination, groups, 10)
        case 11: unpackGroups32(source, destination, groups, 11)
        case 12: unpackGroups32(source, destination, groups, 12)
        case 13: unpackGroups32(source, destination, groups, 13)
        case 14: unpackGroups32(source, destination, groups, 14)
        case 15: unpackGroups32(source, destination, groups, 15)
        case 16: unpackGroups32(source, destination, groups, 16)
        case 17: unpackGroups32(source, destination, groups, 17)
        case 18: unpackGroups32(source, destination, groups, 18)
        case 19: unpackGroups32(source, destination, groups, 19)
        case 20: unpackGroups32(source, destination, groups, 20)
        case 21: unpackGroups32(source, destination, groups, 21)
        case 22: unpackGroups32(source, destination, groups, 22)
        case 23: unpackGroups32(source, destination, groups, 23)
        case 24: unpackGroups32(source, destination, groups, 24)
        case 25: unpackGroups32(source, destination, groups, 25)
        case 26: unpackGroups32(source, destination, groups, 26)
        case 27: unpackGroups32(source, destination, groups, 27)
        case 28: unpackGroups32(source, destination, groups, 28)
        case 29: unpackGroups32(source, destination, groups, 29)
        case 30: unpackGroups32(source, destination, groups, 30)
        case 31: unpackGroups32(source, destination, groups, 31)
        case 32: unpackGroups32(source, destination, groups, 32)
        default: break
        }
    }

    private static func unpackFast64(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt64>, _ groups: Int, _ bitWidth: Int) {
        switch bitWidth {
        case 1: unpackGroups64(source, destination, groups, 1)
        case 2: unpackGroups64(source, destination, groups, 2)
        case 3: unpackGroups64(source, destination, groups, 3)
        case 4: unpackGroups64(source, destination, groups, 4)
        case 5: unpackGroups64(source, destination, groups, 5)
        case 6: unpackGroups64(source, destination, groups, 6)
        case 7: unpackGroups64(source, destination, groups, 7)
        case 8: unpackGroups64(source, destination, groups, 8)
        case 9: unpackGroups64(source, destination, groups, 9)
        case 10: unpackGroups64(source, destination, groups, 10)
        case 11: unpackGroups64(source, destination, groups, 11)
        case 12: unpackGroups64(source, destination, groups, 12)
        case 13: unpackGroups64(source, destination, groups, 13)
        case 14: unpackGroups64(source, destination, groups, 14)
        case 15: unpackGroups64(source, destination, groups, 15)
        case 16: unpackGroups64(source, destination, groups, 16)
        case 17: unpackGroups64(source, destination, groups, 17)
        case 18: unpackGroups64(source, destination, groups, 18)
        case 19: unpackGroups64(source, destination, groups, 19)
        case 20: unpackGroups64(source, destination, groups, 20)
        case 21: unpackGroups64(source, destination, groups, 21)
        case 22: unpackGroups64(source, destination, groups, 22)
        case 23: unpackGroups64(source, destination, groups, 23)
        case 24: unpackGroups64(source, destination, groups, 24)
        case 25: unpackGroups64(source, destination, groups, 25)
        case 26: unpackGroups64(source, destination, groups, 26)
        case 27: unpackGroups64(source, destination, groups, 27)
        case 28: unpackGroups64(source, destination, groups, 28)
        case 29: unpackGroups64(source, destination, groups, 29)
        case 30: unpackGroups64(source, destination, groups, 30)
        case 31: unpackGroups64(source, destination, groups, 31)
        case 32: unpackGroups64(source, destination, groups, 32)
        case 33: unpackGroups64(source, destination, groups, 33)
        case 34: unpackGroups64(source, destination, groups, 34)
        case 35: unpackGroups64(source, destination, groups, 35)
        case 36: unpackGroups64(source, destination, groups, 36)
        case 37: unpackGroups64(source, destination, groups, 37)
        case 38: unpackGroups64(source, destination, groups, 38)
        case 39: unpackGroups64(source, destination, groups, 39)
        case 40: unpackGroups64(source, destination, groups, 40)
        case 41: unpackGroups64(source, destination, groups, 41)
        case 42: unpackGroups64(source, destination, groups, 42)
        case 43: unpackGroups64(source, destination, groups, 43)
        case 44: unpackGroups64(source, destination, groups, 44)
        case 45: unpackGroups64(source, destination, groups, 45)
        case 46: unpackGroups64(source, destination, groups, 46)
        case 47: unpackGroups64(source, destination, groups, 47)
        case 48: unpackGroups64(source, destination, groups, 48)
        case 49: unpackGroups64(source, destination, groups, 49)
        case 50: unpackGroups64(source, destination, groups, 50)
        case 51: unpackGroups64(source, destination, groups, 51)
        case 52: unpackGroups64(source, destination, groups, 52)
        case 53: unpackGroups64(source, destination, groups, 53)
        case 54: unpackGroups64(source, destination, groups, 54)
        case 55: unpackGroups64(source, destination, groups, 55)
        case 56: unpackGroups64(source, destination, groups, 56)
        case 57: unpackGroups64(source, destination, groups, 57)
        case 58: unpackGroups64(source, destination, groups, 58)
        case 59: unpackGroups64(source, destination, groups, 59)
        case 60: unpackGroups64(source, destination, groups, 60)
        case 61: unpackGroups64(source, destination, groups, 61)
        case 62: unpackGroups64(source, destination, groups, 62)
        case 63: unpackGroups64(source, destination, groups, 63)
        case 64: unpackGroups64(source, destination, groups, 64)
        default: break
        }
    }

    /// The loop for one bit width; `width` is a literal at every call site, so each copy is
    /// specialised with constant shifts and masks.
    @inline(__always)
    private static func unpackGroups32(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt32>, _ groups: Int, _ width: Int) {
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
        var input = source
        var output = destination
        for _ in 0 ..< groups {
            if width <= 8 {
                // The whole group fits in one 64-bit word.
                let word = UInt64(littleEndian: input.loadUnaligned(as: UInt64.self))
                for i in 0 ..< 8 {
                    output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(i * width)) & mask)
                }
            } else {
                for i in 0 ..< 8 {
                    let bit = i * width
                    let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                    output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                }
            }
            input += width
            output += 8
        }
    }

    @inline(__always)
    private static func unpackGroups64(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<UInt64>, _ groups: Int, _ width: Int) {
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
        var input = source
        var output = destination
        for _ in 0 ..< groups {
            for i in 0 ..< 8 {
                let bit = i * width
                let shift = bit & 7
                var value = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self)) >> UInt64(shift)
                if shift + width > 64 {
                    let high = UInt64(input.load(fromByteOffset: (bit >> 3) + 8, as: UInt8.self))
                    value |= high << UInt64(64 - shift)
                }
                output[i] = value & mask
            }
            input += width
            output += 8
        }
    }
}
