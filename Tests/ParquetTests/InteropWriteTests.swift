import Foundation
import InteropSupport
import Parquet
import Testing

/// Files written by `ParquetWriter` — every codec, dictionary on and off, every type, nulls
/// everywhere, NaN and infinities, unicode and empty strings, 0 rows, all nulls, several row
/// groups and many pages, and more than a million rows — read back by pyarrow, polars, DuckDB,
/// fastparquet and pandas, value for value, with the intended types. Where a library
/// legitimately gives another type, `InteropLibrary.expectedReading(of:digest:)` states it and
/// says why. The Parquet schema of each file is checked too (`parquet_dump.py --schema`):
/// annotations, codec, dictionary pages, row-group and page sizes, `created_by`, key-value
/// metadata.
///
/// Every file is written once per test process and read by every library in one Python run.
/// These tests fail, never skip, when Python or a library is missing.
@Suite("Parquet interop: the Python libraries reading what we wrote")
struct InteropWriteTests {
    /// One file to write: a table and the writer options.
    struct Case: Sendable {
        var name: String
        var table: TableKind
        var codec: CompressionCodec = .snappy
        var dictionary = true
        var rowGroupRowLimit: Int?
        var dataPageRowLimit: Int?
    }

    enum TableKind: Sendable {
        /// Every type, 97 rows, nulls in every nullable column, special values.
        case everyType
        /// Every type, no rows.
        case empty
        /// Every type, every value null.
        case allNull
        /// 5,000 rows of metrics-like columns.
        case fiveThousand
        /// 1,048,577 rows of four metrics columns.
        case million
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for codec in [CompressionCodec.uncompressed, .snappy, .gzip, .zstd] {
            for dictionary in [true, false] {
                cases.append(Case(name: "types_\(codec.description.lowercased())_\(dictionary ? "dictionary" : "plain")",
                                  table: .everyType, codec: codec, dictionary: dictionary))
            }
        }
        cases.append(Case(name: "empty", table: .empty))
        cases.append(Case(name: "empty_plain_uncompressed", table: .empty, codec: .uncompressed, dictionary: false))
        cases.append(Case(name: "all_null", table: .allNull))
        cases.append(Case(name: "all_null_plain_zstd", table: .allNull, codec: .zstd, dictionary: false))
        cases.append(Case(name: "row_groups_dictionary_zstd", table: .fiveThousand, codec: .zstd, dictionary: true,
                          rowGroupRowLimit: 1_000, dataPageRowLimit: 100))
        cases.append(Case(name: "row_groups_plain_gzip", table: .fiveThousand, codec: .gzip, dictionary: false,
                          rowGroupRowLimit: 1_000, dataPageRowLimit: 100))
        cases.append(Case(name: "million_rows", table: .million))
        return cases
    }()

    static let caseNames = cases.map(\.name)

    /// Key-value metadata given to every write; pyarrow must show it.
    static func keyValueMetadata(_ name: String) -> [(key: String, value: String)] {
        [(key: "specimen.test", value: "interop ✓ ünïcödé"), (key: "specimen.case", value: name), (key: "specimen.empty", value: "")]
    }

    /// The written files and what the libraries read from them, made once per process.
    final class Written: Sendable {
        let folder: TemporaryFolder
        /// Per case: the table written, or why writing failed.
        let tables: [String: Result<Table, InteropSetupError>]
        /// Per file path: what each library read, and the schema.
        let dumped: [String: DumpedFile]

        init() throws {
            folder = try ProcessLifetimeFolders.shared.make()
            var tables: [String: Result<Table, InteropSetupError>] = [:]
            var paths: [String] = []
            var built: [String: Table] = [:]
            for testCase in InteropWriteTests.cases {
                let key = "\(testCase.table)"
                let table = try built[key] ?? InteropWriteTests.makeTable(testCase.table)
                built[key] = table
                var options = ParquetWriter.Options()
                options.codec = testCase.codec
                options.dictionary = testCase.dictionary
                if let limit = testCase.rowGroupRowLimit { options.rowGroupRowLimit = limit }
                if let limit = testCase.dataPageRowLimit { options.dataPageRowLimit = limit }
                options.keyValueMetadata = InteropWriteTests.keyValueMetadata(testCase.name)
                let path = folder.file("\(testCase.name).parquet")
                tables[testCase.name] = Result.capturing {
                    try ParquetWriter.write(table, to: path, options: options)
                    return table
                }
                if case .success = tables[testCase.name] { paths.append(path) }
            }
            self.tables = tables
            dumped = paths.isEmpty ? [:] : try ParquetDump.run(paths, libraries: InteropLibrary.allCases, schema: true)
        }

