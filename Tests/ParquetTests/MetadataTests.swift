import Testing
import Parquet

/// Sample metadata values, fully and minimally populated.
enum MetadataSamples {
    static let fullStatistics = Statistics(
        max: [9, 0, 0, 0], min: [1, 0, 0, 0], nullCount: 3, distinctCount: 7,
        maxValue: Array("zeta".utf8), minValue: [], isMaxValueExact: true, isMinValueExact: false, nanCount: 0
    )

    static let logicalTypes: [LogicalType] = [
        .string, .map, .list, .enum, .decimal(scale: 2, precision: 10), .date,
        .time(isAdjustedToUTC: true, unit: .milliseconds), .time(isAdjustedToUTC: false, unit: .nanoseconds),
        .timestamp(isAdjustedToUTC: true, unit: .microseconds), .timestamp(isAdjustedToUTC: false, unit: .nanoseconds),
        .timestamp(isAdjustedToUTC: false, unit: .milliseconds),
        .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 64, isSigned: false), .unknown, .json, .bson,
        .uuid, .float16, .other(fieldID: 16), .other(fieldID: 19), .other(fieldID: 2555),
    ]

    static let schema: [SchemaElement] = [
        SchemaElement(name: "schema", repetition: .required, numChildren: 4),
        SchemaElement(name: "step", type: .int64, repetition: .required),
        SchemaElement(name: "host", type: .byteArray, repetition: .optional, convertedType: .utf8, logicalType: .string),
        SchemaElement(name: "ts", type: .int64, repetition: .optional, convertedType: .timestampMicros,
                      logicalType: .timestamp(isAdjustedToUTC: true, unit: .microseconds)),
        SchemaElement(name: "price", type: .fixedLenByteArray, typeLength: 5, repetition: .optional, convertedType: .decimal,
                      scale: 2, precision: 10, fieldID: 17, logicalType: .decimal(scale: 2, precision: 10)),
    ]

    static let columnMetaData = ColumnMetaData(
        type: .int64, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["a", "b"], codec: .zstd,
        numValues: 1_000_000, totalUncompressedSize: 8_000_123, totalCompressedSize: 1_234_567,
        keyValueMetadata: [KeyValue(key: "k", value: "v"), KeyValue(key: "absent")],
        dataPageOffset: 4_000_000_000, indexPageOffset: 17, dictionaryPageOffset: 4, statistics: fullStatistics,
        bloomFilterOffset: 99, bloomFilterLength: 1024
    )

    static let fullFile = FileMetaData(
        version: 2,
        schema: schema,
        numRows: 1_000_000,
        rowGroups: [
            RowGroup(
                columns: [
                    ColumnChunk(filePath: "other.parquet", fileOffset: 12, metaData: columnMetaData,
                                offsetIndexOffset: 100, offsetIndexLength: 20, columnIndexOffset: 120, columnIndexLength: 30),
                    ColumnChunk(metaData: ColumnMetaData(
                        type: .byteArray, encodings: [], pathInSchema: ["host"], codec: .snappy, numValues: 0,
                        totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 4)),
                ],
                totalByteSize: 123, numRows: 1_000_000,
                sortingColumns: [SortingColumn(columnIndex: 0, descending: true, nullsFirst: false)],
                fileOffset: 4, totalCompressedSize: 99, ordinal: 0
            ),
            RowGroup(columns: [], totalByteSize: 0, numRows: 0),
        ],
        keyValueMetadata: [KeyValue(key: "specimen.run_id", value: "20250101_000000"), KeyValue(key: "empty", value: "")],
        createdBy: "specimen version 0.1.0 (build abc)",
        columnOrders: [.typeDefined, .ieee754TotalOrder, .int96TimestampOrder, .unknown(fieldID: 9)]
    )

    static let pageHeaders: [PageHeader] = [
        PageHeader(type: .dictionaryPage, uncompressedPageSize: 72, compressedPageSize: 44,
                   dictionaryPageHeader: DictionaryPageHeader(numValues: 8, encoding: .plain, isSorted: false)),
        PageHeader(type: .dataPage, uncompressedPageSize: 12, compressedPageSize: 14, crc: -123_456,
                   dataPageHeader: DataPageHeader(numValues: 10, encoding: .rleDictionary, definitionLevelEncoding: .rle,
                                                  repetitionLevelEncoding: .bitPacked, statistics: fullStatistics)),
        PageHeader(type: .dataPageV2, uncompressedPageSize: 0, compressedPageSize: 0,
                   dataPageHeaderV2: DataPageHeaderV2(numValues: 5, numNulls: 1, numRows: 5, encoding: .deltaBinaryPacked,
                                                      definitionLevelsByteLength: 2, repetitionLevelsByteLength: 0,
                                                      isCompressed: false, statistics: Statistics(nullCount: 1))),
        PageHeader(type: .dataPageV2, uncompressedPageSize: Int32.max, compressedPageSize: 1,
                   dataPageHeaderV2: DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: .plain,
                                                      definitionLevelsByteLength: 0)),
        PageHeader(type: .indexPage, uncompressedPageSize: 1, compressedPageSize: 1),
    ]
}

