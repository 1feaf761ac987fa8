import Foundation
import InteropSupport
@testable import Parquet
import Testing

/// DECIMAL (on INT32, INT64, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, logical or legacy
/// annotation), FLOAT16, UUID, plain FIXED_LEN_BYTE_ARRAY and INT96 timestamps, read exactly as
/// pyarrow reads them, and written so that pyarrow reads them back the same.
/// `Tests/InteropScripts/parquet_logical_fixtures.py` writes the files (pyarrow, DuckDB).
///
/// These tests fail, never skip, when Python or a library is missing.
@Suite("Parquet interop: decimal, float16, uuid, fixed-length binary, INT96")
struct InteropLogicalTypesTests {
    /// Every fixture the script writes, in its order.
    static let fixtureNames = [
        "decimal_integers", "decimal_fixed", "decimal_fixed_plain_v2",
        "fixed_dictionary", "fixed_plain", "fixed_byte_stream_split", "fixed_delta_byte_array",
        "int96_nanoseconds", "time_units", "int96_spark_sentinels", "duckdb_decimal_uuid",
    ]

    /// The fixtures, generated once per test process.
    static let fixtures = Result.capturing { try FixtureFiles(script: "parquet_logical_fixtures.py") }

    @Test("the fixture script writes exactly the fixtures listed here")
    func manifestMatches() throws {
        #expect(try Self.fixtures.get().names == Self.fixtureNames)
    }

    @Test("reads the fixture exactly as pyarrow does", arguments: fixtureNames)
    func readsFixture(_ name: String) throws {
        let fixtures = try Self.fixtures.get()
        let table = try ParquetReader(path: fixtures.path(name)).read()
        let differences = CanonicalTable.differences(expected: try fixtures.expected(name), actual: CanonicalTable(table))
        #expect(differences.isEmpty, "\(name)\n\(differences.joined(separator: "\n"))")
    }