        func path(_ name: String) -> String { folder.file("\(name).parquet") }
    }

    static let written = Result.capturing { try Written() }

    /// The case named `name`, its table, and what the Python run printed for its file.
    static func load(_ name: String) throws -> (Case, Table, DumpedFile, Written) {
        let written = try Self.written.get()
        let testCase = try #require(cases.first { $0.name == name })
        let table = try #require(written.tables[name]).get()
        let dumped = try #require(written.dumped[written.path(name)], "parquet_dump.py printed nothing for \(name)")
        return (testCase, table, dumped, written)
    }

    @Test("the library reads our file equal, value for value, with the intended types",
          arguments: caseNames, InteropLibrary.allCases)
    func libraryReadsOurFile(_ name: String, _ library: InteropLibrary) throws {
        let (_, table, dumped, written) = try Self.load(name)
        let read: CanonicalTable
        switch dumped.tables[library] {
        case .success(let table)?: read = table
        case .failure(let error)?:
            Issue.record("\(library) could not read \(name): \(error)")
            return
        case nil:
            Issue.record("no result from \(library) for \(name)")
            return
        }
        let digest = CanonicalTable.digests(rowCount: table.rowCount, above: interopDigestAbove)
        let plain = Self.columnsWithoutDictionary(dumped.schema)
        let expected = library.expectedReading(of: table, digest: digest, plainColumns: plain)
        var differing = CanonicalTable.differingColumns(expected: expected, actual: read)
        var differences = CanonicalTable.differences(expected: expected, actual: read)
        if !differing.isEmpty && digest {
            // Ask the library again for the values of the columns that differ, to show the rows.
            let path = written.path(name)
            let names = differing.filter { name in read.columns.contains { $0.name == name } }
            if let values = try? ParquetDump.run([path], libraries: [library], digestAbove: nil, columns: names)[path]?.tables[library]?.get() {
                let expectedValues = library.expectedReading(of: table, digest: false, plainColumns: plain).selecting(names)
                differences += ["values:"] + CanonicalTable.differences(expected: expectedValues, actual: values)
            }
        }

        // fastparquet 2026.9.0 with pandas 3 (infer_string) loses the values of a UTF8 column's
        // PLAIN pages when the same column also has dictionary pages in the file: it gathers
        // PLAIN pages into an Arrow string array and dictionary pages into an object array,
        // then drops the Arrow part because it does not cover every row (api.py, "Schema
        // evolution: column absent in some row groups"), leaving None. pyarrow's own files
        // with a dictionary -> PLAIN fallback lose rows the same way. A bug of fastparquet's,
        // not of the file: recorded as a known issue for exactly those columns, so that any
        // other difference still fails, and so that the test notices when fastparquet is fixed.
        let affected = library == .fastparquet ? Self.stringColumnsMixingPlainAndDictionary(dumped.schema, table) : []
        let known = differing.filter(affected.contains)
        if !known.isEmpty {
            var knownExpected = expected.selecting(known), knownRead = read.selecting(known)
            knownRead.rowCount = knownExpected.rowCount
            let lines = CanonicalTable.differences(expected: knownExpected, actual: knownRead)
            withKnownIssue("fastparquet drops PLAIN-page values of string columns that also have dictionary pages") {
                Issue.record("\(library) reading \(name):\n\(lines.joined(separator: "\n"))")
            }
            differing.removeAll(where: known.contains)
            knownExpected = expected.selecting(expected.columns.map(\.name).filter { !known.contains($0) })
            knownRead = read.selecting(read.columns.map(\.name).filter { !known.contains($0) })
            differences = CanonicalTable.differences(expected: knownExpected, actual: knownRead)
        }
        #expect(differences.isEmpty, "\(library) reading \(name):\n\(differences.joined(separator: "\n"))")
    }

    /// String columns with a dictionary page in some row group and none in another (so PLAIN
    /// pages in that one).
    static func stringColumnsMixingPlainAndDictionary(_ schema: InteropJSON?, _ table: Table) -> Set<String> {
        var withDictionary = Set<String>(), withoutDictionary = Set<String>()
        for group in schema?["row_groups"]?.arrayValue ?? [] {
            for chunk in group["columns"]?.arrayValue ?? [] {
                guard let name = chunk["name"]?.stringValue, table[name]?.type == .string else { continue }
                if chunk["has_dictionary_page"] == .bool(true) { withDictionary.insert(name) } else { withoutDictionary.insert(name) }
            }
        }
        return withDictionary.intersection(withoutDictionary)
    }