@Suite("Parquet metadata structs")
struct MetadataTests {
    /// Writes a value with `write`, reads it back with `read`, and checks every byte was used.
    static func roundTrip<T: Equatable>(_ value: T, write: (T, inout ThriftCompactWriter) -> Void, read: (inout ThriftCompactReader) throws -> T) throws -> [UInt8] {
        var writer = ThriftCompactWriter()
        write(value, &writer)
        let bytes = writer.bytes
        let (decoded, end) = try ThriftTesting.readAll(bytes, read)
        #expect(decoded == value)
        #expect(end == bytes.count)
        return bytes
    }

    @Test("FileMetaData round-trips, fully and minimally populated")
    func fileMetaData() throws {
        _ = try Self.roundTrip(MetadataSamples.fullFile, write: { $0.write(to: &$1) }, read: { try FileMetaData(from: &$0) })
        let minimal = FileMetaData(schema: [SchemaElement(name: "root", numChildren: 0)], numRows: 0, rowGroups: [])
        let bytes = try Self.roundTrip(minimal, write: { $0.write(to: &$1) }, read: { try FileMetaData(from: &$0) })
        // version 1, schema [ {name "root", num_children 0} ], num_rows 0, row_groups [].
        #expect(bytes == ThriftTesting.hex("15 02 19 1c 48 04 72 6f 6f 74 15 00 00 16 00 19 0c 00"))
    }

    @Test("every logical type round-trips through a SchemaElement")
    func logicalTypes() throws {
        for logicalType in MetadataSamples.logicalTypes {
            let element = SchemaElement(name: "c", type: .int64, repetition: .optional, logicalType: logicalType)
            _ = try Self.roundTrip(element, write: { $0.write(to: &$1) }, read: { try SchemaElement(from: &$0) })
        }
    }

    @Test("every struct round-trips")
    func structs() throws {
        for element in MetadataSamples.schema {
            _ = try Self.roundTrip(element, write: { $0.write(to: &$1) }, read: { try SchemaElement(from: &$0) })
        }
        for header in MetadataSamples.pageHeaders {
            _ = try Self.roundTrip(header, write: { $0.write(to: &$1) }, read: { try PageHeader(from: &$0) })
        }
        let statistics = [MetadataSamples.fullStatistics, Statistics(), Statistics(nullCount: 0)]
        for value in statistics {
            _ = try Self.roundTrip(value, write: { $0.write(to: &$1) }, read: { try Statistics(from: &$0) })
        }
        _ = try Self.roundTrip(MetadataSamples.columnMetaData, write: { $0.write(to: &$1) }, read: { try ColumnMetaData(from: &$0) })
        for chunk in MetadataSamples.fullFile.rowGroups[0].columns {
            _ = try Self.roundTrip(chunk, write: { $0.write(to: &$1) }, read: { try ColumnChunk(from: &$0) })
        }
        for group in MetadataSamples.fullFile.rowGroups {
            _ = try Self.roundTrip(group, write: { $0.write(to: &$1) }, read: { try RowGroup(from: &$0) })
        }
        for order in [ColumnOrder.typeDefined, .ieee754TotalOrder, .int96TimestampOrder, .unknown(fieldID: 300)] {
            _ = try Self.roundTrip(order, write: { $0.write(to: &$1) }, read: { try ColumnOrder(from: &$0) })
        }
        for keyValue in [KeyValue(key: "k"), KeyValue(key: "", value: ""), KeyValue(key: "ü", value: "ß")] {
            _ = try Self.roundTrip(keyValue, write: { $0.write(to: &$1) }, read: { try KeyValue(from: &$0) })
        }
        let sorting = SortingColumn(columnIndex: 3, descending: false, nullsFirst: true)
        _ = try Self.roundTrip(sorting, write: { $0.write(to: &$1) }, read: { try SortingColumn(from: &$0) })
        let dictionary = DictionaryPageHeader(numValues: 0, encoding: .plainDictionary)
        _ = try Self.roundTrip(dictionary, write: { $0.write(to: &$1) }, read: { try DictionaryPageHeader(from: &$0) })
        let data = DataPageHeader(numValues: Int32.max, encoding: .byteStreamSplit)
        _ = try Self.roundTrip(data, write: { $0.write(to: &$1) }, read: { try DataPageHeader(from: &$0) })
        let v2 = DataPageHeaderV2(numValues: 1, numNulls: 1, numRows: 1, encoding: .rle, definitionLevelsByteLength: 3)
        _ = try Self.roundTrip(v2, write: { $0.write(to: &$1) }, read: { try DataPageHeaderV2(from: &$0) })
    }

