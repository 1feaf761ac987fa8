import Foundation
import InteropSupport
import Parquet
import Testing

/// Parquet files written by pyarrow, pandas, polars, DuckDB and fastparquet
/// (`Tests/InteropScripts/parquet_footer_files.py`), with what pyarrow reads from their footers.
/// Generated once per test process in a temporary folder and held in memory.
struct FooterFixture: Sendable {
    /// The file's name, e.g. `polars_default.parquet`.
    var name: String
    /// The whole file.
    var bytes: [UInt8]
    /// What pyarrow reports about the file.
    var expected: FooterFixtures.ExpectedFile
}

enum FooterFixtures {
    /// Why the fixtures could not be made (Python missing, a library missing, a script error).
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// pyarrow's view of one file (the script's JSON).
    struct ExpectedFile: Decodable, Sendable {
        var name: String
        var writer: String
        var numRows: Int64
        var numRowGroups: Int
        var createdBy: String
        var formatVersion: String
        var keyValueKeys: [String]
        var columns: [ExpectedColumn]
        var rowGroups: [ExpectedRowGroup]
    }

    /// pyarrow's view of one leaf column.
    struct ExpectedColumn: Decodable, Sendable {
        var name: String
        var path: String
        var physicalType: String
        var convertedType: String
        var logicalType: ExpectedLogicalType?
        var maxDefinitionLevel: Int
        var length: Int
    }

    /// pyarrow's `LogicalType.to_json()`.
    struct ExpectedLogicalType: Decodable, Sendable {
        var type: String
        var isAdjustedToUTC: Bool?
        var timeUnit: String?
        var bitWidth: Int?
        var isSigned: Bool?
        var precision: Int32?
        var scale: Int32?

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case isAdjustedToUTC, timeUnit, bitWidth, isSigned, precision, scale
        }
    }

    /// pyarrow's view of one row group.
    struct ExpectedRowGroup: Decodable, Sendable {
        var numRows: Int64
        var totalByteSize: Int64
        var columns: [ExpectedChunk]
    }

    /// pyarrow's view of one column chunk.
    struct ExpectedChunk: Decodable, Sendable {
        var path: String
        var compression: String
        var encodings: [String]
        var numValues: Int64
        var totalCompressedSize: Int64
        var totalUncompressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?
        var nullCount: Int64?
    }

    private struct Document: Decodable {
        var files: [ExpectedFile]
    }

    /// The fixtures, made on first use.
    static let loaded: Result<[FooterFixture], Failure> = {
        do {
            return .success(try generate())
        } catch {
            return .failure(Failure(description: "could not generate the footer fixtures: \(error)"))
        }
    }()

    /// The fixtures; throws (failing the test) when Python or a library is missing.
    static func all() throws -> [FooterFixture] {
        try loaded.get()
    }

    private static func generate() throws -> [FooterFixture] {
        let folder = try TemporaryFolder()
        let output = try Python.run("parquet_footer_files.py", [folder.path])
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document = try decoder.decode(Document.self, from: Data(output))
        return try document.files.map { expected in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(expected.name)))
            return FooterFixture(name: expected.name, bytes: [UInt8](data), expected: expected)
        }
    }

    /// The file range of a column chunk's pages: from the dictionary page when its offset is
    /// plausible, else from the first data page.
    static func chunkRange(_ metadata: ColumnMetaData) -> Range<Int>? {
        let data = Int(metadata.dataPageOffset)
        var start = data
        if let dictionary = metadata.dictionaryPageOffset.map(Int.init), dictionary > 0, data <= 0 || dictionary < data {
            start = dictionary
        }
        guard start > 0, let size = Int(exactly: metadata.totalCompressedSize) else { return nil }
        return start ..< start + size
    }

    /// The page headers of one column chunk of `file`: (header bytes, decoded header).
    static func pageHeaders(in file: [UInt8], chunk metadata: ColumnMetaData, _ place: String) throws -> [([UInt8], PageHeader)] {
        guard let range = chunkRange(metadata) else { return [] }
        var headers: [([UInt8], PageHeader)] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let (header, count) = try file.withUnsafeBytes { buffer in
                try PageHeader.decode(from: UnsafeRawBufferPointer(rebasing: buffer[position ..< range.upperBound]))
            }
            headers.append((Array(file[position ..< position + count]), header))
            position += count + Int(header.compressedPageSize)
        }
        #expect(position == range.upperBound, "\(place): pages of \(metadata.pathInSchema) overrun the chunk")
        return headers
    }

    /// Every page header of every column chunk of `fixture`.
    static func pageHeaders(of fixture: FooterFixture, metadata: FileMetaData) throws -> [([UInt8], PageHeader)] {
        try metadata.rowGroups.flatMap { group in
            try group.columns.compactMap(\.metaData).flatMap { try pageHeaders(in: fixture.bytes, chunk: $0, fixture.name) }
        }
    }
}

