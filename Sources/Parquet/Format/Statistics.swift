/// Statistics of a column chunk or a page: `parquet.thrift` `Statistics`. Every field is optional.
///
/// Values are PLAIN-encoded, except that BYTE_ARRAY values have no length prefix. `min`/`max`
/// are the deprecated signed-order bounds; `minValue`/`maxValue` follow the column's
/// `ColumnOrder`. An absent `nullCount` (nil) must not be read as 0.
public struct Statistics: Sendable, Hashable {
    /// Deprecated upper bound in signed order (field 1).
    public var max: [UInt8]?
    /// Deprecated lower bound in signed order (field 2).
    public var min: [UInt8]?
    /// The number of nulls (field 3).
    public var nullCount: Int64?
    /// The number of distinct values (field 4).
    public var distinctCount: Int64?
    /// Upper bound under the column order (field 5).
    public var maxValue: [UInt8]?
    /// Lower bound under the column order (field 6).
    public var minValue: [UInt8]?
    /// Whether `maxValue` is the actual maximum (field 7).
    public var isMaxValueExact: Bool?
    /// Whether `minValue` is the actual minimum (field 8).
    public var isMinValueExact: Bool?
    /// The number of NaN values, for FLOAT, DOUBLE and FLOAT16 columns (field 9).
    public var nanCount: Int64?

    /// Creates statistics; every field defaults to absent.
    public init(
        max: [UInt8]? = nil, min: [UInt8]? = nil,
        nullCount: Int64? = nil, distinctCount: Int64? = nil,
        maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil,
        isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil,
        nanCount: Int64? = nil
    ) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        var result = Statistics()
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: result.max = try reader.readBinary(field, "Statistics.max")
            case 2: result.min = try reader.readBinary(field, "Statistics.min")
            case 3: result.nullCount = try reader.readCount64(field, "Statistics.null_count")
            case 4: result.distinctCount = try reader.readCount64(field, "Statistics.distinct_count")
            case 5: result.maxValue = try reader.readBinary(field, "Statistics.max_value")
            case 6: result.minValue = try reader.readBinary(field, "Statistics.min_value")
            case 7: result.isMaxValueExact = try reader.readBool(field, "Statistics.is_max_value_exact")
            case 8: result.isMinValueExact = try reader.readBool(field, "Statistics.is_min_value_exact")
            case 9: result.nanCount = try reader.readCount64(field, "Statistics.nan_count")
            default: try reader.skip(field.type)
            }
        }
        self = result
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeBinaryField(1, max)
            writer.writeBinaryField(2, min)
            writer.writeI64Field(3, nullCount)
            writer.writeI64Field(4, distinctCount)
            writer.writeBinaryField(5, maxValue)
            writer.writeBinaryField(6, minValue)
            writer.writeBoolField(7, isMaxValueExact)
            writer.writeBoolField(8, isMinValueExact)
            writer.writeI64Field(9, nanCount)
        }
    }
}