    @Test("the Parquet schema carries the intended annotations, codec and layout", arguments: caseNames)
    func schemaIsAsIntended(_ name: String) throws {
        let (testCase, table, dumped, _) = try Self.load(name)
        let schema = try #require(dumped.schema, "no schema for \(name)")
        if let error = schema["error"]?.stringValue {
            Issue.record("pyarrow could not read the metadata of \(name): \(error)")
            return
        }
        let problems = Self.schemaProblems(schema, table: table, testCase: testCase)
        #expect(problems.isEmpty, "\(name):\n\(problems.joined(separator: "\n"))")
    }

    /// The columns none of whose chunks has a dictionary page, from the `--schema` output.
    static func columnsWithoutDictionary(_ schema: InteropJSON?) -> Set<String> {
        var withDictionary = Set<String>(), all = Set<String>()
        for group in schema?["row_groups"]?.arrayValue ?? [] {
            for chunk in group["columns"]?.arrayValue ?? [] {
                guard let name = chunk["name"]?.stringValue else { continue }
                all.insert(name)
                if chunk["has_dictionary_page"] == .bool(true) || (chunk["page_types"]?["DICTIONARY_PAGE"]?.intValue ?? 0) > 0 {
                    withDictionary.insert(name)
                }
            }
        }
        return all.subtracting(withDictionary)
    }

    // MARK: - Schema expectations

    /// What is wrong with the schema pyarrow reports for the file of `testCase`.
    static func schemaProblems(_ schema: InteropJSON, table: Table, testCase: Case) -> [String] {
        var problems: [String] = []
        let createdBy = schema["created_by"]?.stringValue ?? ""
        if !createdBy.hasPrefix("specimen version ") {
            problems.append("created_by is '\(createdBy)', not 'specimen version …'")
        }
        if schema["num_rows"]?.intValue != table.rowCount {
            problems.append("num_rows is \(schema["num_rows"]?.description ?? "missing"), expected \(table.rowCount)")
        }
        let keyValues = schema["key_value_metadata"]
        for (key, value) in keyValueMetadata(testCase.name) where keyValues?[key]?.stringValue != value {
            problems.append("key-value metadata '\(key)' is \(keyValues?[key]?.description ?? "missing"), expected \(InteropJSON.quoted(value))")
        }

        // Column annotations.
        let columns = schema["columns"]?.arrayValue ?? []
        if columns.map({ $0["name"]?.stringValue ?? "" }) != table.columnNames {
            problems.append("columns are \(columns.map { $0["name"]?.stringValue ?? "?" }), expected \(table.columnNames)")
        }
        for column in table.columns {
            guard let described = columns.first(where: { $0["name"]?.stringValue == column.name }) else { continue }
            problems += annotationProblems(described, type: column.type, name: column.name)
        }

        // Row groups, pages, codec, dictionary.
        let groups = schema["row_groups"]?.arrayValue ?? []
        if let limit = testCase.rowGroupRowLimit {
            let least = (table.rowCount + limit - 1) / limit
            if groups.count < least { problems.append("\(groups.count) row groups; with rowGroupRowLimit \(limit) expected at least \(least)") }
            for (index, group) in groups.enumerated() where (group["num_rows"]?.intValue ?? 0) > limit {
                problems.append("row group \(index) has \(group["num_rows"]!) rows, over rowGroupRowLimit \(limit)")
            }
        }
        let codec = testCase.codec.description
        for (groupIndex, group) in groups.enumerated() {
            let groupRows = group["num_rows"]?.intValue ?? 0
            for chunk in group["columns"]?.arrayValue ?? [] {
                let name = chunk["name"]?.stringValue ?? "?"
                let place = "row group \(groupIndex) column '\(name)'"
                // SNAPPY chunks it does not shrink are stored UNCOMPRESSED (byte for byte).
                let storedRaw = chunk["compression"]?.stringValue == "UNCOMPRESSED" && testCase.codec == .snappy
                    && chunk["total_compressed_size"] == chunk["total_uncompressed_size"]
                if chunk["compression"]?.stringValue != codec && !storedRaw {
                    problems.append("\(place): codec \(chunk["compression"]?.description ?? "?"), expected \(codec)")
                }
                if let error = chunk["page_error"]?.stringValue {
                    problems.append("\(place): page headers do not add up: \(error)")
                    continue
                }
                let encodings = (chunk["encodings"]?.arrayValue ?? []).compactMap(\.stringValue)
                let hasDictionaryPage = chunk["has_dictionary_page"] == .bool(true)
                    || (chunk["page_types"]?["DICTIONARY_PAGE"]?.intValue ?? 0) > 0
                if !testCase.dictionary && (hasDictionaryPage || encodings.contains("RLE_DICTIONARY") || encodings.contains("PLAIN_DICTIONARY")) {
                    problems.append("\(place): dictionary encoding with dictionary = false (encodings \(encodings))")
                }
                if let pageLimit = testCase.dataPageRowLimit, let most = chunk["max_page_values"]?.intValue, most > pageLimit {
                    problems.append("\(place): a data page holds \(most) rows, over dataPageRowLimit \(pageLimit)")
                }
                if let pageLimit = testCase.dataPageRowLimit, groupRows > pageLimit {
                    let dataPages = (chunk["page_types"]?["DATA_PAGE"]?.intValue ?? 0) + (chunk["page_types"]?["DATA_PAGE_V2"]?.intValue ?? 0)
                    if dataPages < (groupRows + pageLimit - 1) / pageLimit {
                        problems.append("\(place): \(dataPages) data pages for \(groupRows) rows with dataPageRowLimit \(pageLimit)")
                    }
                }
                // The low-cardinality string column is what dictionary encoding is for.
                if testCase.dictionary, name == "host", let nulls = chunk["null_count"]?.intValue, nulls < groupRows, !hasDictionaryPage {
                    problems.append("\(place): no dictionary page for a low-cardinality string column with dictionary = true (encodings \(encodings))")
                }
            }
        }
        return problems
    }

