import Foundation
import InteropSupport
@testable import Parquet
import Testing

/// TIME (milliseconds on INT32, micro- and nanoseconds on INT64; UTC-adjusted or local) as the
/// `time` column type: written with the annotations LogicalTypes.md gives, read by pyarrow as the
/// same times, printed `HH:MM:SS[.fraction]`. pyarrow's own TIME files are read in
/// `InteropLogicalTypesTests` (fixture `time_units`).
@Suite("TIME columns")
struct TimeColumnTests {
    static let units: [TimeUnit] = [.milliseconds, .microseconds, .nanoseconds]

    /// Six columns, every unit UTC-adjusted and local, with midnight, the day's last instant,
    /// fractions of every length and nulls.
    static func table() throws -> Table {
        var columns: [Column] = []
        for unit in units {
            let perSecond = unit.perSecond
            let counts: [Int64?] = [0, 86_400 * perSecond - 1, 1, nil, (12 * 3600 + 34 * 60 + 56) * perSecond + perSecond / 8, 3600 * perSecond]
            for utc in [true, false] {
                let type = ColumnType.time(unit, isAdjustedToUTC: utc)
                var builder = ColumnBuilder(name: "t_\(unit.abbreviation)\(utc ? "_utc" : "")", type: type)
                for count in counts { try builder.append(count.map { .time($0, unit, isAdjustedToUTC: utc) } ?? .null) }
                columns.append(builder.finish())
            }
        }
        return try Table(columns: columns)
    }

    @Test("written with TIME logical types (and TIME_MILLIS/MICROS when UTC-adjusted), read back equal")
    func roundTrip() throws {
        let table = try Self.table()
        let bytes = try ParquetWriter.encode(table)
        let metadata = try Footer.read(from: bytes)
        let elements = Array(metadata.schema.dropFirst())
        #expect(elements.map(\.type) == [.int32, .int32, .int64, .int64, .int64, .int64])
        #expect(elements.map(\.logicalType) == Self.units.flatMap { unit in [true, false].map { LogicalType.time(isAdjustedToUTC: $0, unit: unit) } })
        #expect(elements.map(\.convertedType) == [.timeMillis, nil, .timeMicros, nil, nil, nil])
        let read = try ParquetReader(bytes: bytes).read()
        #expect(read == table)
        #expect(read.columns.map(\.type) == table.columns.map(\.type))
        #expect(read.columns[0].values.kind == .int32 && read.columns[2].values.kind == .int64)
    }

    @Test("printed HH:MM:SS with the fraction the value needs")
    func printed() throws {
        let table = try Self.table()
        #expect(table["t_ms_utc"]?.boxedValues.map(\.description) == ["00:00:00", "23:59:59.999", "00:00:00.001", "null", "12:34:56.125", "01:00:00"])
        #expect(table["t_us"]?[1].description == "23:59:59.999999")
        #expect(table["t_ns"]?[2].description == "00:00:00.000000001")
        #expect(table["t_ns_utc"]?[4].description == "12:34:56.125")
    }

    @Test("pyarrow reads our TIME columns as the same times of day")
    func pyarrowReadsOurs() throws {
        let table = try Self.table()
        let folder = try TemporaryFolder()
        let path = folder.file("times.parquet")
        try ParquetWriter.write(table, to: path)
        let dumped = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true)
        let theirs = try #require(dumped[path]?.tables[.pyarrow]).get()
        let differences = CanonicalTable.differences(expected: CanonicalTable(table), actual: theirs)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        #expect(theirs.columns.map(\.type) == ["time[ms]", "time[ms]", "time[us]", "time[us]", "time[ns]", "time[ns]"])
    }

    @Test("TIME on a physical type that cannot hold it is unsupported, naming the column")
    func mismatchedPhysical() throws {
        var element = SchemaElement(name: "t", type: .int64, repetition: .optional, convertedType: nil,
                                    logicalType: .time(isAdjustedToUTC: true, unit: .milliseconds))
        #expect(throws: ParquetError.self) { try ColumnType(leaf: element) }
        element.type = .int32
        #expect(try ColumnType(leaf: element) == .time(.milliseconds, isAdjustedToUTC: true))
        element.logicalType = nil
        element.convertedType = .timeMicros
        element.type = .int64
        #expect(try ColumnType(leaf: element) == .time(.microseconds, isAdjustedToUTC: true))
    }
}