    @Test("ColumnOrder TypeDefinedOrder is 1c 00 00")
    func columnOrderBytes() throws {
        var writer = ThriftCompactWriter()
        ColumnOrder.typeDefined.write(to: &writer)
        #expect(writer.bytes == [0x1C, 0x00, 0x00])
    }

    /// pyarrow 26's bytes for SchemaElement fields 6 and 10 (FORMATS.md §1.3).
    @Test("SchemaElement converted and logical type bytes match pyarrow", arguments: [
        (ConvertedType.utf8, LogicalType.string, "25 00", "4c 1c 00 00"),
        (.timestampMicros, .timestamp(isAdjustedToUTC: true, unit: .microseconds), "25 14", "4c 8c 11 1c 2c 00 00 00 00"),
        (.timestampMicros, .timestamp(isAdjustedToUTC: false, unit: .microseconds), "25 14", "4c 8c 12 1c 2c 00 00 00 00"),
        (.int8, .integer(bitWidth: 8, isSigned: true), "25 1e", "4c ac 13 08 11 00 00"),
        (.date, .date, "25 0c", "4c 6c 00 00"),
    ])
    func logicalTypeBytes(converted: ConvertedType, logical: LogicalType, convertedHex: String, logicalHex: String) throws {
        let element = SchemaElement(name: "c", type: .int64, repetition: .optional, convertedType: converted, logicalType: logical)
        var writer = ThriftCompactWriter()
        element.write(to: &writer)
        // 15 04 (type INT64) 25 02 (OPTIONAL) 18 01 'c' (name), then fields 6 and 10, then 00.
        let expected = ThriftTesting.hex("15 04 25 02 18 01 63") + ThriftTesting.hex(convertedHex) + ThriftTesting.hex(logicalHex) + [0x00]
        #expect(writer.bytes == expected)
        let decoded = try ThriftTesting.read(writer.bytes) { try SchemaElement(from: &$0) }
        #expect(decoded.convertedType == converted)
        #expect(decoded.logicalType == logical)
    }

    @Test("the dictionary page header of FORMATS.md §1.10")
    func dictionaryPageHeaderVector() throws {
        let bytes = ThriftTesting.hex("15 04 15 90 01 15 58 4c 15 10 15 00 12 00 00")
        let (header, count) = try PageHeader.decode(from: bytes + [0x48, 0x20, 0x05])
        #expect(count == 15)
        #expect(header.type == .dictionaryPage)
        #expect(header.uncompressedPageSize == 72)
        #expect(header.compressedPageSize == 44)
        #expect(header.dictionaryPageHeader == DictionaryPageHeader(numValues: 8, encoding: .plain, isSorted: false))
        #expect(header.dataPageHeader == nil)
        #expect(header.encoded() == bytes)
    }

