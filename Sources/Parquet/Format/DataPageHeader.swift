/// The header of a v1 data page (`DATA_PAGE`): `parquet.thrift` `DataPageHeader`.
///
/// The page body is `[repetition levels][definition levels][values]`, all compressed
/// together; v1 levels encoded as RLE carry a 4-byte little-endian length prefix.
public struct DataPageHeader: Sendable, Hashable {
    /// The number of values, nulls included (field 1, required).
    public var numValues: Int32
    /// The encoding of the values (field 2, required).
    public var encoding: Encoding
    /// The encoding of the definition levels, normally RLE (field 3, required).
    public var definitionLevelEncoding: Encoding
    /// The encoding of the repetition levels: RLE, or BIT_PACKED from some writers; irrelevant
    /// for flat columns (field 4, required).
    public var repetitionLevelEncoding: Encoding
    /// Statistics of the page (field 5).
    public var statistics: Statistics?

    /// Creates a v1 data page header.
    public init(
        numValues: Int32,
        encoding: Encoding,
        definitionLevelEncoding: Encoding = .rle,
        repetitionLevelEncoding: Encoding = .rle,
        statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var numValues: Int32?
        var encoding: Encoding?
        var definition: Encoding?
        var repetition: Encoding?
        var statistics: Statistics?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: numValues = try reader.readCount32(field, "DataPageHeader.num_values")
            case 2: encoding = try reader.readEnum(field, "DataPageHeader.encoding", as: "encoding")
            case 3: definition = try reader.readEnum(field, "DataPageHeader.definition_level_encoding", as: "encoding")
            case 4: repetition = try reader.readEnum(field, "DataPageHeader.repetition_level_encoding", as: "encoding")
            case 5: statistics = try reader.readStruct(field, "DataPageHeader.statistics") { try Statistics(from: &$0) }
            default: try reader.skip(field.type)
            }
        }
        let name = "DataPageHeader"
        guard let numValues else { throw ParquetError.missingField(name, 1, "num_values", offset: start) }
        guard let encoding else { throw ParquetError.missingField(name, 2, "encoding", offset: start) }
        guard let definition else { throw ParquetError.missingField(name, 3, "definition_level_encoding", offset: start) }
        guard let repetition else { throw ParquetError.missingField(name, 4, "repetition_level_encoding", offset: start) }
        self.init(
            numValues: numValues, encoding: encoding, definitionLevelEncoding: definition,
            repetitionLevelEncoding: repetition, statistics: statistics
        )
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, numValues)
            writer.writeI32Field(2, encoding.rawValue)
            writer.writeI32Field(3, definitionLevelEncoding.rawValue)
            writer.writeI32Field(4, repetitionLevelEncoding.rawValue)
            if let statistics {
                writer.writeFieldHeader(5, .struct)
                statistics.write(to: &writer)
            }
        }
    }
}
