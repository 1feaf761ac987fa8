/// How a column type is stored and annotated in a Parquet schema, and how a schema leaf is read
/// back as a column type.
extension ColumnType {
    /// The physical type, legacy converted type and logical type the writer uses. Both
    /// annotations are written wherever the specification defines both, so that old and new
    /// readers agree (LogicalTypes.md). Decimals of up to 18 digits are INT64, wider ones
    /// FIXED_LEN_BYTE_ARRAY of `ParquetDecimal.byteWidth(precision:)` bytes.
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
        case .time(let unit, let utc):
            // TIME_MILLIS and TIME_MICROS mean UTC-adjusted times (LogicalTypes.md), so a local
            // time carries the logical type alone.
            (unit == .milliseconds ? .int32 : .int64,
             !utc ? nil : unit == .milliseconds ? .timeMillis : unit == .microseconds ? .timeMicros : nil,
             .time(isAdjustedToUTC: utc, unit: unit))
        case .decimal(let precision, let scale):
            (precision <= Self.maxInt64DecimalPrecision ? .int64 : .fixedLenByteArray, .decimal,
             .decimal(scale: Int32(clamping: scale), precision: Int32(clamping: precision)))
        case .float16: (.fixedLenByteArray, nil, .float16)
        case .uuid: (.fixedLenByteArray, nil, .uuid)
        }
    }

    /// The schema element the writer emits for a column of this type named `name`.
    package func schemaElement(name: String, isNullable: Bool) -> SchemaElement {
        let annotation = parquetAnnotation
        var element = SchemaElement(name: name, type: annotation.physical, repetition: isNullable ? .optional : .required,
                                    convertedType: annotation.converted, logicalType: annotation.logical)
        switch self {
        case .decimal(let precision, let scale):
            element.scale = Int32(clamping: scale)
            element.precision = Int32(clamping: precision)
            if annotation.physical == .fixedLenByteArray { element.typeLength = Int32(clamping: ParquetDecimal.byteWidth(precision: precision)) }
        case .float16: element.typeLength = 2
        case .uuid: element.typeLength = 16
        default: break
        }
        return element
    }

    /// The most digits a decimal column may declare (the writer sizes FIXED_LEN_BYTE_ARRAY
    /// values by it; 1000 digits are 416 bytes).
    package static let maxDecimalPrecision = 1000

    /// The column type of a schema leaf: the logical type when present, else the converted
    /// type, else the physical type. DECIMAL is read on INT32, INT64, BYTE_ARRAY and
    /// FIXED_LEN_BYTE_ARRAY; FLOAT16 on FIXED_LEN_BYTE_ARRAY(2), UUID on FIXED_LEN_BYTE_ARRAY(16).
    /// TIME is read on INT32 (milliseconds) and INT64 (micro- and nanoseconds).
    /// Throws `unsupported` for annotations a flat table can't hold faithfully (INTERVAL, TIME
    /// on another physical type), and `corrupt` for a DECIMAL whose precision and scale make no sense, naming
    /// the column.
    package init(leaf element: SchemaElement) throws {
        func unsupported(_ what: String) -> ParquetError {
            ParquetError(.unsupported, "column '\(element.name)' has type \(what), which this version cannot read",
                         location: .init(column: element.name))
        }
        guard let physical = element.type else {
            throw ParquetError(.corrupt, "schema leaf '\(element.name)' has no physical type", location: .init(column: element.name))
        }
        let typeLength = element.typeLength.map(Int.init) ?? 0
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
            case (.decimal(let scale, let precision), _):
                if let decimal = try Self.decimal(element, physical, precision: precision, scale: scale) { self = decimal; return }
            case (.time(let utc, .milliseconds), .int32): self = .time(.milliseconds, isAdjustedToUTC: utc); return
            case (.time(let utc, let unit), .int64) where unit != .milliseconds: self = .time(unit, isAdjustedToUTC: utc); return
            case (.time, _): throw unsupported("TIME on \(physical)")
            case (.float16, .fixedLenByteArray) where typeLength == 2: self = .float16; return
            case (.uuid, .fixedLenByteArray) where typeLength == 16: self = .uuid; return
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
            case (.decimal, _):
                if let decimal = try Self.decimal(element, physical, precision: element.precision ?? 0, scale: element.scale ?? 0) {
                    self = decimal
                    return
                }
            case (.timeMillis, .int32): self = .time(.milliseconds, isAdjustedToUTC: true); return
            case (.timeMicros, .int64): self = .time(.microseconds, isAdjustedToUTC: true); return
            case (.timeMillis, _), (.timeMicros, _): throw unsupported("TIME on \(physical)")
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

    /// The decimal type of a DECIMAL leaf, or nil when the physical type cannot hold one
    /// (BOOLEAN, FLOAT, DOUBLE, INT96: read as the physical type). Throws `corrupt` when the
    /// precision is not positive or the scale is negative or above it, and `unsupported`
    /// beyond `maxDecimalPrecision` digits.
    private static func decimal(_ element: SchemaElement, _ physical: PhysicalType, precision: Int32, scale: Int32) throws -> ColumnType? {
        guard [.int32, .int64, .byteArray, .fixedLenByteArray].contains(physical) else { return nil }
        guard precision > 0, scale >= 0, scale <= precision else {
            throw ParquetError(.corrupt, "column '\(element.name)' is DECIMAL with precision \(precision) and scale \(scale); the precision must be positive and the scale between 0 and the precision",
                               location: .init(column: element.name))
        }
        guard Int(precision) <= maxDecimalPrecision else {
            throw ParquetError(.unsupported, "column '\(element.name)' is DECIMAL with precision \(precision), more than the \(maxDecimalPrecision) digits this version reads",
                               location: .init(column: element.name))
        }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }
}
