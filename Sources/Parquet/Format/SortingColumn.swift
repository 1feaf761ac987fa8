/// A sort order that a row group declares for one of its columns: `parquet.thrift` `SortingColumn`.
public struct SortingColumn: Sendable, Hashable {
    /// The column's index among the row group's columns (field 1, required).
    public var columnIndex: Int32
    /// Whether the column is sorted in descending order (field 2, required).
    public var descending: Bool
    /// Whether nulls come before non-null values (field 3, required).
    public var nullsFirst: Bool

    /// Creates a sorting column.
    public init(columnIndex: Int32, descending: Bool = false, nullsFirst: Bool = false) {
        self.columnIndex = columnIndex
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var columnIndex: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: columnIndex = try reader.readCount32(field, "SortingColumn.column_idx")
            case 2: descending = try reader.readBool(field, "SortingColumn.descending")
            case 3: nullsFirst = try reader.readBool(field, "SortingColumn.nulls_first")
            default: try reader.skip(field.type)
            }
        }
        guard let columnIndex else { throw ParquetError.missingField("SortingColumn", 1, "column_idx", offset: start) }
        guard let descending else { throw ParquetError.missingField("SortingColumn", 2, "descending", offset: start) }
        guard let nullsFirst else { throw ParquetError.missingField("SortingColumn", 3, "nulls_first", offset: start) }
        self.init(columnIndex: columnIndex, descending: descending, nullsFirst: nullsFirst)
    }

    /// Encodes the struct.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, columnIndex)
            writer.writeBoolField(2, descending)
            writer.writeBoolField(3, nullsFirst)
        }
    }
}
