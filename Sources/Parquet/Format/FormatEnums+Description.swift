// The specification's names for the parquet.thrift enumerations, as tools print them.

extension PhysicalType: CustomStringConvertible {
    /// The specification's name, e.g. `INT64`, `BYTE_ARRAY`.
    public var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

extension ConvertedType: CustomStringConvertible {
    /// The specification's name, e.g. `UTF8`, `TIMESTAMP_MICROS`.
    public var description: String {
        switch self {
        case .utf8: "UTF8"
        case .map: "MAP"
        case .mapKeyValue: "MAP_KEY_VALUE"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal: "DECIMAL"
        case .date: "DATE"
        case .timeMillis: "TIME_MILLIS"
        case .timeMicros: "TIME_MICROS"
        case .timestampMillis: "TIMESTAMP_MILLIS"
        case .timestampMicros: "TIMESTAMP_MICROS"
        case .uint8: "UINT_8"
        case .uint16: "UINT_16"
        case .uint32: "UINT_32"
        case .uint64: "UINT_64"
        case .int8: "INT_8"
        case .int16: "INT_16"
        case .int32: "INT_32"
        case .int64: "INT_64"
        case .json: "JSON"
        case .bson: "BSON"
        case .interval: "INTERVAL"
        }
    }
}

extension Repetition: CustomStringConvertible {
    /// `REQUIRED`, `OPTIONAL` or `REPEATED`.
    public var description: String {
        switch self {
        case .required: "REQUIRED"
        case .optional: "OPTIONAL"
        case .repeated: "REPEATED"
        }
    }
}

extension TimeUnit: CustomStringConvertible {
    /// `MILLIS`, `MICROS` or `NANOS`.
    public var description: String {
        switch self {
        case .milliseconds: "MILLIS"
        case .microseconds: "MICROS"
        case .nanoseconds: "NANOS"
        }
    }
}

extension LogicalType: CustomStringConvertible {
    /// The annotation as the specification writes it, e.g. `TIMESTAMP(MICROS, UTC)`,
    /// `INT(8, signed)`, `DECIMAL(10, 2)`.
    public var description: String {
        switch self {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal(let scale, let precision): "DECIMAL(\(precision), \(scale))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(unit)\(utc ? ", UTC" : ""))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(unit)\(utc ? ", UTC" : ""))"
        case .integer(let width, let signed): "INT(\(width), \(signed ? "signed" : "unsigned"))"
        case .unknown: "UNKNOWN"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        case .other(let id): "LogicalType#\(id)"
        }
    }
}
