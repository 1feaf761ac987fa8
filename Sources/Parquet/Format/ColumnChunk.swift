/// One column's data in one row group: `parquet.thrift` `ColumnChunk`.
///
/// `fileOffset` is deprecated and means different things to different writers; ignore it and
/// use `metaData` (which every writer sets, though the IDL calls it optional). The page-index
/// fields locate the OffsetIndex and ColumnIndex, which a reader may ignore.
public struct ColumnChunk: Sendable, Hashable {
    /// The file holding the data, when not this one; never set by current writers (field 1).
    public var filePath: String?
    /// Deprecated; write 0, ignore on read (field 2, required).
    public var fileOffset: Int64
    /// Where the chunk is and what it holds (field 3).
    public var metaData: ColumnMetaData?
    /// The file offset of the chunk's OffsetIndex (field 4).
    public var offsetIndexOffset: Int64?
    /// The size of the chunk's OffsetIndex (field 5).
    public var offsetIndexLength: Int32?
    /// The file offset of the chunk's ColumnIndex (field 6).
    public var columnIndexOffset: Int64?
    /// The size of the chunk's ColumnIndex (field 7).
    public var columnIndexLength: Int32?

    /// Creates a column chunk.
    public init(
        filePath: String? = nil,
        fileOffset: Int64 = 0,
        metaData: ColumnMetaData?,
        offsetIndexOffset: Int64? = nil,
        offsetIndexLength: Int32? = nil,
        columnIndexOffset: Int64? = nil,
        columnIndexLength: Int32? = nil
    ) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
    }

    /// Decodes the struct at the reader's position; the encryption fields (8, 9) are skipped.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var fileOffset: Int64?
        var result = ColumnChunk(metaData: nil)
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: result.filePath = try reader.readString(field, "ColumnChunk.file_path")
            case 2: fileOffset = try reader.readI64(field, "ColumnChunk.file_offset")
            case 3: result.metaData = try reader.readStruct(field, "ColumnChunk.meta_data") { try ColumnMetaData(from: &$0) }
            case 4: result.offsetIndexOffset = try reader.readI64(field, "ColumnChunk.offset_index_offset")
            case 5: result.offsetIndexLength = try reader.readI32(field, "ColumnChunk.offset_index_length")
            case 6: result.columnIndexOffset = try reader.readI64(field, "ColumnChunk.column_index_offset")
            case 7: result.columnIndexLength = try reader.readI32(field, "ColumnChunk.column_index_length")
            default: try reader.skip(field.type)
            }
        }
        guard let fileOffset else { throw ParquetError.missingField("ColumnChunk", 2, "file_offset", offset: start) }
        result.fileOffset = fileOffset
        self = result
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeStringField(1, filePath)
            writer.writeI64Field(2, fileOffset)
            if let metaData {
                writer.writeFieldHeader(3, .struct)
                metaData.write(to: &writer)
            }
            writer.writeI64Field(4, offsetIndexOffset)
            writer.writeI32Field(5, offsetIndexLength)
            writer.writeI64Field(6, columnIndexOffset)
            writer.writeI32Field(7, columnIndexLength)
        }
    }
}
