/// One entry of key-value metadata: `parquet.thrift` `KeyValue`.
///
/// Found on the file (`FileMetaData.keyValueMetadata`, e.g. pyarrow's `ARROW:schema`) and on
/// column chunks. A missing value (nil) is not the same as an empty one.
public struct KeyValue: Sendable, Hashable {
    /// The key (field 1, required).
    public var key: String
    /// The value (field 2, optional).
    public var value: String?

    /// Creates an entry.
    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var key: String?
        var value: String?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: key = try reader.readString(field, "KeyValue.key")
            case 2: value = try reader.readString(field, "KeyValue.value")
            default: try reader.skip(field.type)
            }
        }
        guard let key else { throw ParquetError.missingField("KeyValue", 1, "key", offset: start) }
        self.init(key: key, value: value)
    }

    /// Encodes the struct.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeStringField(1, key)
            writer.writeStringField(2, value)
        }
    }
}
