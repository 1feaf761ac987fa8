import Foundation
import InteropSupport
@testable import Parquet
import Testing

/// Unusual but legal (or commonly found) Parquet files, read value for value as pyarrow reads
/// them: tens of thousands of pages in one column chunk, page indexes and bloom filters, footers
/// whose dictionary page offsets are 0 or point at no dictionary, NaN statistics, column chunk
/// key-value metadata, zero row groups, data pages of zero values, and files from writers and
/// codecs the other interop fixtures do not cover (polars without statistics, LZ4_RAW, BROTLI).
///
/// `Tests/InteropScripts/parquet_edge_fixtures.py` writes the files and what pyarrow reads from
/// them; the patched files are made here from its `patch_base` (footer rewritten with the
/// module's Thrift structs, pages inserted) and pyarrow is asked to read each patched file too.
///
/// These tests fail, never skip, when Python or a library is missing.
@Suite("Parquet edge files: read exactly as pyarrow reads them")
struct EdgeFileTests {
    /// Every fixture the script writes, in its order.
    static let fixtureNames = [
        "many_pages", "pyarrow_page_index_bloom", "duckdb_bloom", "patch_base", "zero_row_groups",
        "polars_no_statistics", "pyarrow_lz4", "pyarrow_brotli",
    ]

    /// The fixtures, generated once per test process.
    static let fixtures = Result.capturing { try FixtureFiles(script: "parquet_edge_fixtures.py") }

    /// The differences between what pyarrow read (`expected`) and `table`.
    static func differences(_ expected: CanonicalTable, _ table: Table) -> [String] {
        CanonicalTable.differences(expected: expected, actual: CanonicalTable(table, digest: expected.hasDigests))
    }

    /// The named columns of `table`, in the order named.
    static func columns(_ names: [String], of table: CanonicalTable) -> CanonicalTable {
        var subset = table
        subset.columns = names.map { name in table.columns.first { $0.name == name }! }
        return subset
    }

    @Test("the fixture script writes exactly the fixtures listed here")
    func manifestMatches() throws {
        #expect(try Self.fixtures.get().names == Self.fixtureNames)
    }

    @Test("reads the fixture as pyarrow does: whole, and row group by row group when pyarrow's are given", arguments: fixtureNames)
    func readsFixture(_ name: String) throws {
        let fixtures = try Self.fixtures.get()
        let reader = try ParquetReader(path: fixtures.path(name))
        let expected = try fixtures.expected(name)
        #expect(reader.rowCount == expected.rowCount)
        let differences = Self.differences(expected, try reader.read())
        #expect(differences.isEmpty, "\(name)\n\(differences.joined(separator: "\n"))")
        for extra in fixtures.extras(name) where extra.hasPrefix("rg") {
            let group = try #require(Int(extra.dropFirst(2)))
            let part = Self.differences(try fixtures.expected(name, extra), try reader.readRowGroup(group))
            #expect(part.isEmpty, "\(name) row group \(group)\n\(part.joined(separator: "\n"))")
        }
    }

    // MARK: 1. Tens of thousands of pages in one column chunk

    /// The bytes of a column chunk, as pyarrow and our reader compute them.
    static func chunkRange(_ column: ColumnMetaData) -> Range<Int> {
        var start = Int(column.dataPageOffset)
        if let dictionary = column.dictionaryPageOffset, dictionary > 0, dictionary < column.dataPageOffset { start = Int(dictionary) }
        return start ..< start + Int(column.totalCompressedSize)
    }

    /// The page headers of a column chunk, walked from its first byte.
    static func pages(of column: ColumnMetaData, in file: [UInt8]) throws -> [(offset: Int, header: PageHeader)] {
        let (start, end) = (chunkRange(column).lowerBound, chunkRange(column).upperBound)
        var pages: [(offset: Int, header: PageHeader)] = []
        var position = start
        while position < end {
            let (header, size) = try PageHeader.decode(from: Array(file[position ..< end]))
            pages.append((position, header))
            position += size + Int(header.compressedPageSize)
        }
        #expect(position == end)
        return pages
    }