    @Test("local (not UTC-adjusted) ms and µs timestamps carry the legacy converted type too")
    func localTimestampsCarryLegacyAnnotation() throws {
        // parquet-format LogicalTypes.md, "Deprecated timestamp ConvertedType": "Parquet writer
        // implementation *must* annotate local timestamps with legacy annotations too", with
        // the forward-compatibility table giving TIMESTAMP_MILLIS/TIMESTAMP_MICROS for
        // isAdjustedToUTC = false as well (NANOS: none). pyarrow's `converted_type` property
        // derives the legacy type from the logical one and reports NONE for local timestamps
        // whatever the file holds, so the stored SchemaElement is read from the footer here.
        let (_, table, _, written) = try Self.load("types_snappy_dictionary")
        let elements = try ParquetReader(path: written.path("types_snappy_dictionary")).metadata.schema
        var problems: [String] = []
        var checked = 0
        for column in table.columns {
            guard case .timestamp(let unit, false) = column.type, unit != .nanoseconds else { continue }
            let element = try #require(elements.first { $0.name == column.name })
            let legacy: ConvertedType = unit == .milliseconds ? .timestampMillis : .timestampMicros
            checked += 1
            if element.convertedType != legacy {
                problems.append("column '\(column.name)' (\(column.type)): converted type \(String(describing: element.convertedType)), expected \(legacy)")
            }
        }
        #expect(checked >= 2, "the table should hold local ms and µs timestamps")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The annotations a column of `type` must carry (parquet-format LogicalTypes.md):
    /// strings STRING + UTF8; UTC-adjusted timestamps TIMESTAMP(unit, true) plus the legacy
    /// TIMESTAMP_MILLIS/MICROS where the unit has one (NANOS has none); local timestamps
    /// TIMESTAMP(unit, false), with or without the legacy type here (the rule that they need it
    /// is checked on its own by `localTimestampsCarryLegacyAnnotation`); dates DATE + DATE;
    /// narrow and unsigned integers INT(bits, signed) + INT_n/UINT_n; int32/int64 may carry
    /// INT(32/64, true) or nothing.
    static func annotationProblems(_ described: InteropJSON, type: ColumnType, name: String) -> [String] {
        let physical = described["physical_type"]?.stringValue ?? "?"
        let logical = described["logical_type"] ?? .null
        let converted = described["converted_type"]?.stringValue ?? "?"
        let logicalType = logical["Type"]?.stringValue
        var problems: [String] = []
        func expect(_ wantPhysical: String, _ wantLogical: String?, _ wantConverted: String,
                    extra: [(String, InteropJSON)] = [], alsoAllowed: (String?, String)? = nil) {
            var ok = physical == wantPhysical && logicalType == wantLogical && converted == wantConverted
                && extra.allSatisfy { logical[$0.0] == $0.1 }
            if !ok, let (allowedLogical, allowedConverted) = alsoAllowed {
                ok = physical == wantPhysical && logicalType == allowedLogical && converted == allowedConverted
            }
            if !ok {
                let want = "\(wantPhysical) \(wantLogical ?? "no logical type")" + (extra.isEmpty ? "" : "(" + extra.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ")") + " + \(wantConverted)"
                problems.append("column '\(name)' (\(type)): \(physical) \(logical) + \(converted), expected \(want)")
            }
        }
        func int(_ bits: Int, _ signed: Bool) -> [(String, InteropJSON)] {
            [("bitWidth", .number(String(bits))), ("isSigned", .bool(signed))]
        }
        switch type {
        case .bool: expect("BOOLEAN", nil, "NONE")
        case .int8: expect("INT32", "Int", "INT_8", extra: int(8, true))
        case .int16: expect("INT32", "Int", "INT_16", extra: int(16, true))
        case .int32: expect("INT32", nil, "NONE", alsoAllowed: ("Int", "INT_32"))
        case .int64: expect("INT64", nil, "NONE", alsoAllowed: ("Int", "INT_64"))
        case .uint8: expect("INT32", "Int", "UINT_8", extra: int(8, false))
        case .uint16: expect("INT32", "Int", "UINT_16", extra: int(16, false))
        case .uint32: expect("INT32", "Int", "UINT_32", extra: int(32, false))
        case .uint64: expect("INT64", "Int", "UINT_64", extra: int(64, false))
        case .float: expect("FLOAT", nil, "NONE")
        case .double: expect("DOUBLE", nil, "NONE")
        case .string: expect("BYTE_ARRAY", "String", "UTF8")
        case .binary: expect("BYTE_ARRAY", nil, "NONE")
        case .date: expect("INT32", "Date", "DATE")
        case .decimal(let precision, let scale):
            expect(precision <= 18 ? "INT64" : "FIXED_LEN_BYTE_ARRAY", "Decimal", "DECIMAL",
                   extra: [("precision", .number(String(precision))), ("scale", .number(String(scale)))])
        case .float16: expect("FIXED_LEN_BYTE_ARRAY", "Float16", "NONE")
        case .uuid: expect("FIXED_LEN_BYTE_ARRAY", "UUID", "NONE")
        case .time(let unit, let utc):
            let unitName: InteropJSON = .string(unit == .milliseconds ? "milliseconds" : unit == .microseconds ? "microseconds" : "nanoseconds")
            let legacy = !utc ? "NONE" : unit == .milliseconds ? "TIME_MILLIS" : unit == .microseconds ? "TIME_MICROS" : "NONE"
            expect(unit == .milliseconds ? "INT32" : "INT64", "Time", legacy, extra: [("isAdjustedToUTC", .bool(utc)), ("timeUnit", unitName)])
        case .timestamp(let unit, let utc):
            let unitName: InteropJSON = .string(unit == .milliseconds ? "milliseconds" : unit == .microseconds ? "microseconds" : "nanoseconds")
            let legacy = unit == .milliseconds ? "TIMESTAMP_MILLIS" : unit == .microseconds ? "TIMESTAMP_MICROS" : "NONE"
            let extra: [(String, InteropJSON)] = [("isAdjustedToUTC", .bool(utc)), ("timeUnit", unitName)]
            expect("INT64", "Timestamp", utc || converted != "NONE" ? legacy : "NONE", extra: extra)
        }
        if case .int32 = type, logicalType == "Int", logical["bitWidth"] != .number("32") || logical["isSigned"] != .bool(true) {
            problems.append("column '\(name)' (int32): logical type \(logical)")
        }
        if case .int64 = type, logicalType == "Int", logical["bitWidth"] != .number("64") || logical["isSigned"] != .bool(true) {
            problems.append("column '\(name)' (int64): logical type \(logical)")
        }
        return problems
    }

    // MARK: - Tables

    static func makeTable(_ kind: TableKind) throws -> Table {
        switch kind {
        case .everyType: try everyTypeTable(rows: 97, allNull: false)
        case .empty: try everyTypeTable(rows: 0, allNull: false)
        case .allNull: try everyTypeTable(rows: 41, allNull: true)
        case .fiveThousand: try fiveThousandTable()
        case .million: try millionTable()
        }
    }

    static let strings = ["", "a", "host-1", "日本語", "naïve café", "🦀 crab", "e\u{301}", "line\nbreak", "tab\there",
                          "quote\"back\\slash", "nul\u{0}inside", String(repeating: "x", count: 300), "Ωmega", "host-2"]
    static let binaries: [[UInt8]] = [[], [0], [0xFF, 0xFE, 0, 1], Array("abc".utf8), Array(0 ... 255), [0x80], Array("host".utf8)]
    static let specialDoubles: [Double] = [.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                           -.leastNormalMagnitude, 0.1, 1.0 / 3, 1e16, 123456789.125]
    static let specialFloats: [Float] = [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                         0.1, 1.0 / 3, 16777216, -2.5]

    /// Every ColumnType: nulls in every column but `required_int64` (at different rows per
    /// column), NaN, ±infinity, -0.0, subnormals, extremes of every integer type, unicode,
    /// empty strings and binary, timestamps before and at the epoch in ms/us/ns, naive and
    /// UTC; a low-cardinality `host` string for the dictionary.
    static func everyTypeTable(rows: Int, allNull: Bool) throws -> Table {
        var columns: [Column] = []
        var columnIndex = 0
        func add(_ name: String, _ type: ColumnType, nullable: Bool = true, _ value: (Int) -> Value) throws {
            columnIndex += 1
            var builder = ColumnBuilder(name: name, type: type, capacity: rows)
            let every = 3 + columnIndex % 7
            for row in 0 ..< rows {
                if allNull && nullable || nullable && (row + columnIndex) % every == 0 {
                    builder.appendNull()
                } else {
                    try builder.append(value(row))
                }
            }
            columns.append(builder.finish())
        }
        // A well-spread integer from the row, within [low, high]; rows 1 and 2 hit the ends.
        func spread(_ row: Int, _ low: Int64, _ high: Int64) -> Int64 {
            if row % 11 == 1 { return low }
            if row % 11 == 2 { return high }
            let span = UInt64(bitPattern: high &- low) &+ 1
            let mixed = UInt64(truncatingIfNeeded: row) &* 0x9E37_79B9_7F4A_7C15
            return span == 0 ? Int64(bitPattern: mixed) : low &+ Int64(bitPattern: mixed % span)
        }
        try add("bool", .bool) { .bool($0 % 3 == 0) }
        try add("int8", .int8) { .int(spread($0, -128, 127)) }
        try add("int16", .int16) { .int(spread($0, -32768, 32767)) }
        try add("int32", .int32) { .int(spread($0, Int64(Int32.min), Int64(Int32.max))) }
        try add("int64", .int64) { .int(spread($0, .min, .max)) }
        try add("uint8", .uint8) { .uint(UInt64(spread($0, 0, 255))) }
        try add("uint16", .uint16) { .uint(UInt64(spread($0, 0, 65535))) }
        try add("uint32", .uint32) { .uint(UInt64(spread($0, 0, Int64(UInt32.max)))) }
        try add("uint64", .uint64) { row in
            // 0, UInt64.max, and values above Int64.max on every other row.
            row % 11 == 1 ? .uint(0) : row % 11 == 2 ? .uint(.max)
                : .uint(UInt64(bitPattern: spread(row, .min, .max)) | (row % 2 == 0 ? 1 << 63 : 0))
        }
        try add("float", .float) { $0 % 2 == 1 ? .float(specialFloats[$0 / 2 % specialFloats.count]) : .float(Float($0) * 0.37 - 5) }
        try add("double", .double) { $0 % 2 == 1 ? .double(specialDoubles[$0 / 2 % specialDoubles.count]) : .double(Double($0) * 1.1 - 20) }
        try add("string", .string) { .string(strings[$0 % strings.count]) }
        try add("binary", .binary) { .binary(binaries[$0 % binaries.count]) }
        try add("host", .string) { .string("host-\($0 % 5)") }
        let base: Int64 = 1_734_689_472_500_000  // 2024-12-20T10:11:12.5Z in µs
        for unit in [TimeUnit.milliseconds, .microseconds, .nanoseconds] {
            for utc in [false, true] {
                let perMicro: Int64 = unit == .milliseconds ? 0 : unit == .microseconds ? 1 : 1000
                try add("ts_\(unit.abbreviation)\(utc ? "_utc" : "")", .timestamp(unit, isAdjustedToUTC: utc)) { row in
                    let scaled = unit == .milliseconds ? base / 1000 : base * perMicro
                    let value: Int64 = row % 13 == 3 ? -1 : row % 13 == 4 ? 0 : scaled + Int64(row - 40) * 3_600 * unit.perSecond + Int64(row)
                    return .timestamp(value, unit, isAdjustedToUTC: utc)
                }
            }
        }
        try add("date", .date) { .date(Int32($0 * 7919 % 80000 - 30000)) }
        try add("required_int64", .int64, nullable: false) { .int(Int64($0) * 1_000_003 - 50_000) }
        return try Table(columns: columns)
    }

    /// 5,000 rows: sorted and scattered integers, doubles with NaN and nulls, a low- and a
    /// high-cardinality string, a column null for rows 1,000..<3,000 (whole pages and a whole
    /// row group without values), booleans, UTC timestamps.
    static func fiveThousandTable() throws -> Table {
        let n = 5_000
        let rows = 0 ..< n
        return try Table(columns: [
            Column(name: "step", int64s: rows.map { Int64($0) }),
            Column(name: "value", doubles: rows.map { $0 % 11 == 0 ? nil : $0 % 7 == 0 ? .nan : Double($0 * 2654435761 % 1000003) / 17 }),
            Column(name: "host", strings: rows.map { $0 % 9 == 0 ? nil : "host-\($0 % 20)" }),
            Column(name: "unique", strings: rows.map { "id-\($0)-\($0 * 7919 % 10007)" }),
            Column(name: "sparse", int32s: rows.map { (1000 ..< 3000).contains($0) ? nil : Int32($0 * 31 % 1000) }),
            Column(name: "flag", bools: rows.map { $0 % 13 == 0 ? nil : $0 % 3 == 0 }),
            Column(name: "time", timestamps: rows.map { 1_700_000_000_000_000 + Int64($0) * 1_000_000 }, unit: .microseconds),
        ])
    }

    /// 1,048,577 rows (2^20 + 1, one more than the default row-group limit) of a metrics
    /// table: step, loss (nulls and NaN), host (16 values), time, and `tag`, a string unique
    /// per row whose dictionary outgrows the default 1 MiB limit (dictionary -> PLAIN inside
    /// the chunk).
    static func millionTable() throws -> Table {
        let n = (1 << 20) + 1
        var step = ColumnBuilder(name: "step", type: .int64, capacity: n)
        var loss = ColumnBuilder(name: "loss", type: .double, capacity: n)
        var host = ColumnBuilder(name: "host", type: .string, capacity: n)
        var time = ColumnBuilder(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true), capacity: n)
        var tag = ColumnBuilder(name: "tag", type: .string, capacity: n)
        let hosts = (0 ..< 16).map { "gpu-node-\($0)" }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("r-00000".utf8)
        for row in 0 ..< n {
            step.append(Int64(row))
            if row % 1000 == 999 { loss.appendNull() } else if row % 4099 == 0 { loss.append(Double.nan) } else { loss.append(1.0 / Double(row + 1)) }
            if row % 777 == 5 { host.appendNull() } else { host.append(hosts[row % 16]) }
            time.append(1_734_689_472_000_000 + Int64(row) * 1_000)
            for position in 0 ..< 5 { text[2 + position] = digits[(row >> (4 * (4 - position))) & 15] }
            tag.append(bytes: text)
        }
        return try Table(columns: [step.finish(), loss.finish(), host.finish(), time.finish(), tag.finish()])
    }
}