    @Test("what we read, written again, reads back equal with our reader and with pyarrow", arguments: fixtureNames)
    func rewritesFixture(_ name: String) throws {
        let fixtures = try Self.fixtures.get()
        let table = try ParquetReader(path: fixtures.path(name)).read()
        let folder = try TemporaryFolder()
        let path = folder.file("rewritten.parquet")
        try ParquetWriter.write(table, to: path)
        #expect(try ParquetReader(path: path).read() == table, "\(name): our reader")
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true)
        let theirs = try #require(dumped[path]?.tables[.pyarrow]).get()
        let differences = CanonicalTable.differences(expected: try fixtures.expected(name), actual: theirs)
        #expect(differences.isEmpty, "\(name): pyarrow reading our file\n\(differences.joined(separator: "\n"))")
    }

    @Test("INT96 values outside the nanosecond range read in microseconds, the type says so, every row group alike")
    func int96Sentinels() throws {
        let fixtures = try Self.fixtures.get()
        let reader = try ParquetReader(path: fixtures.path("int96_spark_sentinels"))
        #expect(reader.schema.fields[0].type == .timestamp(.nanoseconds, isAdjustedToUTC: false))
        let table = try reader.read()
        #expect(table["ts"]?.type == .timestamp(.microseconds, isAdjustedToUTC: false))
        // The first row group alone is in range and reads in nanoseconds; the second does not.
        #expect(try reader.readRowGroup(0)["ts"]?.type == .timestamp(.nanoseconds, isAdjustedToUTC: false))
        #expect(try reader.readRowGroup(1)["ts"]?.type == .timestamp(.microseconds, isAdjustedToUTC: false))
        // 0001-01-01T00:00:00 and 9999-12-31T23:59:59.999999 in microseconds since 1970.
        #expect(table["ts"]?[23] == .timestamp(-62_135_596_800_000_000, .microseconds, isAdjustedToUTC: false))
        #expect(table["ts"]?[37] == .timestamp(253_402_300_799_999_999, .microseconds, isAdjustedToUTC: false))
    }

    @Test("our writer annotates decimal, float16 and uuid as LogicalTypes.md says")
    func writtenAnnotations() throws {
        let table = try Table(columns: [
            Column(name: "d9", type: .decimal(precision: 9, scale: 2), values: .int64([12345, -1]), validity: nil),
            Column(name: "d38", type: .decimal(precision: 38, scale: 4), values: .bytes(ByteArrays(offsets: [0, 1, 2], bytes: [0x7F, 0x80])), validity: nil),
            Column(name: "half", type: .float16, values: .float([1.5, -0.0]), validity: nil),
            Column(name: "id", type: .uuid, values: .bytes(ByteArrays(offsets: [0, 16, 32], bytes: Array(0 ..< 32))), validity: nil),
        ])
        let metadata = try Footer.read(from: ParquetWriter.encode(table))
        let elements = Array(metadata.schema.dropFirst())
        #expect(elements[0].type == .int64 && elements[0].convertedType == .decimal && elements[0].scale == 2 && elements[0].precision == 9)
        #expect(elements[0].logicalType == .decimal(scale: 2, precision: 9))
        #expect(elements[1].type == .fixedLenByteArray && elements[1].typeLength == 16 && elements[1].logicalType == .decimal(scale: 4, precision: 38))
        #expect(elements[2].type == .fixedLenByteArray && elements[2].typeLength == 2 && elements[2].logicalType == .float16 && elements[2].convertedType == nil)
        #expect(elements[3].type == .fixedLenByteArray && elements[3].typeLength == 16 && elements[3].logicalType == .uuid)
        // Min/max are not recorded for these types (optional; their orders are special).
        for chunk in metadata.rowGroups[0].columns {
            #expect(chunk.metaData?.statistics?.minValue == nil && chunk.metaData?.statistics?.maxValue == nil)
        }
    }

    /// Big-endian two's complement unscaled values for the BYTE_ARRAY decimal test: lengths 0
    /// to 17, redundant sign bytes, both signs.
    static let byteArrayDecimals: [[UInt8]?] = [
        [0x00], [0xFF], [0x01, 0x00], [0x80], [0x7F], [0x00, 0x80], [0xFF, 0x7F], nil,
        [0xFF, 0xFF, 0xFF, 0x85], [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],
        [0x80] + Array(repeating: 0, count: 15), [0x7F] + Array(repeating: 0xFF, count: 15),
        [0x00, 0x80] + Array(repeating: 0, count: 15), [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x12, 0x34],
    ]

    @Test("BYTE_ARRAY decimals and legacy DECIMAL annotations (no logical type) read as pyarrow reads them")
    func byteArrayAndLegacyDecimals() throws {
        let count = Self.byteArrayDecimals.count
        var small: [[UInt8]?] = [], legacy64: [Int64?] = [], legacy32: [Int32?] = []
        for row in 0 ..< count {
            small.append(row % 5 == 4 ? nil : [UInt8(truncatingIfNeeded: row * 37), UInt8(row)])
            let sign: Int64 = row % 2 == 0 ? 1 : -1
            legacy64.append(row == 3 ? nil : Int64(row) * 7_919_000_001 * sign)
            legacy32.append(Int32(row * 71_234_567 % 999_999_999) - 500_000_000)
        }
        let table = try Table(columns: [
            Column(name: "wide", binaries: Self.byteArrayDecimals),
            Column(name: "narrow", binaries: small),
            Column(name: "legacy64", int64s: legacy64),
            Column(name: "legacy32", int32s: legacy32),
        ])
        var options = ParquetWriter.Options()
        options.statistics = false
        var file = try ParquetWriter.encode(table, options: options)
        var metadata = try Footer.read(from: file)
        metadata.schema[1].convertedType = .decimal
        metadata.schema[1].scale = 5
        metadata.schema[1].precision = 40
        metadata.schema[1].logicalType = .decimal(scale: 5, precision: 40)
        metadata.schema[2].logicalType = .decimal(scale: 1, precision: 5)
        metadata.schema[3].convertedType = .decimal
        metadata.schema[3].scale = 3
        metadata.schema[3].precision = 18
        metadata.schema[4].convertedType = .decimal
        metadata.schema[4].scale = 9
        metadata.schema[4].precision = 9
        let footerLength = file.suffix(8).prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        file.removeLast(8 + footerLength)
        file += try FooterWriter.serialize(metadata)
        let folder = try TemporaryFolder()
        let path = folder.file("byte_array_decimal.parquet")
        try Data(file).write(to: URL(fileURLWithPath: path))

        let ours = try ParquetReader(path: path).read()
        let expectedTypes: [ColumnType] = [.decimal(precision: 40, scale: 5), .decimal(precision: 5, scale: 1),
                                           .decimal(precision: 18, scale: 3), .decimal(precision: 9, scale: 9)]
        #expect(ours.columns.map(\.type) == expectedTypes)
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true)
        let theirs = try #require(dumped[path]?.tables[.pyarrow]).get()
        let differences = CanonicalTable.differences(expected: theirs, actual: CanonicalTable(ours))
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // Written again (INT64 / FIXED_LEN_BYTE_ARRAY), the values survive exactly.
        let again = try ParquetReader(bytes: ParquetWriter.encode(ours)).read()
        #expect(again == ours)
    }
}