    @Test("a chunk of 22,500 one-row pages: whole, per row group, and limit 10 stops after the first pages")
    func manyPages() throws {
        let fixtures = try Self.fixtures.get()
        let path = fixtures.path("many_pages")
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 2)
        for group in reader.metadata.rowGroups {
            for chunk in group.columns {
                let pages = try Self.pages(of: try #require(chunk.metaData), in: file)
                #expect(pages.filter { $0.header.type == .dataPage }.count >= 20_000, "\(chunk.metaData?.pathInSchema ?? [])")
            }
        }
        let head = try fixtures.expected("many_pages", "head")
        let limited = try reader.read(limit: 10)
        #expect(limited.rowCount == 10)
        var differences = Self.differences(head, limited)
        #expect(differences.isEmpty, "limit 10\n\(differences.joined(separator: "\n"))")
        differences = Self.differences(Self.columns(["host", "x"], of: head), try reader.read(columns: ["host", "x"], limit: 10))
        #expect(differences.isEmpty, "host, x, limit 10\n\(differences.joined(separator: "\n"))")

        // Proof that decoding stops early: wreck every page after the 100th of every chunk. The
        // first 10 rows still read; the whole file no longer does.
        var wrecked = file
        for group in reader.metadata.rowGroups {
            for chunk in group.columns {
                let column = try #require(chunk.metaData)
                let pages = try Self.pages(of: column, in: file)
                let from = pages[100].offset, to = Self.chunkRange(column).upperBound
                for index in from ..< to { wrecked[index] = 0xFF }
            }
        }
        let wreckedReader = try ParquetReader(bytes: wrecked, name: "wrecked many_pages")
        differences = Self.differences(head, try wreckedReader.read(limit: 10))
        #expect(differences.isEmpty, "wrecked, limit 10\n\(differences.joined(separator: "\n"))")
        #expect(throws: ParquetError.self) { try wreckedReader.read() }
    }

    @Test("our writer with one row per page: 25,000 pages per chunk read back, limit 10, and pyarrow agrees")
    func manyPagesOwnWriter() throws {
        let count = 25_000
        let table = try Table(columns: [
            Column(name: "id", int64s: (0 ..< count).map { (row: Int) -> Int64? in row % 6 == 0 ? nil : Int64(row) * 7 - 3 }),
            Column(name: "name", strings: (0 ..< count).map { (row: Int) -> String? in row % 5 == 0 ? nil : "n\(row % 40)" }),
        ])
        var options = ParquetWriter.Options()
        options.dataPageRowLimit = 1
        let folder = try TemporaryFolder()
        let path = folder.file("one_row_pages.parquet")
        try ParquetWriter.write(table, to: path, options: options)
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ParquetReader(path: path)
        for chunk in reader.metadata.rowGroups.flatMap(\.columns) {
            let pages = try Self.pages(of: try #require(chunk.metaData), in: file)
            #expect(pages.filter { $0.header.type == .dataPage || $0.header.type == .dataPageV2 }.count == count)
        }
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true)
        let theirs = try #require(dumped[path]?.tables[.pyarrow]).get()
        var differences = Self.differences(theirs, try reader.read())
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        var head = theirs
        head.rowCount = 10
        head.columns = theirs.columns.map { column in
            var column = column
            if case .values(let values) = column.content { column.content = .values(Array(values.prefix(10))) }
            return column
        }
        differences = Self.differences(head, try reader.read(limit: 10))
        #expect(differences.isEmpty, "limit 10\n\(differences.joined(separator: "\n"))")
    }

    // MARK: 2. Page indexes and bloom filters