@Suite("Footer interop: files from pyarrow, pandas, polars, DuckDB and fastparquet")
struct FooterInteropTests {
    static func name(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }

    static func name(_ type: ConvertedType?) -> String {
        guard let type else { return "NONE" }
        let names = [
            "UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS",
            "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32", "UINT_64",
            "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL",
        ]
        return names[Int(type.rawValue)]
    }

    static func name(_ unit: TimeUnit) -> String {
        switch unit {
        case .milliseconds: "milliseconds"
        case .microseconds: "microseconds"
        case .nanoseconds: "nanoseconds"
        }
    }

    /// Compares our LogicalType with pyarrow's JSON.
    static func check(_ ours: LogicalType, _ theirs: FooterFixtures.ExpectedLogicalType, _ where: String) {
        switch ours {
        case .string: #expect(theirs.type == "String", "\(`where`)")
        case .date: #expect(theirs.type == "Date", "\(`where`)")
        case .decimal(let scale, let precision):
            #expect(theirs.type == "Decimal", "\(`where`)")
            #expect(theirs.scale == scale && theirs.precision == precision, "\(`where`)")
        case .integer(let bitWidth, let signed):
            #expect(theirs.type == "Int", "\(`where`)")
            #expect(theirs.bitWidth == Int(bitWidth) && theirs.isSigned == signed, "\(`where`)")
        case .timestamp(let utc, let unit):
            #expect(theirs.type == "Timestamp", "\(`where`)")
            #expect(theirs.isAdjustedToUTC == utc && theirs.timeUnit == name(unit), "\(`where`)")
        default:
            Issue.record("\(`where`): unexpected logical type \(ours), pyarrow says \(theirs.type)")
        }
    }

