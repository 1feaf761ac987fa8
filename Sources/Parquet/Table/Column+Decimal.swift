extension ColumnType {
    /// The most digits of a decimal that stacking rescales to (decimal128's 38): tables whose
    /// decimals would need more together do not stack.
    public static let maxStackedDecimalPrecision = 38

    /// The decimal type that holds every value of decimals `a` and `b` exactly: the larger
    /// scale, and enough integer digits for either; nil when that needs more than
    /// `maxStackedDecimalPrecision` digits (or when either type is not a decimal).
    ///
    /// ```
    /// decimal(5, 2) + decimal(10, 4)  →  decimal(10, 4)   (integer digits max(3, 6) = 6, scale 4)
    /// decimal(38, 0) + decimal(3, 2)  →  nil              (38 + 2 digits)
    /// ```
    public static func commonDecimal(_ a: ColumnType, _ b: ColumnType) -> ColumnType? {
        guard case .decimal(let p1, let s1) = a, case .decimal(let p2, let s2) = b else { return nil }
        let scale = max(s1, s2)
        let precision = max(p1 - s1, p2 - s2) + scale
        guard precision <= maxStackedDecimalPrecision else { return nil }
        return .decimal(precision: precision, scale: scale)
    }

    /// Why decimals `a` and `b` cannot be stacked, when both are decimals: the digits they
    /// would need together.
    package static func decimalClash(_ a: ColumnType, _ b: ColumnType) -> String? {
        guard case .decimal(let p1, let s1) = a, case .decimal(let p2, let s2) = b else { return nil }
        let scale = max(s1, s2)
        return "stacked at scale \(scale) they would need \(max(p1 - s1, p2 - s2) + scale) digits, more than the \(maxStackedDecimalPrecision) decimals are stacked to"
    }
}

extension Column {
    /// This column ready to be stacked as `type` (a type ``ColumnType/common(_:_:)`` gave):
    /// itself, or its decimals rescaled to `type`'s scale and storage.
    package func stackable(as type: ColumnType) throws -> Column {
        guard type != self.type, case .decimal = type, case .decimal = self.type else { return self }
        return try rescaled(toDecimal: type)
    }

    /// This decimal column with its values rescaled to `type` (a decimal with at least this
    /// column's scale and integer digits, at most `ColumnType.maxStackedDecimalPrecision` digits):
    /// each unscaled value is multiplied by 10^(scale difference) and stored as `type` stores
    /// decimals (Int64 up to 18 digits, minimal big-endian two's complement above). Throws
    /// `invalidArgument` for a value that does not fit `type`'s precision.
    package func rescaled(toDecimal type: ColumnType) throws -> Column {
        guard case .decimal(_, let fromScale) = self.type, case .decimal(let precision, let scale) = type, scale >= fromScale,
              precision <= ColumnType.maxStackedDecimalPrecision else {
            throw ParquetError(.invalidArgument, "column '\(name)' (\(self.type)) cannot be rescaled to \(type)")
        }
        if type == self.type { return self }
        var factor: Int128 = 1
        for _ in 0 ..< (scale - fromScale) { factor *= 10 }
        var limit: Int128 = 1
        for _ in 0 ..< precision { limit *= 10 }
        var int64s: [Int64] = []
        var bytes = ByteArrays()
        let wide = precision > ColumnType.maxInt64DecimalPrecision
        if wide { bytes.reserveCapacity(values: count, bytes: count * 8) } else { int64s.reserveCapacity(count) }
        for row in 0 ..< count {
            if isNull(row) {
                if wide { bytes.appendEmpty() } else { int64s.append(0) }
                continue
            }
            let unscaled: Int128
            switch values {
            case .int64(let v): unscaled = Int128(v[row])
            case .bytes(let v):
                guard let value = Self.int128(bigEndian: v[row]) else {
                    throw ParquetError(.invalidArgument, "row \(row) of column '\(name)' holds a \(v.length(at: row))-byte unscaled value, more than a \(type) holds")
                }
                unscaled = value
            default:
                throw ParquetError(.invalidArgument, "column '\(name)' (\(self.type)) is not stored as a decimal")
            }
            let (result, overflow) = unscaled.multipliedReportingOverflow(by: factor)
            guard !overflow, result < limit, result > -limit else {
                throw ParquetError(.invalidArgument, "row \(row) of column '\(name)' (\(self.type)) does not fit \(type) once rescaled")
            }
            if wide {
                Self.appendMinimal(result, to: &bytes)
            } else {
                int64s.append(Int64(result))
            }
        }
        return try Column(name: name, type: type, values: wide ? .bytes(bytes) : .int64(int64s), validity: validity)
    }

    /// The value of big-endian two's complement `bytes` (none meaning zero), or nil beyond 128 bits.
    static func int128<C: Collection>(bigEndian bytes: C) -> Int128? where C.Element == UInt8 {
        let start = ParquetDecimal.minimalStart(bytes)
        let significant = bytes[start...]
        guard significant.count <= 16 else { return nil }
        guard let first = significant.first else { return 0 }
        var value: Int128 = first & 0x80 != 0 ? -1 : 0
        for byte in significant { value = value << 8 | Int128(byte) }
        return value
    }

    /// Appends `value` as minimal big-endian two's complement (at least one byte).
    static func appendMinimal(_ value: Int128, to bytes: inout ByteArrays) {
        var wide: [UInt8] = []
        wide.reserveCapacity(16)
        for shift in stride(from: 120, through: 0, by: -8) { wide.append(UInt8(truncatingIfNeeded: value >> shift)) }
        bytes.append(contentsOf: wide[ParquetDecimal.minimalStart(wide)...])
    }
}
