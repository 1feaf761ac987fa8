#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the numbers of JSON lines from bytes, without Foundation and without allocating:
/// integers of up to 18 digits exactly, decimals exactly rounded as `strtod` rounds them.
///
/// A decimal takes Clinger's fast path when its digits and power of ten are both exact doubles,
/// else the Eisel-Lemire algorithm (one or two 64×64→128-bit products with ``DecimalPowers``);
/// the few inputs these cannot decide (more than 19 significant digits, results that are
/// subnormal or overflow, exact halfway cases) go to `strtod` on a stack copy.
///
/// ```swift
/// let text: [UInt8] = Array("-1.5e3,".utf8)
/// text.withUnsafeBufferPointer { JSONNumber.parse($0.baseAddress!, count: $0.count) }
/// // .double(-1500.0, length: 6)
/// ```
enum JSONNumber {
    /// What `parse` found.
    enum Parsed: Equatable {
        /// An integer of 1 to 18 digits (an optional `-`, then digits only).
        case int(Int64, length: Int)
        /// A decimal: digits with a fraction, an exponent or both.
        case double(Double, length: Int)
        /// Anything else (an integer of 19 or more digits, `+1`, `.5`, `1.`, text): the
        /// caller's general path decides.
        case other
    }

    /// Parses the number at the start of `bytes[0 ..< count]`: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
    /// leading zeros allowed (read as `strtod` reads them). `length` is how many bytes it took.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, count: Int) -> Parsed {
        var i = 0
        let negative = count > 0 && bytes[0] == 0x2D
        if negative { i = 1 }
        // Integer digits. Leading zeros add no significant digit.
        var mantissa: UInt64 = 0
        var significant = 0           // significant digits read (beyond 19 only counted)
        var dropped = 0               // integer digits beyond the 19 kept (each a factor 10)
        let integerStart = i
        while i < count, bytes[i] &- 0x30 < 10 {
            let digit = UInt64(bytes[i] &- 0x30)
            if significant < 19 {
                if significant > 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ digit
                    significant += 1
                }
            } else {
                significant += 1
                dropped += 1
            }
            i += 1
        }
        let integerDigits = i - integerStart
        guard integerDigits > 0 else { return .other }
        var exponent = dropped
        var isDecimal = false
        var exponentTooLong = false
        if i < count, bytes[i] == 0x2E {
            i += 1
            let fractionStart = i
            // Zeros before the first significant digit (0.000123) only scale the value.
            if significant == 0 {
                while i < count, bytes[i] == 0x30 {
                    exponent -= 1
                    i += 1
                }
            }
            // Eight digits at a time while they all count (most of a double's 17): after the
            // zeros above, the first of them is significant.
            while significant <= 11, count - i >= 8, let eight = eightDigits(bytes + i) {
                mantissa = mantissa &* 100_000_000 &+ eight
                significant += 8
                exponent -= 8
                i += 8
            }
            while i < count, bytes[i] &- 0x30 < 10 {
                let digit = UInt64(bytes[i] &- 0x30)
                if significant < 19 {
                    if significant > 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ digit
                        significant += 1
                    }
                    exponent -= 1
                } else {
                    significant += 1
                }
                i += 1
            }
            guard i > fractionStart else { return .other }
            isDecimal = true
        }
        if i < count, bytes[i] | 0x20 == 0x65 {   // e or E
            i += 1
            var exponentNegative = false
            if i < count, bytes[i] == 0x2D || bytes[i] == 0x2B {
                exponentNegative = bytes[i] == 0x2D
                i += 1
            }
            let exponentStart = i
            var written = 0
            while i < count, bytes[i] &- 0x30 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[i] &- 0x30) } else { exponentTooLong = true }
                i += 1
            }
            guard i > exponentStart else { return .other }
            exponent += exponentNegative ? -written : written
            isDecimal = true
        }
        if !isDecimal {
            guard integerDigits <= 18 else { return .other }
            let value = Int64(mantissa)   // at most 18 digits: no overflow
            return .int(negative ? -value : value, length: i)
        }
        if significant <= 19, !exponentTooLong, let value = decimal(mantissa, exponent: exponent, negative: negative) {
            return .double(value, length: i)
        }
        return .double(strtodCopy(bytes, count: i), length: i)
    }

    /// The value of the eight ASCII digits at `bytes`, or nil when one of them is not a digit
    /// (SWAR, as in simdjson and fast_float: one unaligned load, three multiplications).
    @inline(__always)
    static func eightDigits(_ bytes: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
        let high = word & 0xF0F0_F0F0_F0F0_F0F0
        let carried = ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4
        guard high | carried == 0x3333_3333_3333_3333 else { return nil }
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)
        value = ((value & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))
                 &+ ((value >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32))) >> 32
        return value
    }

    /// `mantissa × 10^exponent` (with the sign), exactly rounded, when the fast paths decide it.
    @inline(__always)
    static func decimal(_ mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        // Clinger: both operands exact doubles, so one IEEE operation rounds exactly once.
        if mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= exactPowers[-exponent] } else { value *= exactPowers[exponent] }
            return negative ? -value : value
        }
        guard let magnitude = eiselLemire(mantissa, exponent) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// The Eisel-Lemire algorithm for a nonzero `mantissa × 10^exponent`; nil where it cannot
    /// decide (halfway ambiguity, subnormal or overflowing results, exponents off the table).
    static func eiselLemire(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard exponent >= DecimalPowers.smallestExponent, exponent <= DecimalPowers.largestExponent else { return nil }
        let leading = mantissa.leadingZeroBitCount
        let man = mantissa << UInt64(leading)
        var binaryExponent = UInt64(bitPattern: Int64(((217_706 &* exponent) >> 16) &+ 64 &+ 1023)) &- UInt64(leading)
        let index = 2 &* (exponent &- DecimalPowers.smallestExponent)
        return DecimalPowers.mantissas.withUnsafeBufferPointer { table -> Double? in
            var (high, low) = man.multipliedFullWidth(by: table[index])
            // The truncated power may have been too small to decide the top bits: widen.
            if high & 0x1FF == 0x1FF && low &+ man < man {
                let (yHigh, yLow) = man.multipliedFullWidth(by: table[index &+ 1])
                var mergedHigh = high
                let mergedLow = low &+ yHigh
                if mergedLow < low { mergedHigh &+= 1 }
                if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && yLow &+ man < man { return nil }
                high = mergedHigh
                low = mergedLow
            }
            let top = high >> 63
            var result = high >> (top &+ 9)
            binaryExponent &-= 1 ^ top
            // Exactly halfway between two doubles: strtod's round-half-even decides.
            if low == 0 && high & 0x1FF == 0 && result & 3 == 1 { return nil }
            result &+= result & 1
            result >>= 1
            if result >> 53 > 0 {
                result >>= 1
                binaryExponent &+= 1
            }
            // Zero (or wrapped below it): subnormal; 0x7FF and above: infinite.
            if binaryExponent &- 1 >= 0x7FF &- 1 { return nil }
            return Double(bitPattern: binaryExponent << 52 | result & 0x000F_FFFF_FFFF_FFFF)
        }
    }

    /// `strtod` of `bytes[0 ..< count]` (a number `parse` accepted), on a NUL-terminated copy
    /// (on the stack up to a page, as `withUnsafeTemporaryAllocation` places it).
    static func strtodCopy(_ bytes: UnsafePointer<UInt8>, count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: bytes, byteCount: count)
            base[count] = 0
            return strtod(base, nil)
        }
    }

    /// 10^0 … 10^22, every one an exact double.
    static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
