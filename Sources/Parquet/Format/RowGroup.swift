/// A horizontal slice of the table, one chunk per leaf column: `parquet.thrift` `RowGroup`.
public struct RowGroup: Sendable, Hashable {
    /// One chunk per leaf column, in schema order (field 1, required).
    public var columns: [ColumnChunk]
    /// The uncompressed size of all column data (field 2, required).
    public var totalByteSize: Int64
    /// The number of rows (field 3, required).
    public var numRows: Int64
    /// Sort orders the writer declares (field 4).
    public var sortingColumns: [SortingColumn]?
    /// The file offset of the row group's first page (field 5).
    public var fileOffset: Int64?
    /// The stored size of all column data (field 6).
    public var totalCompressedSize: Int64?
    /// The row group's index in the file (field 7).
    public var ordinal: Int16?

    /// Creates a row group.
    public init(
        columns: [ColumnChunk],
        totalByteSize: Int64,
        numRows: Int64,
        sortingColumns: [SortingColumn]? = nil,
        fileOffset: Int64? = nil,
        totalCompressedSize: Int64? = nil,
        ordinal: Int16? = nil
    ) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var result = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: columns = try reader.readList(field, "RowGroup.columns", of: .struct) { try ColumnChunk(from: &$0) }
            case 2: totalByteSize = try reader.readCount64(field, "RowGroup.total_byte_size")
            case 3: numRows = try reader.readCount64(field, "RowGroup.num_rows")
            case 4: result.sortingColumns = try reader.readList(field, "RowGroup.sorting_columns", of: .struct) { try SortingColumn(from: &$0) }
            case 5: result.fileOffset = try reader.readI64(field, "RowGroup.file_offset")
            case 6: result.totalCompressedSize = try reader.readCount64(field, "RowGroup.total_compressed_size")
            case 7: result.ordinal = try reader.readI16(field, "RowGroup.ordinal")
            default: try reader.skip(field.type)
            }
        }
        guard let columns else { throw ParquetError.missingField("RowGroup", 1, "columns", offset: start) }
        guard let totalByteSize else { throw ParquetError.missingField("RowGroup", 2, "total_byte_size", offset: start) }
        guard let numRows else { throw ParquetError.missingField("RowGroup", 3, "num_rows", offset: start) }
        result.columns = columns
        result.totalByteSize = totalByteSize
        result.numRows = numRows
        self = result
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeListField(1, of: .struct, columns) { $1.write(to: &$0) }
            writer.writeI64Field(2, totalByteSize)
            writer.writeI64Field(3, numRows)
            writer.writeListField(4, of: .struct, sortingColumns) { $1.write(to: &$0) }
            writer.writeI64Field(5, fileOffset)
            writer.writeI64Field(6, totalCompressedSize)
            writer.writeI16Field(7, ordinal)
        }
    }
}
