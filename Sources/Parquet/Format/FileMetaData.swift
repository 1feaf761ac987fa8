/// The footer of a Parquet file: `parquet.thrift` `FileMetaData`.
///
/// Read it with `Footer`; write it with `FooterWriter`. `numRows` may be wrong in some files
/// (parquet-testing `repeated_no_annotation.parquet` says 0); the sum of the row groups'
/// `numRows` is what readers trust.
///
/// ```swift
/// let metadata = try Footer.read(from: fileBytes)
/// print(metadata.createdBy ?? "unknown writer", metadata.rowGroups.count)
/// ```
public struct FileMetaData: Sendable, Hashable {
    /// The format version: 1, or 2 from writers that use newer features (field 1, required).
    public var version: Int32
    /// The schema, depth-first; element 0 is the root (field 2, required).
    public var schema: [SchemaElement]
    /// The number of rows, as the writer claims (field 3, required).
    public var numRows: Int64
    /// The row groups (field 4, required).
    public var rowGroups: [RowGroup]
    /// File-level key-value metadata (field 5).
    public var keyValueMetadata: [KeyValue]?
    /// The writer, e.g. `parquet-cpp-arrow version 26.0.1` (field 6).
    public var createdBy: String?
    /// The order of each leaf column's min/max statistics, in schema order (field 7).
    public var columnOrders: [ColumnOrder]?

    /// Creates file metadata.
    public init(
        version: Int32 = 1,
        schema: [SchemaElement],
        numRows: Int64,
        rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil,
        createdBy: String? = nil,
        columnOrders: [ColumnOrder]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    /// Decodes the struct at the reader's position; the encryption fields (8, 9) are skipped.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var result = FileMetaData(schema: [], numRows: 0, rowGroups: [])
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: version = try reader.readI32(field, "FileMetaData.version")
            case 2: schema = try reader.readList(field, "FileMetaData.schema", of: .struct) { try SchemaElement(from: &$0) }
            case 3: numRows = try reader.readCount64(field, "FileMetaData.num_rows")
            case 4: rowGroups = try reader.readList(field, "FileMetaData.row_groups", of: .struct) { try RowGroup(from: &$0) }
            case 5: result.keyValueMetadata = try reader.readList(field, "FileMetaData.key_value_metadata", of: .struct) { try KeyValue(from: &$0) }
            case 6: result.createdBy = try reader.readString(field, "FileMetaData.created_by")
            case 7: result.columnOrders = try reader.readList(field, "FileMetaData.column_orders", of: .struct) { try ColumnOrder(from: &$0) }
            default: try reader.skip(field.type)
            }
        }
        guard let version else { throw ParquetError.missingField("FileMetaData", 1, "version", offset: start) }
        guard let schema else { throw ParquetError.missingField("FileMetaData", 2, "schema", offset: start) }
        guard let numRows else { throw ParquetError.missingField("FileMetaData", 3, "num_rows", offset: start) }
        guard let rowGroups else { throw ParquetError.missingField("FileMetaData", 4, "row_groups", offset: start) }
        result.version = version
        result.schema = schema
        result.numRows = numRows
        result.rowGroups = rowGroups
        self = result
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, version)
            writer.writeListField(2, of: .struct, schema) { $1.write(to: &$0) }
            writer.writeI64Field(3, numRows)
            writer.writeListField(4, of: .struct, rowGroups) { $1.write(to: &$0) }
            writer.writeListField(5, of: .struct, keyValueMetadata) { $1.write(to: &$0) }
            writer.writeStringField(6, createdBy)
            writer.writeListField(7, of: .struct, columnOrders) { $1.write(to: &$0) }
        }
    }
}
