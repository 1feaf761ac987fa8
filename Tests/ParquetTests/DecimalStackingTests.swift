import InteropSupport
@testable import Parquet
import Testing

/// Decimal columns of different scales (and precisions) stack at the larger scale, with enough
/// integer digits for every table; only a result beyond 38 digits is an error.
@Suite("Stacking decimals of different scales")
struct DecimalStackingTests {
    static func decimals(_ name: String, _ precision: Int, _ scale: Int, _ texts: [String?]) throws -> Column {
        var builder = ColumnBuilder(name: name, type: .decimal(precision: precision, scale: scale))
        for text in texts {
            guard let text else { try builder.append(.null); continue }
            let negative = text.hasPrefix("-")
            let digits = text.filter(\.isNumber)
            let fraction = text.split(separator: ".").dropFirst().first?.count ?? 0
            #expect(fraction == scale)
            var unscaled: Int128 = 0
            for digit in digits { unscaled = unscaled * 10 + Int128(digit.wholeNumberValue!) }
            if negative { unscaled = -unscaled }
            if precision <= 18 {
                try builder.append(.decimal(ParquetDecimal(unscaled: Int64(unscaled), precision: precision, scale: scale)))
            } else {
                var bytes = ByteArrays()
                Column.appendMinimal(unscaled, to: &bytes)
                try builder.append(.decimal(ParquetDecimal(unscaledBigEndian: bytes[0], precision: precision, scale: scale)))
            }
        }
        return builder.finish()
    }

    static func texts(_ column: Column?) -> [String] { column?.boxedValues.map(\.description) ?? [] }

    @Test("commonDecimal keeps the larger scale and the most integer digits")
    func commonType() {
        #expect(ColumnType.common(.decimal(precision: 5, scale: 2), .decimal(precision: 10, scale: 4)) == .decimal(precision: 10, scale: 4))
        #expect(ColumnType.common(.decimal(precision: 9, scale: 0), .decimal(precision: 4, scale: 3)) == .decimal(precision: 12, scale: 3))
        #expect(ColumnType.common(.decimal(precision: 38, scale: 10), .decimal(precision: 38, scale: 10)) == .decimal(precision: 38, scale: 10))
        #expect(ColumnType.common(.decimal(precision: 38, scale: 0), .decimal(precision: 3, scale: 2)) == nil)
    }

    @Test("Table.concatenate rescales to the larger scale, across Int64 and wide storage")
    func concatenate() throws {
        let a = try Table(columns: [Self.decimals("price", 5, 2, ["123.45", "-0.01", nil])])
        let b = try Table(columns: [Self.decimals("price", 10, 4, ["999999.9999", "-1.5000"])])
        let c = try Table(columns: [Self.decimals("price", 20, 0, ["12345678901234567890"])])
        let joined = try Table.concatenate([a, b, c])
        #expect(joined["price"]?.type == .decimal(precision: 24, scale: 4))
        #expect(Self.texts(joined["price"]) == ["123.4500", "-0.0100", "null", "999999.9999", "-1.5000", "12345678901234567890.0000"])
        let narrow = try Table.concatenate([a, b])
        #expect(narrow["price"]?.type == .decimal(precision: 10, scale: 4))
        #expect(narrow["price"]?.values.kind == .int64)
        #expect(Self.texts(narrow["price"]) == ["123.4500", "-0.0100", "null", "999999.9999", "-1.5000"])
    }

    @Test("TableStacker.stack and TableStacker.read rescale the same way")
    func stacker() throws {
        let a = try Table(columns: [Self.decimals("d", 3, 1, ["12.5", "-0.1"])])
        let b = try Table(columns: [Self.decimals("d", 30, 6, ["-123456789012345678901234.123456", "0.000001"])])
        let expected = ["12.500000", "-0.100000", "-123456789012345678901234.123456", "0.000001"]
        let stacked = try TableStacker.stack([a, b])
        #expect(stacked["d"]?.type == .decimal(precision: 30, scale: 6))
        #expect(Self.texts(stacked["d"]) == expected)

        let folder = try TemporaryFolder()
        let paths = [folder.file("a.parquet"), folder.file("b.parquet")]
        try ParquetWriter.write(a, to: paths[0])
        try ParquetWriter.write(b, to: paths[1])
        let result = try TableStacker.read(paths.enumerated().map { StackFile(path: $0.element, constant: "run\($0.offset)") },
                                           options: StackOptions(constantColumn: "run"))
        #expect(result.failures.isEmpty)
        #expect(result.table["d"]?.type == .decimal(precision: 30, scale: 6))
        #expect(Self.texts(result.table["d"]) == expected)
    }

    @Test("past 38 digits stacking throws, saying why")
    func tooWide() throws {
        let a = try Table(columns: [Self.decimals("d", 38, 0, ["1"])])
        let b = try Table(columns: [Self.decimals("d", 3, 2, ["1.25"])])
        do {
            _ = try Table.concatenate([a, b])
            Issue.record("expected an error")
        } catch let error as ParquetError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("40 digits"))
        }
        #expect(throws: StackClash.self) { try TableStacker.stack([a, b]) }
    }
}

