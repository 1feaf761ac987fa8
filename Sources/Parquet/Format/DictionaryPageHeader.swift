/// The header of a dictionary page: `parquet.thrift` `DictionaryPageHeader`.
///
/// The page body holds `numValues` PLAIN-encoded values. The encoding is PLAIN, or the legacy
/// PLAIN_DICTIONARY (parquet-mr v1, Impala, pyarrow `version='1.0'`), which means the same.
public struct DictionaryPageHeader: Sendable, Hashable {
    /// The number of dictionary entries (field 1, required).
    public var numValues: Int32
    /// The encoding of the entries (field 2, required).
    public var encoding: Encoding
    /// Whether the entries are sorted in ascending order (field 3).
    public var isSorted: Bool?

    /// Creates a dictionary page header.
    public init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var numValues: Int32?
        var encoding: Encoding?
        var isSorted: Bool?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: numValues = try reader.readCount32(field, "DictionaryPageHeader.num_values")
            case 2: encoding = try reader.readEnum(field, "DictionaryPageHeader.encoding", as: "encoding")
            case 3: isSorted = try reader.readBool(field, "DictionaryPageHeader.is_sorted")
            default: try reader.skip(field.type)
            }
        }
        guard let numValues else { throw ParquetError.missingField("DictionaryPageHeader", 1, "num_values", offset: start) }
        guard let encoding else { throw ParquetError.missingField("DictionaryPageHeader", 2, "encoding", offset: start) }
        self.init(numValues: numValues, encoding: encoding, isSorted: isSorted)
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, numValues)
            writer.writeI32Field(2, encoding.rawValue)
            writer.writeBoolField(3, isSorted)
        }
    }
}