// MARK: - What each library gives back

extension InteropLibrary {
    /// The canonical table this library reads from a file our writer made from `table`.
    ///
    /// pyarrow and polars read every type as written. The other libraries differ, each for a
    /// reason of its own that no file could avoid:
    ///
    /// - **duckdb**: a TIMESTAMP(MILLIS) column comes back as microseconds (values × 1000).
    ///   DuckDB has TIMESTAMP_MS only as a naive type converted on read, and its TIMESTAMP and
    ///   TIMESTAMPTZ types are microseconds; its Parquet reader converts MILLIS to µs, UTC or not.
    ///   NANOS stays nanoseconds (TIMESTAMP_NS).
    /// - **fastparquet** (`ParquetFile.to_pandas()`, pandas_nulls=True):
    ///   - UTC-adjusted timestamps come back naive (same values): fastparquet takes the time
    ///     zone only from the `pandas` key-value metadata, which we do not write.
    ///   - dates come back as `datetime64[ns]` (days × 86,400 × 10⁹ ns, naive): fastparquet
    ///     maps DATE to datetime64.
    ///   - nulls in float and double columns come back as NaN (not null): numpy float columns
    ///     have no null. Integers and booleans keep nulls (pandas nullable Int/boolean dtypes).
    ///   - a binary column without any value (all null, or no rows) is an object column with
    ///     nothing to tell its type by: type `null`. The same for a string column without
    ///     values, except when its pages are PLAIN: fastparquet decodes PLAIN UTF8 pages
    ///     straight into an Arrow-backed `str` column (api.py, `arrow_string_columns`), and
    ///     dictionary pages into an object column. So an all-null string column is `string`
    ///     when it has rows and no dictionary page (`plainColumns`), `null` otherwise.
    /// - **pandas** (`pd.read_parquet`, pyarrow engine, no `pandas` metadata in our files):
    ///   - integer columns with a null become float64 (NaN for null; uint64/int64 values
    ///     rounded to the nearest double): pyarrow's `to_pandas` default without nullable dtypes.
    ///   - nulls in float and double columns become NaN, as for fastparquet.
    ///   - bool columns with a null become object columns (read back as bools and nulls);
    ///     when every value is null there is nothing to tell the type by: `null`. Binary and
    ///     date columns are object columns (bytes, datetime.date): `null` when they hold no
    ///     value (all null or no rows). Strings are pandas' `str` dtype and keep their type.
    func expectedReading(of table: Table, digest: Bool, plainColumns: Set<String> = []) -> CanonicalTable {
        var result = CanonicalTable(rowCount: table.rowCount, columns: [])
        for column in table.columns {
            let noValue = column.nullCount == column.count
            switch (self, column.type) {
            case (.duckdb, .timestamp(.milliseconds, let utc)):
                result.columns.append(CanonicalColumn(Self.rescaled(column, to: .microseconds, utc: utc, factor: 1000), digest: digest))
            case (.fastparquet, .timestamp(let unit, true)):
                result.columns.append(CanonicalColumn(Self.rescaled(column, to: unit, utc: false, factor: 1), digest: digest))
            case (.fastparquet, .date):
                result.columns.append(CanonicalColumn(Self.datesAsNanoseconds(column), digest: digest))
            case (.fastparquet, .float), (.fastparquet, .double), (.pandas, .float), (.pandas, .double):
                result.columns.append(CanonicalColumn(Self.nullsAsNaN(column), digest: digest))
            case (.fastparquet, .string) where noValue && !(column.count > 0 && plainColumns.contains(column.name)),
                 (.fastparquet, .binary) where noValue,
                 (.pandas, .binary) where noValue, (.pandas, .date) where noValue,
                 (.pandas, .bool) where noValue && column.count > 0:
                result.columns.append(CanonicalColumn.untyped(name: column.name, count: column.count, digest: digest))
            case (.pandas, let type) where type.isInteger && column.nullCount > 0:
                result.columns.append(CanonicalColumn(Self.integersAsDoubles(column), digest: digest))
            default:
                result.columns.append(CanonicalColumn(column, digest: digest))
            }
        }
        return result
    }