    @Test("the data page header with statistics of FORMATS.md §1.10")
    func dataPageHeaderVector() throws {
        let bytes = ThriftTesting.hex("15 00 15 18 15 1c 2c 15 14 15 10 15 06 15 06 1c 36 04 28 05")
            + Array("host8".utf8) + [0x18, 0x05] + Array("host1".utf8) + ThriftTesting.hex("11 11 00 00 00")
        let (header, count) = try PageHeader.decode(from: bytes + [0x03, 0x00, 0x00, 0x00])
        #expect(count == bytes.count)
        #expect(header.type == .dataPage)
        #expect(header.uncompressedPageSize == 12)
        #expect(header.compressedPageSize == 14)
        let data = try #require(header.dataPageHeader)
        #expect(data.numValues == 10)
        #expect(data.encoding == .rleDictionary)
        #expect(data.definitionLevelEncoding == .rle)
        #expect(data.repetitionLevelEncoding == .rle)
        #expect(data.statistics == Statistics(nullCount: 2, maxValue: Array("host8".utf8), minValue: Array("host1".utf8),
                                              isMaxValueExact: true, isMinValueExact: true))
        #expect(header.encoded() == bytes)
    }

    @Test("the minimal writer's page header and footer start of FORMATS.md §1.10")
    func minimalWriterVectors() throws {
        let page = ThriftTesting.hex("15 00 15 3c 15 3c 2c 15 08 15 00 15 06 15 06 00 00")
        let (header, count) = try PageHeader.decode(from: page)
        #expect(count == page.count)
        #expect(header == PageHeader(type: .dataPage, uncompressedPageSize: 30, compressedPageSize: 30,
                                     dataPageHeader: DataPageHeader(numValues: 4, encoding: .plain)))
        #expect(header.encoded() == page)

        let file = FileMetaData(
            schema: [
                SchemaElement(name: "schema", numChildren: 5),
                SchemaElement(name: "step", type: .int64, repetition: .optional),
            ],
            numRows: 4, rowGroups: []
        )
        var writer = ThriftCompactWriter()
        file.write(to: &writer)
        let start = ThriftTesting.hex("15 02 19 2c 48 06") + Array("schema".utf8) + ThriftTesting.hex("15 0a 00 15 04 25 02 18 04") + Array("step".utf8) + [0x00]
        #expect(Array(writer.bytes.prefix(start.count)) == start)
    }

    @Test("unknown fields are skipped: size_statistics, field 32767, new LogicalType members")
    func unknownFields() throws {
        var writer = ThriftCompactWriter()
        writer.writeStruct { writer in
            writer.writeI32Field(1, PhysicalType.byteArray.rawValue)
            writer.writeListField(2, of: .i32, [0, 10, 3, 99]) { $0.writeI32($1) } // ALP (10) and 99 are unknown
            writer.writeListField(3, of: .binary, ["s"]) { $0.writeString($1) }
            writer.writeI32Field(4, 1)
            writer.writeI64Field(5, 1)
            writer.writeI64Field(6, 1)
            writer.writeI64Field(7, 1)
            writer.writeI64Field(9, 4)
            writer.writeStructField(13) { _ in }
            writer.writeStructField(16) { writer in
                writer.writeI64Field(1, 5)
                writer.writeListField(3, of: .i64, [1, 2]) { $0.writeI64($1) }
            }
            writer.writeBinaryField(32_767, [1, 2, 3])
        }
        let metadata = try ThriftTesting.read(writer.bytes) { try ColumnMetaData(from: &$0) }
        #expect(metadata.encodings == [.plain, .rle])
        #expect(metadata.codec == .snappy)
        #expect(metadata.pathInSchema == ["s"])

        // LogicalType 2555 (long form, as in unknown-logical-type.parquet) with a payload.
        let unknown = ThriftTesting.hex("0c f6 27 15 0e 00 00")
        #expect(try ThriftTesting.read(unknown) { try LogicalType(from: &$0) } == .other(fieldID: 2555))
        // VARIANT {1: i8 1}.
        let variant = ThriftTesting.hex("0c 20 13 01 00 00")
        #expect(try ThriftTesting.read(variant) { try LogicalType(from: &$0) } == .other(fieldID: 16))
        // TIMESTAMP with a TimeUnit member 9 this library does not know.
        let oddUnit = ThriftTesting.hex("8c 11 1c 9c 00 00 00 00")
        #expect(try ThriftTesting.read(oddUnit) { try LogicalType(from: &$0) } == .other(fieldID: 8))
    }

    @Test("unions with no member or with two members are corrupt")
    func badUnions() throws {
        for bytes in ["00", "1c 00 2c 00 00"] {
            let error = ThriftTesting.error { _ = try ThriftTesting.read(ThriftTesting.hex(bytes)) { try LogicalType(from: &$0) } }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("LogicalType union") == true)
            #expect(ThriftTesting.error { _ = try ThriftTesting.read(ThriftTesting.hex(bytes)) { try ColumnOrder(from: &$0) } }?.code == .corrupt)
        }
    }

    @Test("missing required fields name the struct and the field", arguments: [
        ("00", "FileMetaData is missing required field 1 (version)"),
        ("15 02 19 0c 16 00 00", "FileMetaData is missing required field 4 (row_groups)"),
        ("15 02 19 1c 15 04 00 16 00 19 0c 00", "SchemaElement is missing required field 4 (name)"),
        ("15 02 19 0c 16 00 19 1c 19 0c 16 00 00 00", "RowGroup is missing required field 3 (num_rows)"),
        ("15 02 19 0c 16 00 19 1c 19 1c 00 16 00 16 00 00 00", "ColumnChunk is missing required field 2 (file_offset)"),
    ])
    func missingFields(hex: String, message: String) throws {
        let error = ThriftTesting.error { _ = try ThriftTesting.read(ThriftTesting.hex(hex)) { try FileMetaData(from: &$0) } }
        #expect(error?.code == .corrupt)
        #expect(error?.message == message)
    }

    @Test("page headers: missing fields, negative sizes and counts are corrupt", arguments: [
        ("15 00 15 02 00", "PageHeader is missing required field 3 (compressed_page_size)"),
        ("15 00 15 02 15 01 00", "PageHeader.compressed_page_size is negative (-1)"),
        ("15 04 15 02 15 02 4c 15 09 15 00 00 00", "DictionaryPageHeader.num_values is negative (-5)"),
        ("15 00 15 02 15 02 2c 15 02 15 00 15 06 00 00", "DataPageHeader is missing required field 4 (repetition_level_encoding)"),
        ("15 06 15 02 15 02 5c 15 02 15 02 15 02 15 00 15 00 00 00", "DataPageHeaderV2 is missing required field 6 (repetition_levels_byte_length)"),
    ])
    func badPageHeaders(hex: String, message: String) throws {
        let error = ThriftTesting.error { _ = try PageHeader.decode(from: ThriftTesting.hex(hex)) }
        #expect(error?.code == .corrupt)
        #expect(error?.message == message)
    }

    @Test("unknown enum values: type and codec throw naming the value; page type is kept")
    func unknownEnums() throws {
        func columnMetaData(type: Int32, codec: Int32) -> [UInt8] {
            var writer = ThriftCompactWriter()
            writer.writeStruct { writer in
                writer.writeI32Field(1, type)
                writer.writeListField(2, of: .i32, [Int32]()) { $0.writeI32($1) }
                writer.writeListField(3, of: .binary, ["s"]) { $0.writeString($1) }
                writer.writeI32Field(4, codec)
                for id: Int16 in [5, 6, 7, 9] { writer.writeI64Field(id, 0) }
            }
            return writer.bytes
        }
        let badCodec = ThriftTesting.error { _ = try ThriftTesting.read(columnMetaData(type: 1, codec: 8)) { try ColumnMetaData(from: &$0) } }
        #expect(badCodec?.code == .unsupported)
        #expect(badCodec?.message == "ColumnMetaData.codec has unknown compression codec 8")
        let badType = ThriftTesting.error { _ = try ThriftTesting.read(columnMetaData(type: 8, codec: 0)) { try ColumnMetaData(from: &$0) } }
        #expect(badType?.message == "ColumnMetaData.type has unknown physical type 8")
        #expect(try ThriftTesting.read(columnMetaData(type: 7, codec: 7)) { try ColumnMetaData(from: &$0) }.codec == .lz4Raw)

        let vector = ThriftTesting.error { _ = try ThriftTesting.read(ThriftTesting.hex("35 06 48 01 63 00")) { try SchemaElement(from: &$0) } }
        #expect(vector?.message == "SchemaElement.repetition_type has unknown repetition type 3")

        let (page, _) = try PageHeader.decode(from: ThriftTesting.hex("15 0e 15 02 15 02 00"))
        #expect(page.type == nil)
        #expect(page.typeValue == 7)
        #expect(page.compressedPageSize == 1)
    }

    @Test("a truncated FileMetaData fails at every length with a corrupt error")
    func truncatedFileMetaData() throws {
        var writer = ThriftCompactWriter()
        MetadataSamples.fullFile.write(to: &writer)
        let bytes = writer.bytes
        for length in 0 ..< bytes.count {
            let error = ThriftTesting.error { _ = try ThriftTesting.read(Array(bytes[..<length])) { try FileMetaData(from: &$0) } }
            #expect(error?.code == .corrupt, "prefix of \(length) bytes")
            if let offset = error?.location.offset { #expect(offset <= length) }
        }
    }
}
