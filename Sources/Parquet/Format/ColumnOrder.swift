/// How a column's `Statistics.minValue`/`maxValue` are ordered: `parquet.thrift` `ColumnOrder`
/// (a union).
///
/// Written as one entry per leaf column in `FileMetaData.columnOrders`; `TypeDefinedOrder` is
/// the bytes `1c 00 00`. A reader that does not know an entry's order must ignore that column's
/// min/max statistics.
public enum ColumnOrder: Sendable, Hashable {
    /// The order defined by the column's logical type, else its physical type (`TYPE_ORDER`, 1).
    case typeDefined
    /// IEEE 754 total order for FLOAT, DOUBLE and FLOAT16 (`IEEE_754_TOTAL_ORDER`, 2).
    case ieee754TotalOrder
    /// Chronological order for INT96 timestamps (`INT96_TIMESTAMP_ORDER`, 3).
    case int96TimestampOrder
    /// A union member this library does not know, by its field id.
    case unknown(fieldID: Int16)

    /// The union member's field id.
    public var fieldID: Int16 {
        switch self {
        case .typeDefined: 1
        case .ieee754TotalOrder: 2
        case .int96TimestampOrder: 3
        case .unknown(let id): id
        }
    }

    /// Decodes the union at the reader's position; unknown members are skipped.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var result: ColumnOrder?
        try reader.readStruct { reader, field in
            guard result == nil else {
                throw ParquetError.corrupt("ColumnOrder union has more than one member", offset: field.offset)
            }
            // Every member is an empty struct; a member of another wire type is skipped and
            // read as an unknown order, as Apache Thrift's readers skip mistyped fields.
            switch field.id {
            case 1 where field.type.matches(.struct): result = .typeDefined
            case 2 where field.type.matches(.struct): result = .ieee754TotalOrder
            case 3 where field.type.matches(.struct): result = .int96TimestampOrder
            default: result = .unknown(fieldID: field.id)
            }
            try reader.skip(field.type)
        }
        guard let result else { throw ParquetError.corrupt("ColumnOrder union has no member", offset: start) }
        self = result
    }

    /// Encodes the union; every member is an empty struct.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeStructField(fieldID) { _ in }
        }
    }
}
