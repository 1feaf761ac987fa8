/// The header of a v2 data page (`DATA_PAGE_V2`): `parquet.thrift` `DataPageHeaderV2`.
///
/// The page body is `[repetition levels][definition levels][values]`; the levels are never
/// compressed and have no length prefix (their lengths are here), and the values section is
/// compressed only when `isCompressed`. Both page sizes in `PageHeader` include the levels.
public struct DataPageHeaderV2: Sendable, Hashable {
    /// The number of values, nulls included (field 1, required).
    public var numValues: Int32
    /// The number of nulls (field 2, required).
    public var numNulls: Int32
    /// The number of rows (field 3, required).
    public var numRows: Int32
    /// The encoding of the values (field 4, required).
    public var encoding: Encoding
    /// The byte length of the definition levels (field 5, required).
    public var definitionLevelsByteLength: Int32
    /// The byte length of the repetition levels (field 6, required).
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed; absent means true (field 7).
    public var isCompressed: Bool
    /// Statistics of the page (field 8).
    public var statistics: Statistics?

    /// Creates a v2 data page header.
    public init(
        numValues: Int32,
        numNulls: Int32,
        numRows: Int32,
        encoding: Encoding,
        definitionLevelsByteLength: Int32,
        repetitionLevelsByteLength: Int32 = 0,
        isCompressed: Bool = true,
        statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Encoding?
        var definitionLength: Int32?
        var repetitionLength: Int32?
        var isCompressed = true
        var statistics: Statistics?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: numValues = try reader.readCount32(field, "DataPageHeaderV2.num_values")
            case 2: numNulls = try reader.readCount32(field, "DataPageHeaderV2.num_nulls")
            case 3: numRows = try reader.readCount32(field, "DataPageHeaderV2.num_rows")
            case 4: encoding = try reader.readEnum(field, "DataPageHeaderV2.encoding", as: "encoding")
            case 5: definitionLength = try reader.readCount32(field, "DataPageHeaderV2.definition_levels_byte_length")
            case 6: repetitionLength = try reader.readCount32(field, "DataPageHeaderV2.repetition_levels_byte_length")
            case 7: isCompressed = try reader.readBool(field, "DataPageHeaderV2.is_compressed")
            case 8: statistics = try reader.readStruct(field, "DataPageHeaderV2.statistics") { try Statistics(from: &$0) }
            default: try reader.skip(field.type)
            }
        }
        let name = "DataPageHeaderV2"
        guard let numValues else { throw ParquetError.missingField(name, 1, "num_values", offset: start) }
        guard let numNulls else { throw ParquetError.missingField(name, 2, "num_nulls", offset: start) }
        guard let numRows else { throw ParquetError.missingField(name, 3, "num_rows", offset: start) }
        guard let encoding else { throw ParquetError.missingField(name, 4, "encoding", offset: start) }
        guard let definitionLength else { throw ParquetError.missingField(name, 5, "definition_levels_byte_length", offset: start) }
        guard let repetitionLength else { throw ParquetError.missingField(name, 6, "repetition_levels_byte_length", offset: start) }
        self.init(
            numValues: numValues, numNulls: numNulls, numRows: numRows, encoding: encoding,
            definitionLevelsByteLength: definitionLength, repetitionLevelsByteLength: repetitionLength,
            isCompressed: isCompressed, statistics: statistics
        )
    }

    /// Encodes the struct; `isCompressed` is always written.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, numValues)
            writer.writeI32Field(2, numNulls)
            writer.writeI32Field(3, numRows)
            writer.writeI32Field(4, encoding.rawValue)
            writer.writeI32Field(5, definitionLevelsByteLength)
            writer.writeI32Field(6, repetitionLevelsByteLength)
            writer.writeBoolField(7, isCompressed)
            if let statistics {
                writer.writeFieldHeader(8, .struct)
                statistics.write(to: &writer)
            }
        }
    }
}
