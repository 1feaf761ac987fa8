/// How a column type is stored and annotated in a Parquet schema, and how a schema leaf is read
/// back as a column type.
extension ColumnType {
    /// The physical type, legacy converted type and logical type the writer uses. Both
    /// annotations are written wherever the specification defines both, so that old and new
    /// readers agree (LogicalTypes.md).
    package var parquetAnnotation: (physical: PhysicalType, converted: ConvertedType?, logical: LogicalType?) {
        switch self {
        case .bool: (.boolean, nil, nil)
        case .int8: (.int32, .int8, .integer(bitWidth: 8, isSigned: true))
        case .int16: (.int32, .int16, .integer(bitWidth: 16, isSigned: true))
        case .int32: (.int32, nil, nil)
        case .int64: (.int64, nil, nil)
        case .uint8: (.int32, .uint8, .integer(bitWidth: 8, isSigned: false))
        case .uint16: (.int32, .uint16, .integer(bitWidth: 16, isSigned: false))
        case .uint32: (.int32, .uint32, .integer(bitWidth: 32, isSigned: false))
        case .uint64: (.int64, .uint64, .integer(bitWidth: 64, isSigned: false))
        case .float: (.float, nil, nil)
        case .double: (.double, nil, nil)
        case .string: (.byteArray, .utf8, .string)
        case .binary: (.byteArray, nil, nil)
        case .timestamp(let unit, let utc):
            (.int64, unit == .milliseconds ? .timestampMillis : unit == .microseconds ? .timestampMicros : nil,
             .timestamp(isAdjustedToUTC: utc, unit: unit))
        case .date: (.int32, .date, .date)
        }
    }

    /// The column type of a schema leaf: the logical type when present, else the converted
    /// type, else the physical type. Throws `unsupported` for annotations a flat table can't
    /// hold faithfully (DECIMAL, TIME, INTERVAL), naming the column.
    package init(leaf element: SchemaElement) throws {
        func unsupported(_ what: String) -> ParquetError {
            ParquetError(.unsupported, "column '\(element.name)' has type \(what), which this version cannot read",
                         context: .init(column: element.name))
        }
        guard let physical = element.type else {
            throw ParquetError(.corrupt, "schema leaf '\(element.name)' has no physical type", context: .init(column: element.name))
        }
        if let logical = element.logicalType {
            switch (logical, physical) {
            case (.string, .byteArray), (.enum, .byteArray), (.json, .byteArray): self = .string; return
            case (.bson, .byteArray): self = .binary; return
            case (.date, .int32): self = .date; return
            case (.timestamp(let utc, let unit), .int64): self = .timestamp(unit, isAdjustedToUTC: utc); return
            case (.integer(let width, let signed), .int32) where width <= 32:
                self = switch (width, signed) {
                case (8, true): .int8
                case (16, true): .int16
                case (8, false): .uint8
                case (16, false): .uint16
                case (32, false): .uint32
                default: .int32
                }
                return
            case (.integer(let width, let signed), .int64) where width == 64:
                self = signed ? .int64 : .uint64
                return
            case (.decimal, _): throw unsupported("DECIMAL")
            case (.time, _): throw unsupported("TIME")
            case (.float16, _): throw unsupported("FLOAT16")
            default: break  // unknown or mismatched logical types: fall back below
            }
        }
        if let converted = element.convertedType {
            switch (converted, physical) {
            case (.utf8, .byteArray), (.enum, .byteArray), (.json, .byteArray): self = .string; return
            case (.date, .int32): self = .date; return
            case (.timestampMillis, .int64): self = .timestamp(.milliseconds, isAdjustedToUTC: true); return
            case (.timestampMicros, .int64): self = .timestamp(.microseconds, isAdjustedToUTC: true); return
            case (.int8, .int32): self = .int8; return
            case (.int16, .int32): self = .int16; return
            case (.int32, .int32): self = .int32; return
            case (.uint8, .int32): self = .uint8; return
            case (.uint16, .int32): self = .uint16; return
            case (.uint32, .int32): self = .uint32; return
            case (.int64, .int64): self = .int64; return
            case (.uint64, .int64): self = .uint64; return
            case (.decimal, _): throw unsupported("DECIMAL")
            case (.timeMillis, _), (.timeMicros, _): throw unsupported("TIME")
            case (.interval, _): throw unsupported("INTERVAL")
            default: break
            }
        }
        switch physical {
        case .boolean: self = .bool
        case .int32: self = .int32
        case .int64: self = .int64
        case .int96: self = .timestamp(.nanoseconds, isAdjustedToUTC: false)
        case .float: self = .float
        case .double: self = .double
        case .byteArray, .fixedLenByteArray: self = .binary
        }
    }
}
