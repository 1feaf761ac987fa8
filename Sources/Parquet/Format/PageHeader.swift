/// The Thrift header in front of every page of a column chunk: `parquet.thrift` `PageHeader`.
///
/// ```
/// column chunk:  [PageHeader][page bytes: compressedPageSize] [PageHeader][page bytes] ...
/// ```
/// Exactly one of the per-kind headers is set, matching `type`. A page of a kind this library
/// does not know has `type == nil` (its wire value is in `typeValue`); skip it by
/// `compressedPageSize`. Both sizes exclude the header itself.
public struct PageHeader: Sendable, Hashable {
    /// The page's kind as stored (field 1, required); see `type`.
    public var typeValue: Int32
    /// The size of the page body after decompression (field 2, required).
    public var uncompressedPageSize: Int32
    /// The size of the page body as stored (field 3, required).
    public var compressedPageSize: Int32
    /// CRC-32 (zlib polynomial) of the page body as stored (field 4).
    public var crc: Int32?
    /// Set for `DATA_PAGE` (field 5).
    public var dataPageHeader: DataPageHeader?
    /// Set for `DICTIONARY_PAGE` (field 7).
    public var dictionaryPageHeader: DictionaryPageHeader?
    /// Set for `DATA_PAGE_V2` (field 8).
    public var dataPageHeaderV2: DataPageHeaderV2?

    /// The page's kind, or nil for a kind this library does not know.
    public var type: PageType? {
        get { PageType(rawValue: typeValue) }
        set { if let newValue { typeValue = newValue.rawValue } }
    }

    /// Creates a page header.
    public init(
        type: PageType,
        uncompressedPageSize: Int32,
        compressedPageSize: Int32,
        crc: Int32? = nil,
        dataPageHeader: DataPageHeader? = nil,
        dictionaryPageHeader: DictionaryPageHeader? = nil,
        dataPageHeaderV2: DataPageHeaderV2? = nil
    ) {
        self.typeValue = type.rawValue
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    /// Decodes the struct at the reader's position; `index_page_header` (6) is skipped.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var typeValue: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        var crc: Int32?
        var dataPageHeader: DataPageHeader?
        var dictionaryPageHeader: DictionaryPageHeader?
        var dataPageHeaderV2: DataPageHeaderV2?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: typeValue = try reader.readI32(field, "PageHeader.type")
            case 2: uncompressed = try reader.readCount32(field, "PageHeader.uncompressed_page_size")
            case 3: compressed = try reader.readCount32(field, "PageHeader.compressed_page_size")
            case 4: crc = try reader.readI32(field, "PageHeader.crc")
            case 5: dataPageHeader = try reader.readStruct(field, "PageHeader.data_page_header") { try DataPageHeader(from: &$0) }
            case 7: dictionaryPageHeader = try reader.readStruct(field, "PageHeader.dictionary_page_header") { try DictionaryPageHeader(from: &$0) }
            case 8: dataPageHeaderV2 = try reader.readStruct(field, "PageHeader.data_page_header_v2") { try DataPageHeaderV2(from: &$0) }
            default: try reader.skip(field.type)
            }
        }
        guard let typeValue else { throw ParquetError.missingField("PageHeader", 1, "type", offset: start) }
        guard let uncompressed else { throw ParquetError.missingField("PageHeader", 2, "uncompressed_page_size", offset: start) }
        guard let compressed else { throw ParquetError.missingField("PageHeader", 3, "compressed_page_size", offset: start) }
        self.typeValue = typeValue
        self.uncompressedPageSize = uncompressed
        self.compressedPageSize = compressed
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, typeValue)
            writer.writeI32Field(2, uncompressedPageSize)
            writer.writeI32Field(3, compressedPageSize)
            writer.writeI32Field(4, crc)
            if let dataPageHeader {
                writer.writeFieldHeader(5, .struct)
                dataPageHeader.write(to: &writer)
            }
            if let dictionaryPageHeader {
                writer.writeFieldHeader(7, .struct)
                dictionaryPageHeader.write(to: &writer)
            }
            if let dataPageHeaderV2 {
                writer.writeFieldHeader(8, .struct)
                dataPageHeaderV2.write(to: &writer)
            }
        }
    }

    /// Decodes the header at the start of `buffer` (a page header followed by anything) and
    /// returns it with the number of bytes it took; the page body starts right after.
    ///
    /// Errors carry offsets relative to the start of `buffer`; shift them with
    /// `ParquetError.shifted(by:)` to make them file offsets.
    package static func decode(from buffer: UnsafeRawBufferPointer) throws -> (header: PageHeader, byteCount: Int) {
        var reader = ThriftCompactReader(buffer)
        let header = try PageHeader(from: &reader)
        return (header, reader.position)
    }

    /// Decodes the header at the start of `bytes`; see `decode(from:)` for a buffer.
    package static func decode(from bytes: [UInt8]) throws -> (header: PageHeader, byteCount: Int) {
        try bytes.withUnsafeBytes { try decode(from: $0) }
    }

    /// Appends the encoded header to `bytes`, without copying what is already there.
    package func append(to bytes: inout [UInt8]) {
        var writer = ThriftCompactWriter(capacity: 0)
        swap(&writer.bytes, &bytes)
        write(to: &writer)
        swap(&writer.bytes, &bytes)
    }

    /// The encoded header.
    package func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter(capacity: 64)
        write(to: &writer)
        return writer.bytes
    }
}
