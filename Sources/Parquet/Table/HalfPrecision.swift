/// Conversions between IEEE 754 binary16 bit patterns (Parquet's FLOAT16, stored
/// little-endian in a FIXED_LEN_BYTE_ARRAY(2)) and `Float`, written out so they work where
/// Swift's `Float16` is unavailable.
///
/// ```
/// binary16:  [s:1][exponent:5, bias 15][fraction:10]
/// ```
package enum HalfPrecision {
    /// The exact `Float` of a binary16 bit pattern: subnormals, ±0, ±infinity and NaN
    /// (payload kept in the top fraction bits) included.
    package static func float(fromBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: fraction × 2⁻²⁴, exact in a Float.
            let magnitude = Float(fraction) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
        }
    }

    /// The binary16 bit pattern nearest to `value` (ties to even); too large becomes
    /// infinity, too small ±0, NaN stays NaN.
    package static func bits(from value: Float) -> UInt16 {
        let pattern = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (pattern >> 16) & 0x8000)
        let exponent = Int((pattern >> 23) & 0xFF)
        let mantissa = pattern & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? UInt16(0x200 | (mantissa >> 13)) : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 31 { return sign | 0x7C00 }
        if halfExponent <= 0 {
            if halfExponent < -10 { return sign }
            let full = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = full >> shift
            let remainder = full & ((1 << shift) - 1), midpoint = UInt32(1) << (shift - 1)
            if remainder > midpoint || (remainder == midpoint && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = (UInt32(halfExponent) << 10) | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        // A carry out of the fraction bumps the exponent, up to infinity: still correct.
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
}