    @Test("page indexes, page checksums and bloom filters are present and ignored")
    func pageIndexesAndBloomFilters() throws {
        let fixtures = try Self.fixtures.get()
        let pyarrow = try ParquetReader(path: fixtures.path("pyarrow_page_index_bloom"))
        for group in pyarrow.metadata.rowGroups {
            for chunk in group.columns {
                #expect(chunk.columnIndexOffset != nil && chunk.offsetIndexOffset != nil)
            }
            let withBloom = group.columns.compactMap { $0.metaData?.bloomFilterOffset != nil ? $0.metaData?.pathInSchema.first : nil }
            #expect(Set(withBloom).isSuperset(of: ["host", "uniq", "step"]), "\(withBloom)")
        }
        let duckdb = try ParquetReader(path: fixtures.path("duckdb_bloom"))
        #expect(duckdb.metadata.rowGroups.allSatisfy { group in
            group.columns.contains { $0.metaData?.pathInSchema == ["host"] && $0.metaData?.bloomFilterOffset != nil }
        })
        // Checksums checked too: the pages pyarrow wrote verify.
        var options = ReadOptions()
        options.verifyChecksums = true
        let verified = try ParquetReader(path: fixtures.path("pyarrow_page_index_bloom"), options: options).read()
        let differences = Self.differences(try fixtures.expected("pyarrow_page_index_bloom"), verified)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        for group in 0 ..< pyarrow.rowGroupCount {
            let rows = try pyarrow.readRowGroup(group).rowCount
            #expect(rows == Int(pyarrow.metadata.rowGroups[group].numRows))
        }
    }

    // MARK: 7. Writers and codecs

    @Test("polars without statistics, pyarrow LZ4_RAW and BROTLI: the footers say so")
    func writersAndCodecs() throws {
        let fixtures = try Self.fixtures.get()
        let polars = try ParquetReader(path: fixtures.path("polars_no_statistics"))
        #expect(polars.metadata.rowGroups.flatMap(\.columns).allSatisfy { chunk in
            guard let statistics = chunk.metaData?.statistics else { return true }
            return statistics.min == nil && statistics.max == nil && statistics.minValue == nil && statistics.maxValue == nil
        })
        for (name, codec) in [("pyarrow_lz4", CompressionCodec.lz4Raw), ("pyarrow_brotli", .brotli)] {
            let reader = try ParquetReader(path: fixtures.path(name))
            #expect(reader.metadata.rowGroups.flatMap(\.columns).allSatisfy { $0.metaData?.codec == codec }, "\(name)")
        }
    }

    // MARK: 6. Zero row groups

    @Test("a file with zero row groups reads as an empty table with the file's columns and types")
    func zeroRowGroups() throws {
        let fixtures = try Self.fixtures.get()
        let reader = try ParquetReader(path: fixtures.path("zero_row_groups"))
        #expect(reader.rowGroupCount == 0 && reader.rowCount == 0)
        let expected = try fixtures.expected("zero_row_groups")
        #expect(expected.columns.count == 6)
        for table in [try reader.read(), try reader.read(limit: 10), try reader.read(columns: ["ok", "step"])] {
            #expect(table.rowCount == 0)
            let wanted = Self.columns(table.columns.map(\.name), of: expected)
            let differences = Self.differences(wanted, table)
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
        #expect(try reader.read(columns: ["ok", "step"]).columns.map(\.name) == ["ok", "step"])
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0) }
    }

    // MARK: Patched files

    /// `patch_base` with its footer changed by `change` and, first, bytes inserted by `insert`.
    static func patched(_ name: String, insert: (inout [UInt8], inout FileMetaData) throws -> Void = { _, _ in },
                        _ change: (inout FileMetaData) throws -> Void) throws -> String {
        let fixtures = try fixtures.get()
        var file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path("patch_base"))))
        var metadata = try Footer.read(from: file)
        let footerLength = file.suffix(8).prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        file.removeLast(8 + footerLength)
        try insert(&file, &metadata)
        try change(&metadata)
        file += try FooterWriter.serialize(metadata)
        let path = fixtures.folder.file("patched_\(name).parquet")
        try Data(file).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads `path` with our reader and with pyarrow and expects the same table, equal also to
    /// what pyarrow read from `patch_base` (the patches never change the data).
    ///
    /// With `pyarrowDropsRows`, pyarrow is known to read no rows at all from the file (see
    /// `emptyDataPages`): polars' reading is the reference instead, and pyarrow's must be that
    /// or empty.
    static func expectReadsAsPyarrow(_ path: String, _ label: String, pyarrowDropsRows: Bool = false,
                                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let libraries: [InteropLibrary] = pyarrowDropsRows ? [.pyarrow, .polars] : [.pyarrow]
        let dumped = try ParquetDump.run([path], libraries: libraries, digestAbove: nil, asStored: true)
        let pyarrow = try #require(dumped[path]?.tables[.pyarrow], sourceLocation: sourceLocation).get()
        let theirs = try #require(dumped[path]?.tables[libraries.last!], sourceLocation: sourceLocation).get()
        let ours = try ParquetReader(path: path).read()
        var differences = Self.differences(theirs, ours)
        #expect(differences.isEmpty, "\(label): \(libraries.last!)'s reading\n\(differences.joined(separator: "\n"))", sourceLocation: sourceLocation)
        if pyarrowDropsRows {
            #expect(pyarrow.rowCount == 0 || Self.differences(pyarrow, ours).isEmpty, "\(label): pyarrow's reading", sourceLocation: sourceLocation)
        }
        differences = Self.differences(try fixtures.get().expected("patch_base"), ours)
        #expect(differences.isEmpty, "\(label): patch_base\n\(differences.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    /// Every column chunk of the file.
    static func forEachChunk(_ metadata: inout FileMetaData, _ body: (inout ColumnMetaData) throws -> Void) rethrows {
        for group in metadata.rowGroups.indices {
            for chunk in metadata.rowGroups[group].columns.indices {
                guard var column = metadata.rowGroups[group].columns[chunk].metaData else { continue }
                try body(&column)
                metadata.rowGroups[group].columns[chunk].metaData = column
            }
        }
    }

    // MARK: 3. dictionary_page_offset 0, absent, or pointing at no dictionary

    @Test("the dictionary page is found when dictionary_page_offset is 0 or absent and data_page_offset is the chunk start",
          arguments: ["zero", "absent"])
    func dictionaryOffsetMissing(_ variant: String) throws {
        var patchedChunks = 0
        let path = try Self.patched("dictionary_\(variant)") { metadata in
            Self.forEachChunk(&metadata) { column in
                guard let dictionary = column.dictionaryPageOffset else { return }
                column.dataPageOffset = dictionary
                column.dictionaryPageOffset = variant == "zero" ? 0 : nil
                patchedChunks += 1
            }
        }
        #expect(patchedChunks == 2)  // host, in both row groups
        try Self.expectReadsAsPyarrow(path, "dictionary_page_offset \(variant)")
    }

    @Test("dictionary_page_offset 0 while data_page_offset points past the dictionary: an error, as in pyarrow")
    func dictionaryOffsetZeroDataPageAfterDictionary() throws {
        // Nothing in the footer says where the chunk starts: the range read from data_page_offset
        // misses the dictionary and runs into the next chunk. pyarrow ("Dictionary page must be
        // before data page"), DuckDB and polars all refuse the file; so do we, naming the cause.
        let path = try Self.patched("dictionary_zero_after") { metadata in
            Self.forEachChunk(&metadata) { column in
                if column.dictionaryPageOffset != nil { column.dictionaryPageOffset = 0 }
            }
        }
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true)
        guard case .failure(let theirs)? = dumped[path]?.tables[.pyarrow] else {
            Issue.record("pyarrow now reads the file: \(String(describing: dumped[path]?.tables[.pyarrow]))")
            return
        }
        #expect(theirs.description.contains("Dictionary page must be before data page"), "\(theirs)")
        let reader = try ParquetReader(path: path)
        #expect(try reader.read(columns: ["id", "x", "req"]).rowCount == 600)
        let error = try #require(throws: ParquetError.self) { try reader.read() }
        #expect(error.description.contains("without a dictionary page") && error.description.contains("'host'"), "\(error)")
    }

    @Test("dictionary_page_offset set on chunks without a dictionary page is ignored",
          arguments: ["at data page", "past data page", "zero"])
    func dictionaryOffsetWithoutDictionary(_ variant: String) throws {
        var patchedChunks = 0
        let path = try Self.patched("no_dictionary_\(variant.replacingOccurrences(of: " ", with: "_"))") { metadata in
            Self.forEachChunk(&metadata) { column in
                guard column.dictionaryPageOffset == nil else { return }
                switch variant {
                case "at data page": column.dictionaryPageOffset = column.dataPageOffset
                case "past data page": column.dictionaryPageOffset = column.dataPageOffset + 7
                default: column.dictionaryPageOffset = 0
                }
                patchedChunks += 1
            }
        }
        #expect(patchedChunks == 6)  // id, x, req in both row groups
        try Self.expectReadsAsPyarrow(path, "dictionary_page_offset \(variant)")
    }

    // MARK: 4. NaN statistics

    @Test("NaN as min and max of a double column's statistics does not disturb reading")
    func nanStatistics() throws {
        let nan = withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { Array($0) }
        let path = try Self.patched("nan_statistics") { metadata in
            Self.forEachChunk(&metadata) { column in
                guard column.type == .double else { return }
                var statistics = column.statistics ?? Statistics()
                statistics.min = nan
                statistics.max = nan
                statistics.minValue = nan
                statistics.maxValue = nan
                column.statistics = statistics
            }
        }
        let reader = try ParquetReader(path: path)
        let doubles = reader.metadata.rowGroups.flatMap(\.columns).compactMap(\.metaData).filter { $0.type == .double }
        #expect(doubles.count == 2 && doubles.allSatisfy { $0.statistics?.maxValue == nan && $0.statistics?.min == nan })
        try Self.expectReadsAsPyarrow(path, "NaN statistics")
    }

    // MARK: 5. Column chunk key-value metadata

    @Test("column chunks with their own key-value metadata read as usual")
    func columnKeyValueMetadata() throws {
        let pairs = [KeyValue(key: "origin", value: "edge test ✓"), KeyValue(key: "no value"), KeyValue(key: "", value: "")]
        let path = try Self.patched("column_key_values") { metadata in
            Self.forEachChunk(&metadata) { $0.keyValueMetadata = pairs }
        }
        let reader = try ParquetReader(path: path)
        #expect(reader.metadata.rowGroups.flatMap(\.columns).allSatisfy { $0.metaData?.keyValueMetadata == pairs })
        try Self.expectReadsAsPyarrow(path, "column key-value metadata")
    }

    // MARK: 6. Data pages of zero values

    /// Inserts `bytes` at file offset `at` into the chunk `(group, column)`, moving every later
    /// offset of the footer.
    static func insert(_ bytes: [UInt8], at offset: Int, group: Int, column: Int, file: inout [UInt8], metadata: inout FileMetaData) {
        file.insert(contentsOf: bytes, at: offset)
        let shift = Int64(bytes.count)
        func moved(_ value: Int64) -> Int64 { value > Int64(offset) ? value + shift : value }
        for g in metadata.rowGroups.indices {
            if let fileOffset = metadata.rowGroups[g].fileOffset { metadata.rowGroups[g].fileOffset = moved(fileOffset) }
            for c in metadata.rowGroups[g].columns.indices {
                var chunk = metadata.rowGroups[g].columns[c]
                chunk.fileOffset = moved(chunk.fileOffset)
                chunk.columnIndexOffset = chunk.columnIndexOffset.map(moved)
                chunk.offsetIndexOffset = chunk.offsetIndexOffset.map(moved)
                if var meta = chunk.metaData {
                    meta.dataPageOffset = moved(meta.dataPageOffset)
                    if let dictionary = meta.dictionaryPageOffset, dictionary > 0 { meta.dictionaryPageOffset = moved(dictionary) }
                    meta.bloomFilterOffset = meta.bloomFilterOffset.map(moved)
                    if g == group && c == column {
                        meta.totalCompressedSize += shift
                        meta.totalUncompressedSize += shift
                    }
                    chunk.metaData = meta
                }
                metadata.rowGroups[g].columns[c] = chunk
            }
            if g == group, let total = metadata.rowGroups[g].totalCompressedSize {
                metadata.rowGroups[g].totalCompressedSize = total + shift
            }
        }
    }

    @Test("data pages of zero values, before the first data page or between two, are read as pyarrow reads them",
          arguments: ["first", "second", "second v2"])
    func emptyDataPages(_ position: String) throws {
        let fixtures = try Self.fixtures.get()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixtures.path("patch_base"))))
        var inserted = 0
        let path = try Self.patched("empty_pages_\(position.replacingOccurrences(of: " ", with: "_"))", insert: { file, metadata in
            // From the last chunk of the file to the first, so earlier offsets stay valid.
            for group in metadata.rowGroups.indices.reversed() {
                for column in metadata.rowGroups[group].columns.indices.reversed() {
                    let meta = try #require(metadata.rowGroups[group].columns[column].metaData)
                    let pages = try Self.pages(of: meta, in: original).filter { $0.header.type == .dataPage }
                    #expect(pages.count >= 2)
                    let at = position == "first" ? pages[0].offset : pages[1].offset
                    let encoding = pages[0].header.dataPageHeader?.encoding ?? .plain
                    let required = meta.pathInSchema == ["req"]
                    let header: PageHeader, body: [UInt8]
                    if position.hasSuffix("v2") {
                        // v2: no level bytes at all, no values; the patch_base pages are v1, so the
                        // chunk mixes both kinds (allowed).
                        body = []
                        header = PageHeader(type: .dataPageV2, uncompressedPageSize: 0, compressedPageSize: 0,
                                            dataPageHeaderV2: DataPageHeaderV2(numValues: 0, numNulls: 0, numRows: 0, encoding: encoding,
                                                                               definitionLevelsByteLength: 0, isCompressed: false))
                    } else {
                        // v1 body: the definition levels (4-byte length 0) unless REQUIRED, then no values.
                        body = required ? [] : [0, 0, 0, 0]
                        header = PageHeader(type: .dataPage, uncompressedPageSize: Int32(body.count), compressedPageSize: Int32(body.count),
                                            dataPageHeader: DataPageHeader(numValues: 0, encoding: encoding))
                    }
                    Self.insert(header.encoded() + body, at: at, group: group, column: column, file: &file, metadata: &metadata)
                    inserted += 1
                }
            }
        }) { _ in }
        #expect(inserted == 8)
        // The empty pages are really there.
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ParquetReader(path: path)
        for chunk in reader.metadata.rowGroups.flatMap(\.columns) {
            let pages = try Self.pages(of: try #require(chunk.metaData), in: file)
            #expect(pages.filter { ($0.header.dataPageHeader?.numValues ?? $0.header.dataPageHeaderV2?.numValues) == 0 }.count == 1)
        }
        // pyarrow 26 stops a column at the first page of zero values: with one in front of the
        // first data page it reads 0 rows from row groups of 300 (with one later it reads all).
        // polars reads every row, as we do; DuckDB 2.0 fails ("Out of buffer").
        try Self.expectReadsAsPyarrow(path, "empty data pages (\(position))", pyarrowDropsRows: position == "first")
    }
}