    /// `column`'s timestamps × `factor` in `unit`, UTC-adjusted or not.
    static func rescaled(_ column: Column, to unit: TimeUnit, utc: Bool, factor: Int64) -> Column {
        guard case .int64(let values) = column.values else { return column }
        let scaled = factor == 1 ? values : values.map { $0 &* factor }
        return (try? Column(name: column.name, type: .timestamp(unit, isAdjustedToUTC: utc), values: .int64(scaled), validity: column.validity)) ?? column
    }

    /// A date column as naive nanosecond timestamps at midnight.
    static func datesAsNanoseconds(_ column: Column) -> Column {
        guard case .int32(let days) = column.values else { return column }
        let nanos = days.map { Int64($0) * 86_400 * 1_000_000_000 }
        return (try? Column(name: column.name, type: .timestamp(.nanoseconds, isAdjustedToUTC: false), values: .int64(nanos), validity: column.validity)) ?? column
    }

    /// A float or double column whose nulls are NaN values.
    static func nullsAsNaN(_ column: Column) -> Column {
        guard column.validity != nil else { return column }
        switch column.values {
        case .float(var values):
            for row in 0 ..< values.count where column.isNull(row) { values[row] = .nan }
            return (try? Column(name: column.name, type: .float, values: .float(values))) ?? column
        case .double(var values):
            for row in 0 ..< values.count where column.isNull(row) { values[row] = .nan }
            return (try? Column(name: column.name, type: .double, values: .double(values))) ?? column
        default:
            return column
        }
    }

    /// An integer column as doubles, nulls as NaN (what pandas does to integers with nulls).
    static func integersAsDoubles(_ column: Column) -> Column {
        var values = [Double](repeating: .nan, count: column.count)
        for row in 0 ..< column.count {
            switch column[row] {
            case .int(let v): values[row] = Double(v)
            case .uint(let v): values[row] = Double(v)
            default: break
            }
        }
        return (try? Column(name: column.name, type: .double, values: .double(values))) ?? column
    }
}
