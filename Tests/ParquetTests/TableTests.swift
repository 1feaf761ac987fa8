import Testing
@testable import Parquet

@Suite("Table")
struct TableTests {
    @Test func columnsHoldValuesAndNulls() throws {
        let column = Column(name: "loss", doubles: [0.5, nil, .nan])
        #expect(column.count == 3)
        #expect(column.nullCount == 1)
        #expect(column[0] == .double(0.5))
        #expect(column[1] == .null)
        #expect(column[2] == .double(.nan))
        guard case .double(let stored) = column.values else { Issue.record("wrong storage"); return }
        #expect(stored[1] == 0)
    }

    @Test func tableRejectsUnequalLengthsAndDuplicateNames() {
        #expect(throws: ParquetError.self) {
            try Table(columns: [Column(name: "a", int64s: [1]), Column(name: "b", int64s: [1, 2])])
        }
        #expect(throws: ParquetError.self) {
            try Table(columns: [Column(name: "a", int64s: [1]), Column(name: "a", int64s: [2])])
        }
        #expect(throws: ParquetError.self) {
            try Column(name: "x", type: .string, values: .int64([1]))
        }
    }

    @Test func rowsAndLookup() throws {
        let table = try Table(columns: [
            Column(name: "step", int64s: [0, 1]),
            Column(name: "host", strings: ["a", nil]),
            Column(name: "t", timestamps: [1_500_000, nil], unit: .microseconds),
        ])
        #expect(table.rowCount == 2)
        #expect(table.row(1) == [.int(1), .null, .null])
        #expect(table["host"]?[0] == .string("a"))
        #expect(table["missing"] == nil)
        #expect(table.row(0)[2] == .timestamp(1_500_000, .microseconds, isAdjustedToUTC: true))
        #expect(try table.selecting(["t", "step"]).columnNames == ["t", "step"])
        #expect(throws: ParquetError.self) { try table.selecting(["nope"]) }
        #expect(table.slice(1 ..< 5).rowCount == 1)
    }

    @Test func concatenationUnionsColumnsInFirstSeenOrder() throws {
        let a = try Table(columns: [Column(name: "step", int64s: [0, 1]), Column(name: "loss", int64s: [3, nil])])
        let b = try Table(columns: [Column(name: "acc", strings: ["x"]), Column(name: "loss", doubles: [0.25])])
        let joined = try Table.concatenate([a, b])
        #expect(joined.columnNames == ["step", "loss", "acc"])
        #expect(joined.rowCount == 3)
        #expect(joined["loss"]?.type == .double)
        #expect(joined["loss"]?.boxedValues == [.double(3), .null, .double(0.25)])
        #expect(joined["step"]?.boxedValues == [.int(0), .int(1), .null])
        #expect(joined["acc"]?.boxedValues == [.null, .null, .string("x")])
    }

    @Test func concatenationRejectsOtherClashesNamingTheColumn() throws {
        let a = try Table(columns: [Column(name: "flag", bools: [true])])
        let b = try Table(columns: [Column(name: "flag", strings: ["yes"])])
        do {
            _ = try Table.concatenate([a, b])
            Issue.record("expected a clash")
        } catch let error as ParquetError {
            #expect(error.message.contains("'flag'"))
            #expect(error.message.contains("bool") && error.message.contains("string"))
        }
    }

    @Test func allNullColumnsTakeTheOtherTablesType() throws {
        let a = try Table(columns: [Column(name: "flag", doubles: [nil, nil])])
        let b = try Table(columns: [Column(name: "flag", bools: [true])])
        let c = try Table(columns: [Column(name: "flag", strings: [nil])])
        let joined = try Table.concatenate([a, b, c])
        #expect(joined["flag"]?.type == .bool)
        #expect(joined["flag"]?.boxedValues == [.null, .null, .bool(true), .null])
        // A table with zero rows has no all-null column: its type still counts.
        let empty = try Table(columns: [Column(name: "flag", strings: [])])
        #expect(throws: ParquetError.self) { try Table.concatenate([b, empty]) }
    }

    @Test func equalityIgnoresPlaceholdersAndTreatsNaNAlike() throws {
        let a = try Column(name: "x", type: .double, values: .double([1, 7, .nan]), validity: Validity([true, false, true]))
        let b = try Column(name: "x", type: .double, values: .double([1, 9, .nan]), validity: Validity([true, false, true]))
        #expect(a == b)
        #expect(a != Column(name: "x", doubles: [1, nil, 2]))
    }

    @Test func builderConvertsBoxedValuesAndChecksRanges() throws {
        var builder = ColumnBuilder(name: "n", type: .int8)
        try builder.append(.int(-128))
        #expect(throws: ParquetError.self) { try builder.append(.int(128)) }
        #expect(throws: ParquetError.self) { try builder.append(.string("x")) }
        var unsigned = ColumnBuilder(name: "u", type: .uint64)
        try unsigned.append(.uint(.max))
        let column = unsigned.finish()
        #expect(column[0] == .uint(.max))
    }

    @Test(arguments: [0, 1, 63, 64, 65, 200])
    func validityAppendsRuns(count: Int) {
        var validity = Validity(count: 3)
        validity.append(repeating: false, count: count)
        validity.append(true)
        #expect(validity.count == count + 4)
        #expect(validity.nullCount == count)
        #expect(validity.isValid(2))
        #expect(validity.isValid(count + 3))
        if count > 0 { #expect(!validity.isValid(3 + count - 1)) }
        var joined = Validity(count: 64)
        joined.append(contentsOf: validity)
        #expect(joined.nullCount == count)
        #expect(joined.isValid(64 + count + 3))
    }

    @Test(arguments: [
        (Int64(0), TimeUnit.microseconds, true, "1970-01-01T00:00:00Z"),
        (1_734_689_472_500_000, .microseconds, true, "2024-12-20T10:11:12.5Z"),
        (-1, .milliseconds, false, "1969-12-31T23:59:59.999"),
        (1_000_000_001, .nanoseconds, true, "1970-01-01T00:00:01.000000001Z"),
        (-62_135_596_800_000, .milliseconds, true, "0001-01-01T00:00:00Z"),
        (-62_167_219_200_000, .milliseconds, true, "0000-01-01T00:00:00Z"),
        (253_402_300_800_000, .milliseconds, true, "10000-01-01T00:00:00Z"),
    ])
    func iso8601Text(value: Int64, unit: TimeUnit, utc: Bool, text: String) {
        #expect(CivilTime.iso8601(value, unit: unit, utc: utc) == text)
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: Int64(-1_000_000), through: 1_000_000, by: 997) {
            let (y, m, d) = CivilTime.civil(fromDays: days)
            #expect(CivilTime.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilTime.date(-719_529) == "-0001-12-31")
        #expect(CivilTime.date(19_000) == "2022-01-08")
    }
}