    @Test("footers decode to what pyarrow reports")
    func footersMatchPyarrow() throws {
        let fixtures = try FooterFixtures.all()
        #expect(fixtures.count >= 10)
        #expect(Set(fixtures.map(\.expected.writer)) == ["pyarrow", "pandas", "polars", "duckdb", "fastparquet"])
        for fixture in fixtures {
            let expected = fixture.expected
            let file = fixture.name
            let metadata = try Footer.read(from: fixture.bytes)
            #expect(metadata.numRows == expected.numRows, "\(file)")
            #expect(metadata.rowGroups.count == expected.numRowGroups, "\(file)")
            #expect(metadata.createdBy == expected.createdBy, "\(file)")
            #expect((metadata.version == 1) == (expected.formatVersion == "1.0"), "\(file): version \(metadata.version)")
            #expect((metadata.keyValueMetadata ?? []).map(\.key).sorted() == expected.keyValueKeys, "\(file)")

            // Schema: a flat root with one leaf per column.
            let root = try #require(metadata.schema.first)
            let leaves = metadata.schema.dropFirst()
            #expect(root.numChildren.map(Int.init) == leaves.count, "\(file)")
            #expect(leaves.count == expected.columns.count, "\(file)")
            for (element, column) in zip(leaves, expected.columns) {
                let place = "\(file) column \(column.name)"
                #expect(element.name == column.name, "\(place)")
                #expect(element.type.map(Self.name) == column.physicalType, "\(place)")
                #expect((element.repetition == .optional ? 1 : 0) == column.maxDefinitionLevel, "\(place)")
                #expect(Int(element.typeLength ?? 0) == column.length, "\(place)")
                if let converted = element.convertedType, column.convertedType != "NONE" {
                    #expect(Self.name(converted) == column.convertedType, "\(place)")
                } else if element.convertedType == nil, column.convertedType != "NONE" {
                    // pyarrow derives a converted type from the logical type (polars writes none).
                    #expect(element.logicalType != nil, "\(place): pyarrow reports \(column.convertedType)")
                } else if let converted = element.convertedType {
                    // pyarrow hides the converted type of timestamps not adjusted to UTC.
                    let naive: Bool = switch element.logicalType {
                    case .timestamp(false, _)?, .time(false, _)?: true
                    default: false
                    }
                    #expect(naive, "\(place): we read \(converted), pyarrow reports none")
                }
                if let logical = element.logicalType {
                    let theirs = try #require(column.logicalType, "\(place): pyarrow reports no logical type")
                    Self.check(logical, theirs, place)
                } else if column.logicalType != nil {
                    // pyarrow derives a logical type from the converted type.
                    #expect(element.convertedType != nil, "\(place)")
                }
            }

            // Row groups and column chunks.
            for (index, (group, expectedGroup)) in zip(metadata.rowGroups, expected.rowGroups).enumerated() {
                #expect(group.numRows == expectedGroup.numRows, "\(file) row group \(index)")
                #expect(group.totalByteSize == expectedGroup.totalByteSize, "\(file) row group \(index)")
                #expect(group.columns.count == expectedGroup.columns.count, "\(file) row group \(index)")
                for (chunk, expectedChunk) in zip(group.columns, expectedGroup.columns) {
                    let place = "\(file) row group \(index) column \(expectedChunk.path)"
                    let meta = try #require(chunk.metaData, "\(place)")
                    #expect(meta.pathInSchema.joined(separator: ".") == expectedChunk.path, "\(place)")
                    #expect(meta.codec.description == expectedChunk.compression, "\(place)")
                    #expect(Set(meta.encodings.map(\.description)) == Set(expectedChunk.encodings), "\(place)")
                    #expect(meta.numValues == expectedChunk.numValues, "\(place)")
                    #expect(meta.totalCompressedSize == expectedChunk.totalCompressedSize, "\(place)")
                    #expect(meta.totalUncompressedSize == expectedChunk.totalUncompressedSize, "\(place)")
                    #expect(meta.dataPageOffset == expectedChunk.dataPageOffset, "\(place)")
                    if let dictionary = expectedChunk.dictionaryPageOffset {
                        #expect(meta.dictionaryPageOffset == dictionary, "\(place)")
                    }
                    if let nullCount = expectedChunk.nullCount {
                        #expect(meta.statistics?.nullCount == nullCount, "\(place)")
                    }
                }
            }
        }
    }

    @Test("every page header of every chunk decodes, and the pages tile the chunk")
    func pageHeadersTileChunks() throws {
        var kinds: Set<Int32> = []
        for fixture in try FooterFixtures.all() {
            let metadata = try Footer.read(from: fixture.bytes)
            for group in metadata.rowGroups {
                for chunk in group.columns {
                    let meta = try #require(chunk.metaData)
                    let place = "\(fixture.name) \(meta.pathInSchema)"
                    let headers = try FooterFixtures.pageHeaders(in: fixture.bytes, chunk: meta, place)
                    // A chunk without values may have no pages at all (pyarrow: an empty bool column).
                    #expect(!headers.isEmpty || (meta.numValues == 0 && meta.totalCompressedSize == 0), "\(place)")
                    var values: Int64 = 0
                    for (_, header) in headers {
                        kinds.insert(header.typeValue)
                        #expect(try PageHeader.decode(from: header.encoded()).header == header, "\(place)")
                        switch header.type {
                        case .dataPage?:
                            let data = try #require(header.dataPageHeader, "\(place)")
                            values += Int64(data.numValues)
                        case .dataPageV2?:
                            let data = try #require(header.dataPageHeaderV2, "\(place)")
                            values += Int64(data.numValues)
                        case .dictionaryPage?:
                            #expect(header.dictionaryPageHeader != nil, "\(place)")
                        default:
                            Issue.record("\(place): page type \(header.typeValue)")
                        }
                    }
                    #expect(values == meta.numValues, "\(place): data pages hold every value of the chunk")
                }
            }
        }
        #expect(kinds == [0, 2, 3], "v1 data pages, dictionary pages and v2 data pages all appear")
    }
}
