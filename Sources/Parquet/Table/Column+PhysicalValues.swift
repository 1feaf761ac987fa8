/// The bridge between the storage of the types whose Parquet form differs from their table
/// form — DECIMAL, FLOAT16, UUID — and the physical values the decoders and encoders handle.
///
/// ```
/// type            read from                        table storage          written as
/// decimal(p ≤ 18) INT32, INT64, BYTE_ARRAY, FLBA   Int64 (unscaled)       INT64
/// decimal(p > 18) INT32, INT64, BYTE_ARRAY, FLBA   bytes, minimal BE      FLBA(byteWidth(p)), BE
/// float16         FLBA(2), little-endian binary16  Float                  FLBA(2)
/// uuid            FLBA(16)                         16 bytes               FLBA(16)
/// ```
extension ColumnType {
    /// The type whose storage a leaf of this type with `physical` values decodes into
    /// before `Column.decoded(as:)` turns it into this type.
    package func decodingType(physical: PhysicalType) -> ColumnType {
        switch (self, physical) {
        case (.decimal, .int32): .int32
        case (.decimal, .int64): .int64
        case (.decimal, _), (.float16, _), (.uuid, _): .binary
        default: self
        }
    }
}

extension Column {
    /// This column, decoded as `decodingType(physical:)` of `type`, converted to `type`.
    /// Throws `corrupt` for a value the type cannot hold (a decimal wider than its precision's
    /// storage, a FLOAT16 that is not 2 bytes), naming the row.
    package func decoded(as type: ColumnType) throws -> Column {
        guard type != self.type else { return self }
        func corrupt(_ row: Int, _ what: String) -> ParquetError {
            ParquetError(.corrupt, "row \(row) of column '\(name)' (\(type)) \(what)", location: .init(column: name))
        }
        let values: ColumnValues
        switch (type, self.values) {
        case (.decimal(let precision, _), .int32(let v)):
            values = precision <= ColumnType.maxInt64DecimalPrecision ? .int64(v.map(Int64.init)) : Self.decimalBytes(v.map(Int64.init), validity)
        case (.decimal(let precision, _), .int64(let v)):
            values = precision <= ColumnType.maxInt64DecimalPrecision ? .int64(v) : Self.decimalBytes(v, validity)
        case (.decimal(let precision, _), .bytes(let v)):
            if precision <= ColumnType.maxInt64DecimalPrecision {
                var unscaled = [Int64](repeating: 0, count: v.count)
                for row in 0 ..< v.count where !isNull(row) {
                    guard let value = ParquetDecimal.int64(bigEndian: v[row]) else {
                        throw corrupt(row, "holds a \(v.length(at: row))-byte unscaled value that does not fit 64 bits")
                    }
                    unscaled[row] = value
                }
                values = .int64(unscaled)
            } else {
                var minimal = ByteArrays()
                minimal.reserveCapacity(values: v.count, bytes: v.bytes.count)
                for row in 0 ..< v.count {
                    let value = v[row]
                    if isNull(row) {
                        minimal.appendEmpty()
                    } else if value.isEmpty {
                        minimal.append(contentsOf: CollectionOfOne(UInt8(0)))
                    } else {
                        minimal.append(contentsOf: value[ParquetDecimal.minimalStart(value)...])
                    }
                }
                values = .bytes(minimal)
            }
        case (.float16, .bytes(let v)):
            var floats = [Float](repeating: 0, count: v.count)
            for row in 0 ..< v.count where !isNull(row) {
                let start = v.offsets[row]
                guard v.length(at: row) == 2 else { throw corrupt(row, "is \(v.length(at: row)) bytes long instead of 2") }
                floats[row] = HalfPrecision.float(fromBits: UInt16(v.bytes[start]) | UInt16(v.bytes[start + 1]) << 8)
            }
            values = .float(floats)
        case (.uuid, .bytes(let v)):
            for row in 0 ..< v.count where !isNull(row) && v.length(at: row) != 16 {
                throw corrupt(row, "is \(v.length(at: row)) bytes long instead of 16")
            }
            values = self.values
        default:
            throw ParquetError(.corrupt, "column '\(name)' was decoded as \(self.type), which cannot be read as \(type)", location: .init(column: name))
        }
        return Column(unchecked: name, type: type, values: values, validity: validity)
    }

    /// Whether ``physicalForWriting()`` goes through every value (decimals, FLOAT16 and UUIDs)
    /// rather than returning the column as it is.
    package var convertsForWriting: Bool {
        switch (type, values) {
        case (.decimal, .bytes), (.float16, .float), (.uuid, .bytes): true
        default: false
        }
    }

    /// The column as the encoders take it: wide decimals sign-extended to the
    /// FIXED_LEN_BYTE_ARRAY width of their precision, FLOAT16 values as their 2 little-endian
    /// bytes; other columns unchanged. Throws `invalidArgument` for a value that does not fit
    /// (a decimal wider than its precision allows, a UUID that is not 16 bytes), naming the
    /// row and the column.
    package func physicalForWriting() throws -> Column {
        func invalid(_ row: Int, _ what: String) -> ParquetError {
            ParquetError(.invalidArgument, "row \(row) of column '\(name)' (\(type)) \(what)", location: .init(column: name))
        }
        switch (type, values) {
        case (.decimal(let precision, _), .bytes(let v)):
            let width = ParquetDecimal.byteWidth(precision: precision)
            var fixed = ByteArrays()
            fixed.reserveCapacity(values: v.count, bytes: (v.count - nullCount) * width)
            var scratch: [UInt8] = []
            scratch.reserveCapacity(width)
            for row in 0 ..< v.count {
                if isNull(row) { fixed.appendEmpty(); continue }
                let value = v[row]
                let significant = value[ParquetDecimal.minimalStart(value)...]
                guard significant.count <= width else {
                    throw invalid(row, "needs \(significant.count) bytes, more than the \(width) of a \(precision)-digit decimal")
                }
                let fill: UInt8 = (significant.first ?? 0) & 0x80 != 0 ? 0xFF : 0
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: repeatElement(fill, count: width - significant.count))
                scratch.append(contentsOf: significant)
                fixed.append(contentsOf: scratch)
            }
            return Column(unchecked: name, type: .binary, values: .bytes(fixed), validity: validity)
        case (.float16, .float(let v)):
            var halves = ByteArrays()
            halves.reserveCapacity(values: v.count, bytes: v.count * 2)
            for row in 0 ..< v.count {
                if isNull(row) { halves.appendEmpty(); continue }
                let bits = HalfPrecision.bits(from: v[row])
                halves.append(contentsOf: [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)])
            }
            return Column(unchecked: name, type: .binary, values: .bytes(halves), validity: validity)
        case (.uuid, .bytes(let v)):
            for row in 0 ..< v.count where !isNull(row) && v.length(at: row) != 16 {
                throw invalid(row, "is \(v.length(at: row)) bytes long; a UUID has 16")
            }
            return Column(unchecked: name, type: .binary, values: values, validity: validity)
        default:
            return self
        }
    }

    /// Unscaled 64-bit values as minimal big-endian bytes (empty under nulls).
    private static func decimalBytes(_ unscaled: [Int64], _ validity: Validity?) -> ColumnValues {
        var bytes = ByteArrays()
        for (row, value) in unscaled.enumerated() {
            if let validity, !validity.isValid(row) { bytes.appendEmpty(); continue }
            bytes.append(contentsOf: ParquetDecimal(unscaled: value, precision: 1, scale: 0).unscaledBytes)
        }
        return .bytes(bytes)
    }
}
