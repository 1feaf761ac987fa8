/// What a column chunk holds and where: `parquet.thrift` `ColumnMetaData`.
///
/// The chunk's pages start at `dictionaryPageOffset` (when it is set and valid: greater than
/// 0 and less than `dataPageOffset`) or at `dataPageOffset`, and take `totalCompressedSize`
/// bytes, page headers included.
public struct ColumnMetaData: Sendable, Hashable {
    /// The physical type of the values (field 1, required).
    public var type: PhysicalType
    /// The encodings used in the chunk; informational, may be empty. Values this library does
    /// not know are dropped when reading (field 2, required).
    public var encodings: [Encoding]
    /// The column's path from the root, e.g. `["metrics", "loss"]` (field 3, required).
    public var pathInSchema: [String]
    /// The compression codec of every page (field 4, required).
    public var codec: CompressionCodec
    /// The number of values, nulls included (field 5, required).
    public var numValues: Int64
    /// The size of all pages uncompressed, headers included (field 6, required).
    public var totalUncompressedSize: Int64
    /// The size of all pages as stored, headers included (field 7, required).
    public var totalCompressedSize: Int64
    /// Key-value metadata of the chunk (field 8).
    public var keyValueMetadata: [KeyValue]?
    /// The file offset of the first data page (field 9, required).
    public var dataPageOffset: Int64
    /// The file offset of the root index page (field 10).
    public var indexPageOffset: Int64?
    /// The file offset of the dictionary page; may be 0 or otherwise bogus in some files (field 11).
    public var dictionaryPageOffset: Int64?
    /// Statistics of the whole chunk (field 12).
    public var statistics: Statistics?
    /// The file offset of the chunk's bloom filter (field 14).
    public var bloomFilterOffset: Int64?
    /// The size of the bloom filter, header included (field 15).
    public var bloomFilterLength: Int32?

    /// Creates column metadata.
    public init(
        type: PhysicalType,
        encodings: [Encoding],
        pathInSchema: [String],
        codec: CompressionCodec,
        numValues: Int64,
        totalUncompressedSize: Int64,
        totalCompressedSize: Int64,
        keyValueMetadata: [KeyValue]? = nil,
        dataPageOffset: Int64,
        indexPageOffset: Int64? = nil,
        dictionaryPageOffset: Int64? = nil,
        statistics: Statistics? = nil,
        bloomFilterOffset: Int64? = nil,
        bloomFilterLength: Int32? = nil
    ) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
    }

    /// Decodes the struct at the reader's position. `encoding_stats` (13), `size_statistics`
    /// (16) and `geospatial_statistics` (17) are skipped.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var type: PhysicalType?
        var encodings: [Encoding]?
        var path: [String]?
        var codec: CompressionCodec?
        var numValues: Int64?
        var uncompressed: Int64?
        var compressed: Int64?
        var keyValueMetadata: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: type = try reader.readEnum(field, "ColumnMetaData.type", as: "physical type")
            case 2: encodings = try reader.readEncodingList(field, "ColumnMetaData.encodings")
            case 3: path = try reader.readList(field, "ColumnMetaData.path_in_schema", of: .binary) { try $0.readString() }
            case 4: codec = try reader.readEnum(field, "ColumnMetaData.codec", as: "compression codec")
            case 5: numValues = try reader.readCount64(field, "ColumnMetaData.num_values")
            case 6: uncompressed = try reader.readCount64(field, "ColumnMetaData.total_uncompressed_size")
            case 7: compressed = try reader.readCount64(field, "ColumnMetaData.total_compressed_size")
            case 8: keyValueMetadata = try reader.readList(field, "ColumnMetaData.key_value_metadata", of: .struct) { try KeyValue(from: &$0) }
            case 9: dataPageOffset = try reader.readCount64(field, "ColumnMetaData.data_page_offset")
            case 10: indexPageOffset = try reader.readI64(field, "ColumnMetaData.index_page_offset")
            case 11: dictionaryPageOffset = try reader.readI64(field, "ColumnMetaData.dictionary_page_offset")
            case 12: statistics = try reader.readStruct(field, "ColumnMetaData.statistics") { try Statistics(from: &$0) }
            case 14: bloomFilterOffset = try reader.readI64(field, "ColumnMetaData.bloom_filter_offset")
            case 15: bloomFilterLength = try reader.readI32(field, "ColumnMetaData.bloom_filter_length")
            default: try reader.skip(field.type)
            }
        }
        let name = "ColumnMetaData"
        guard let type else { throw ParquetError.missingField(name, 1, "type", offset: start) }
        guard let encodings else { throw ParquetError.missingField(name, 2, "encodings", offset: start) }
        guard let path else { throw ParquetError.missingField(name, 3, "path_in_schema", offset: start) }
        guard let codec else { throw ParquetError.missingField(name, 4, "codec", offset: start) }
        guard let numValues else { throw ParquetError.missingField(name, 5, "num_values", offset: start) }
        guard let uncompressed else { throw ParquetError.missingField(name, 6, "total_uncompressed_size", offset: start) }
        guard let compressed else { throw ParquetError.missingField(name, 7, "total_compressed_size", offset: start) }
        guard let dataPageOffset else { throw ParquetError.missingField(name, 9, "data_page_offset", offset: start) }
        self.init(
            type: type, encodings: encodings, pathInSchema: path, codec: codec, numValues: numValues,
            totalUncompressedSize: uncompressed, totalCompressedSize: compressed,
            keyValueMetadata: keyValueMetadata, dataPageOffset: dataPageOffset,
            indexPageOffset: indexPageOffset, dictionaryPageOffset: dictionaryPageOffset,
            statistics: statistics, bloomFilterOffset: bloomFilterOffset, bloomFilterLength: bloomFilterLength
        )
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, type.rawValue)
            writer.writeListField(2, of: .i32, encodings) { $0.writeI32($1.rawValue) }
            writer.writeListField(3, of: .binary, pathInSchema) { $0.writeString($1) }
            writer.writeI32Field(4, codec.rawValue)
            writer.writeI64Field(5, numValues)
            writer.writeI64Field(6, totalUncompressedSize)
            writer.writeI64Field(7, totalCompressedSize)
            writer.writeListField(8, of: .struct, keyValueMetadata) { $1.write(to: &$0) }
            writer.writeI64Field(9, dataPageOffset)
            writer.writeI64Field(10, indexPageOffset)
            writer.writeI64Field(11, dictionaryPageOffset)
            if let statistics {
                writer.writeFieldHeader(12, .struct)
                statistics.write(to: &writer)
            }
            writer.writeI64Field(14, bloomFilterOffset)
            writer.writeI32Field(15, bloomFilterLength)
        }
    }
}
