// LogicalType as the `parquet.thrift` union `LogicalType`.
//
//   1 STRING{}   2 MAP{}   3 LIST{}   4 ENUM{}   5 DECIMAL{1: i32 scale, 2: i32 precision}
//   6 DATE{}     7 TIME{1: bool isAdjustedToUTC, 2: TimeUnit unit}
//   8 TIMESTAMP{1: bool isAdjustedToUTC, 2: TimeUnit unit}     (9 reserved for INTERVAL)
//   10 INTEGER{1: i8 bitWidth, 2: bool isSigned}   11 UNKNOWN{}   12 JSON{}   13 BSON{}
//   14 UUID{}    15 FLOAT16{}   16 VARIANT   17 GEOMETRY   18 GEOGRAPHY   19 VECTOR
//
// Members from 16 on, and any id not listed, decode as `.other(fieldID:)` with the payload
// skipped; so does TIME/TIMESTAMP with a TimeUnit member this library does not know.

extension LogicalType {
    /// The union member's field id.
    package var thriftFieldID: Int16 {
        switch self {
        case .string: 1
        case .map: 2
        case .list: 3
        case .enum: 4
        case .decimal: 5
        case .date: 6
        case .time: 7
        case .timestamp: 8
        case .integer: 10
        case .unknown: 11
        case .json: 12
        case .bson: 13
        case .uuid: 14
        case .float16: 15
        case .other(let id): id
        }
    }

    /// Decodes the union at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var result: LogicalType?
        try reader.readStruct { reader, field in
            guard result == nil else {
                throw ParquetError.corrupt("LogicalType union has more than one member", offset: field.offset)
            }
            result = try Self.decodeMember(field, from: &reader)
        }
        guard let result else { throw ParquetError.corrupt("LogicalType union has no member", offset: start) }
        self = result
    }

    /// Decodes the payload of one union member.
    /// Every member is a struct; a member of another wire type is skipped and decodes as
    /// `.other(fieldID:)`, as Apache Thrift's readers skip mistyped fields.
    private static func decodeMember(_ field: ThriftFieldHeader, from reader: inout ThriftCompactReader) throws -> LogicalType {
        guard field.type.matches(.struct) else {
            try reader.skip(field.type)
            return .other(fieldID: field.id)
        }
        let simple: LogicalType? = switch field.id {
        case 1: .string
        case 2: .map
        case 3: .list
        case 4: .enum
        case 6: .date
        case 11: .unknown
        case 12: .json
        case 13: .bson
        case 14: .uuid
        case 15: .float16
        default: nil
        }
        if let simple {
            try reader.skip(.struct)
            return simple
        }
        switch field.id {
        case 5:
            return try reader.readStruct(field, "LogicalType.DECIMAL") { try decodeDecimal(from: &$0) }
        case 7:
            return try reader.readStruct(field, "LogicalType.TIME") { reader in
                let (utc, unit) = try decodeTime("TimeType", from: &reader)
                guard let unit else { return .other(fieldID: 7) }
                return .time(isAdjustedToUTC: utc, unit: unit)
            }
        case 8:
            return try reader.readStruct(field, "LogicalType.TIMESTAMP") { reader in
                let (utc, unit) = try decodeTime("TimestampType", from: &reader)
                guard let unit else { return .other(fieldID: 8) }
                return .timestamp(isAdjustedToUTC: utc, unit: unit)
            }
        case 10:
            return try reader.readStruct(field, "LogicalType.INTEGER") { try decodeInteger(from: &$0) }
        default:
            try reader.skip(field.type)
            return .other(fieldID: field.id)
        }
    }

    /// Decodes `DecimalType {1: required i32 scale, 2: required i32 precision}`.
    private static func decodeDecimal(from reader: inout ThriftCompactReader) throws -> LogicalType {
        let start = reader.position
        var scale: Int32?
        var precision: Int32?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: scale = try reader.readI32(field, "DecimalType.scale")
            case 2: precision = try reader.readI32(field, "DecimalType.precision")
            default: try reader.skip(field.type)
            }
        }
        guard let scale else { throw ParquetError.missingField("DecimalType", 1, "scale", offset: start) }
        guard let precision else { throw ParquetError.missingField("DecimalType", 2, "precision", offset: start) }
        return .decimal(scale: scale, precision: precision)
    }

    /// Decodes `TimeType`/`TimestampType {1: required bool isAdjustedToUTC, 2: required TimeUnit unit}`;
    /// the unit is nil when it is a member this library does not know.
    private static func decodeTime(_ name: String, from reader: inout ThriftCompactReader) throws -> (Bool, TimeUnit?) {
        let start = reader.position
        var utc: Bool?
        var unit: TimeUnit??
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: utc = try reader.readBool(field, name + ".isAdjustedToUTC")
            case 2: unit = .some(try reader.readStruct(field, name + ".unit") { try TimeUnit.decode(from: &$0) })
            default: try reader.skip(field.type)
            }
        }
        guard let utc else { throw ParquetError.missingField(name, 1, "isAdjustedToUTC", offset: start) }
        guard let unit else { throw ParquetError.missingField(name, 2, "unit", offset: start) }
        return (utc, unit)
    }

    /// Decodes `IntType {1: required i8 bitWidth, 2: required bool isSigned}`.
    private static func decodeInteger(from reader: inout ThriftCompactReader) throws -> LogicalType {
        let start = reader.position
        var bitWidth: Int8?
        var signed: Bool?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: bitWidth = try reader.readI8(field, "IntType.bitWidth")
            case 2: signed = try reader.readBool(field, "IntType.isSigned")
            default: try reader.skip(field.type)
            }
        }
        guard let bitWidth else { throw ParquetError.missingField("IntType", 1, "bitWidth", offset: start) }
        guard let signed else { throw ParquetError.missingField("IntType", 2, "isSigned", offset: start) }
        return .integer(bitWidth: bitWidth, isSigned: signed)
    }

    /// Encodes the union. `.other(fieldID:)` is written as that member with an empty payload;
    /// for TIME (7) and TIMESTAMP (8), which `.other` stands for only when their unit was not
    /// understood, that payload lacks required fields and will not read back.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            switch self {
            case .decimal(let scale, let precision):
                writer.writeStructField(5) { writer in
                    writer.writeI32Field(1, scale)
                    writer.writeI32Field(2, precision)
                }
            case .time(let utc, let unit), .timestamp(let utc, let unit):
                writer.writeStructField(thriftFieldID) { writer in
                    writer.writeBoolField(1, utc)
                    writer.writeFieldHeader(2, .struct)
                    unit.write(to: &writer)
                }
            case .integer(let bitWidth, let signed):
                writer.writeStructField(10) { writer in
                    writer.writeI8Field(1, bitWidth)
                    writer.writeBoolField(2, signed)
                }
            case .string, .map, .list, .enum, .date, .unknown, .json, .bson, .uuid, .float16, .other:
                writer.writeStructField(thriftFieldID) { _ in }
            }
        }
    }
}
