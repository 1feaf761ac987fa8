/// An exact decimal number as Parquet's DECIMAL stores it: an unscaled integer and a scale,
/// meaning `unscaled × 10^-scale`, with the precision (number of digits) of its column.
///
/// The unscaled integer is kept as big-endian two's complement in the fewest bytes that hold
/// it, so any precision is exact; `description` is the exact decimal text with `scale` digits
/// after the point, like Python's `decimal.Decimal` prints a pyarrow decimal.
///
/// ```swift
/// let d = ParquetDecimal(unscaled: -123400, precision: 9, scale: 4)
/// d.description   // "-12.3400"
/// ```
public struct ParquetDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The unscaled value, big-endian two's complement, in the fewest bytes that hold it (at least one).
    public let unscaledBytes: [UInt8]
    /// The column's number of significant digits.
    public let precision: Int
    /// The number of digits after the decimal point.
    public let scale: Int

    /// A decimal whose unscaled value is `unscaled`.
    public init(unscaled: Int64, precision: Int, scale: Int) {
        self.init(unscaledBigEndian: withUnsafeBytes(of: unscaled.bigEndian) { Array($0) }, precision: precision, scale: scale)
    }

    /// A decimal whose unscaled value is the big-endian two's complement `bytes` (any length;
    /// no bytes means zero).
    public init<C: Collection>(unscaledBigEndian bytes: C, precision: Int, scale: Int) where C.Element == UInt8 {
        unscaledBytes = Self.minimal(bytes)
        self.precision = precision
        self.scale = scale
    }

    /// Whether the value is below zero.
    public var isNegative: Bool { unscaledBytes[0] & 0x80 != 0 }

    /// The unscaled value, when it fits 64 bits.
    public var unscaledInt64: Int64? { Self.int64(bigEndian: unscaledBytes) }

    /// The value of big-endian two's complement `bytes` (any length, none meaning zero), or nil
    /// when it does not fit 64 bits. Does not allocate.
    package static func int64<C: Collection>(bigEndian bytes: C) -> Int64? where C.Element == UInt8 {
        let start = minimalStart(bytes)
        guard bytes.distance(from: start, to: bytes.endIndex) <= 8 else { return nil }
        guard start != bytes.endIndex else { return 0 }
        var value: Int64 = bytes[start] & 0x80 != 0 ? -1 : 0
        for byte in bytes[start...] { value = (value << 8) | Int64(byte) }
        return value
    }

    /// The nearest Double (for summaries and plots; not exact).
    public var doubleValue: Double { Double(description) ?? .nan }

    /// The exact text: `-` when negative, the integer digits (at least `0`), then `.` and
    /// exactly `scale` digits when `scale > 0`.
    public var description: String {
        var digits = Self.magnitudeDigits(unscaledBytes)
        if scale > 0 {
            if digits.count <= scale { digits = [UInt8](repeating: UInt8(ascii: "0"), count: scale + 1 - digits.count) + digits }
            digits.insert(UInt8(ascii: "."), at: digits.count - scale)
        }
        if isNegative { digits.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The fewest bytes of big-endian two's complement needed for a number of `precision`
    /// digits, as FIXED_LEN_BYTE_ARRAY decimals are sized (LogicalTypes.md): 4 for 9 digits,
    /// 8 for 18, 16 for 38.
    public static func byteWidth(precision: Int) -> Int {
        var width = 1
        // floor((8n - 1) · log10 2) is the largest digit count n bytes always hold.
        while Int((Double(8 * width - 1) * 0.301_029_995_663_981_2).rounded(.down)) < precision { width += 1 }
        return width
    }

    /// `bytes` with redundant leading sign bytes removed (`[0]` when empty).
    package static func minimal<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        bytes.isEmpty ? [0] : Array(bytes[minimalStart(bytes)...])
    }

    /// Where the minimal form of `bytes` starts: past the leading sign bytes that the next
    /// byte repeats (the end index only when `bytes` is empty).
    package static func minimalStart<C: Collection>(_ bytes: C) -> C.Index where C.Element == UInt8 {
        guard let first = bytes.first else { return bytes.endIndex }
        let fill: UInt8 = first & 0x80 != 0 ? 0xFF : 0
        var start = bytes.startIndex
        while true {
            let next = bytes.index(after: start)
            // Drop a sign byte only when the next byte carries the same sign.
            guard next != bytes.endIndex, bytes[start] == fill, (bytes[next] & 0x80) == (fill & 0x80) else { break }
            start = next
        }
        return start
    }

    /// The decimal digits of |value| for big-endian two's complement `bytes`, most significant
    /// first: schoolbook division by 10⁹ on 32-bit limbs.
    static func magnitudeDigits(_ bytes: [UInt8]) -> [UInt8] {
        var magnitude = bytes
        if bytes[0] & 0x80 != 0 {
            // Two's complement negation: invert, then add one from the right.
            var carry = true
            for index in magnitude.indices.reversed() {
                magnitude[index] = ~magnitude[index]
                if carry { magnitude[index] &+= 1; carry = magnitude[index] == 0 }
            }
        }
        // Big-endian 32-bit limbs, most significant first.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(magnitude.count / 4 + 1)
        let head = magnitude.count % 4
        var limb: UInt32 = 0
        for (index, byte) in magnitude.enumerated() {
            limb = (limb << 8) | UInt32(byte)
            if (index + 1 - head) % 4 == 0 { limbs.append(limb); limb = 0 }
        }
        var chunks: [UInt32] = []  // base-10⁹ digits, least significant first
        var first = limbs.firstIndex { $0 != 0 } ?? limbs.count
        while first < limbs.count {
            var remainder: UInt64 = 0
            for index in first ..< limbs.count {
                let current = (remainder << 32) | UInt64(limbs[index])
                limbs[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while first < limbs.count && limbs[first] == 0 { first += 1 }
        }
        guard let top = chunks.last else { return [UInt8(ascii: "0")] }
        var digits = Array(String(top).utf8)
        for chunk in chunks.dropLast().reversed() {
            let text = Array(String(chunk).utf8)
            digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - text.count))
            digits.append(contentsOf: text)
        }
        return digits
    }
}
