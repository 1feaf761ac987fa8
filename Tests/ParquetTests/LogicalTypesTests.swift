@testable import Parquet
import Testing

/// Decimal text, half-precision conversion and the schema mapping of annotated leaves.
@Suite("Logical types: decimal, float16, uuid")
struct LogicalTypesTests {
    @Test("decimal text is exact and keeps the scale's digits", arguments: [
        (Int64(0), 0, "0"), (0, 2, "0.00"), (-123400, 4, "-12.3400"), (5, 3, "0.005"), (-5, 3, "-0.005"),
        (Int64.max, 0, "9223372036854775807"), (Int64.min, 0, "-9223372036854775808"),
        (Int64.min, 18, "-9.223372036854775808"), (1, 18, "0.000000000000000001"), (1_000_000_000, 9, "1.000000000"),
    ])
    func decimalText(_ unscaled: Int64, _ scale: Int, _ text: String) {
        let decimal = ParquetDecimal(unscaled: unscaled, precision: 19, scale: scale)
        #expect(decimal.description == text)
        #expect(decimal.unscaledInt64 == unscaled)
        #expect(Value.decimal(decimal).description == text)
    }

    @Test("wide decimals: 38 and 76 digits, two's complement edges, redundant sign bytes")
    func wideDecimalText() {
        func text(_ bytes: [UInt8], scale: Int = 0) -> String { ParquetDecimal(unscaledBigEndian: bytes, precision: 80, scale: scale).description }
        // 10^38 - 1 = 0x4B3B4CA85A86C47A098A223FFFFFFFFF
        let max38: [UInt8] = [0x4B, 0x3B, 0x4C, 0xA8, 0x5A, 0x86, 0xC4, 0x7A, 0x09, 0x8A, 0x22, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(text(max38) == String(repeating: "9", count: 38))
        #expect(text(max38, scale: 10) == String(repeating: "9", count: 28) + "." + String(repeating: "9", count: 10))
        var negated = max38.map { ~$0 }
        negated[15] &+= 1
        #expect(text(negated) == "-" + String(repeating: "9", count: 38))
        #expect(text([0x80] + Array(repeating: 0, count: 15)) == "-170141183460469231731687303715884105728")
        #expect(text([0x7F] + Array(repeating: 0xFF, count: 31)) == "57896044618658097711785492504343953926634992332820282019728792003956564819967")
        #expect(text([]) == "0")
        #expect(text([0xFF, 0xFF, 0xFF]) == "-1")
        #expect(text([0x00, 0x00, 0x80]) == "128")
        #expect(text([0xFF, 0x80]) == "-128")
        #expect(ParquetDecimal(unscaledBigEndian: [0xFF, 0xFF, 0x80], precision: 3, scale: 0).unscaledBytes == [0x80])
        #expect(ParquetDecimal(unscaledBigEndian: [0x00, 0x00, 0x80], precision: 3, scale: 0).unscaledBytes == [0x00, 0x80])
        #expect(ParquetDecimal(unscaledBigEndian: [0x00, 0x00, 0x80], precision: 3, scale: 0)
            == ParquetDecimal(unscaled: 128, precision: 3, scale: 0))
        // 1 followed by 9·k zeros crosses every base-10⁹ chunk boundary.
        #expect(text([0x03, 0xB9, 0xAC, 0xA0, 0x00]) == "16000000000")
        #expect(text([0x0D, 0xE0, 0xB6, 0xB3, 0xA7, 0x64, 0x00, 0x00]) == "1000000000000000000")
    }

    @Test("FIXED_LEN_BYTE_ARRAY widths of decimal precisions match LogicalTypes.md")
    func byteWidths() {
        let expected = [1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 9: 4, 10: 5, 18: 8, 19: 9, 38: 16, 39: 17, 76: 32]
        for (precision, width) in expected {
            #expect(ParquetDecimal.byteWidth(precision: precision) == width, "precision \(precision)")
        }
    }

    @Test("every binary16 pattern converts to Float exactly and back")
    func halfPrecisionRoundTrip() {
        for bits in 0 ... UInt16.max {
            let value = HalfPrecision.float(fromBits: bits)
            let back = HalfPrecision.bits(from: value)
            if value.isNaN {
                #expect(back & 0x7C00 == 0x7C00 && back & 0x3FF != 0 && back & 0x8000 == bits & 0x8000)
            } else if back != bits {
                Issue.record("0x\(String(bits, radix: 16)) -> \(value) -> 0x\(String(back, radix: 16))")
                return
            }
        }
        #expect(HalfPrecision.float(fromBits: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromBits: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(fromBits: 0x8000).sign == .minus)
        #expect(HalfPrecision.float(fromBits: 0xFC00) == -.infinity)
    }

    @Test("Float to binary16 rounds to nearest, ties to even")
    func halfPrecisionRounding() {
        #expect(HalfPrecision.bits(from: 65520) == 0x7C00)           // halfway to 2^16: rounds up to infinity
        #expect(HalfPrecision.bits(from: 65519) == 0x7BFF)
        #expect(HalfPrecision.bits(from: 0x1p-25) == 0x0000)          // tie between 0 and the least subnormal
        #expect(HalfPrecision.bits(from: 0x1.8p-24) == 0x0002)        // tie between 1 and 2 subnormal units: even
        #expect(HalfPrecision.bits(from: 0x1.002p0) == 0x3C00)        // half an ulp above 1: even
        #expect(HalfPrecision.bits(from: 0x1.006p0) == 0x3C02)        // 1.5 ulps: even above
        #expect(HalfPrecision.bits(from: 0x1.0021p0) == 0x3C01)       // just above half an ulp
        #expect(HalfPrecision.bits(from: 1e-10) == 0)
        #expect(HalfPrecision.bits(from: -1e-10) == 0x8000)
    }

    @Test("annotated leaves map to column types; unknown and mismatched annotations read as the physical type")
    func leafMapping() throws {
        func type(_ physical: PhysicalType, length: Int32? = nil, converted: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
                  _ logical: LogicalType?) throws -> ColumnType {
            try ColumnType(leaf: SchemaElement(name: "c", type: physical, typeLength: length, convertedType: converted,
                                               scale: scale, precision: precision, logicalType: logical))
        }
        #expect(try type(.int32, .decimal(scale: 2, precision: 5)) == .decimal(precision: 5, scale: 2))
        #expect(try type(.int64, converted: .decimal, scale: 3, precision: 18, nil) == .decimal(precision: 18, scale: 3))
        #expect(try type(.byteArray, .decimal(scale: 0, precision: 50)) == .decimal(precision: 50, scale: 0))
        #expect(try type(.fixedLenByteArray, length: 16, .decimal(scale: 10, precision: 38)) == .decimal(precision: 38, scale: 10))
        #expect(try type(.fixedLenByteArray, length: 2, .float16) == .float16)
        #expect(try type(.fixedLenByteArray, length: 16, .uuid) == .uuid)
        #expect(try type(.fixedLenByteArray, length: 8, .uuid) == .binary)
        #expect(try type(.fixedLenByteArray, length: 4, .float16) == .binary)
        #expect(try type(.fixedLenByteArray, length: 7, nil) == .binary)
        #expect(try type(.int64, .other(fieldID: 2555)) == .int64)
        #expect(try type(.byteArray, .other(fieldID: 99)) == .binary)
        #expect(try type(.double, .decimal(scale: 1, precision: 5)) == .double)
        #expect(try type(.int96, nil) == .timestamp(.nanoseconds, isAdjustedToUTC: false))
        #expect(throws: ParquetError.self) { try type(.int32, .decimal(scale: 6, precision: 5)) }
        #expect(throws: ParquetError.self) { try type(.int32, .decimal(scale: -1, precision: 5)) }
        #expect(throws: ParquetError.self) { try type(.int64, converted: .decimal, nil) }
        #expect(try type(.int64, .time(isAdjustedToUTC: true, unit: .microseconds)) == .time(.microseconds, isAdjustedToUTC: true))
        #expect(try type(.int32, .time(isAdjustedToUTC: false, unit: .milliseconds)) == .time(.milliseconds, isAdjustedToUTC: false))
        let time = #expect(throws: ParquetError.self) { try type(.int64, .time(isAdjustedToUTC: true, unit: .milliseconds)) }
        #expect(time?.code == .unsupported)
    }

    @Test("values box, print and build back")
    func values() throws {
        let uuid: [UInt8] = [0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00]
        #expect(Value.uuid(uuid).description == "123e4567-e89b-12d3-a456-426614174000")
        var builder = ColumnBuilder(name: "d", type: .decimal(precision: 40, scale: 2))
        try builder.append(.decimal(ParquetDecimal(unscaled: -5, precision: 40, scale: 2)))
        try builder.append(.null)
        let column = builder.finish()
        #expect(column[0].description == "-0.05")
        #expect(column[1] == .null)
        var wrongScale = ColumnBuilder(name: "d", type: .decimal(precision: 40, scale: 3))
        #expect(throws: ParquetError.self) { try wrongScale.append(.decimal(ParquetDecimal(unscaled: 1, precision: 40, scale: 2))) }
        #expect(ColumnType.decimal(precision: 10, scale: 2).description == "decimal(10, 2)")
        #expect(ColumnType.decimal(precision: 18, scale: 2).storage == .int64)
        #expect(ColumnType.decimal(precision: 19, scale: 2).storage == .bytes)
        #expect(ColumnType.common(.decimal(precision: 10, scale: 2), .decimal(precision: 10, scale: 2)) == .decimal(precision: 10, scale: 2))
        #expect(ColumnType.common(.decimal(precision: 10, scale: 2), .decimal(precision: 12, scale: 2)) == .decimal(precision: 12, scale: 2))
        #expect(ColumnType.common(.decimal(precision: 38, scale: 2), .decimal(precision: 12, scale: 3)) == nil)
        #expect(ColumnType.common(.float16, .float) == .float)
        var floats = ColumnBuilder(name: "f", type: .float)
        try floats.append(Column(name: "f", type: .float16, values: .float([0.5, -2]), validity: nil), rows: 0 ..< 2)
        #expect(floats.finish().boxedValues == [.float(0.5), .float(-2)])
    }

    @Test("the writer rejects a decimal wider than its precision and a UUID that is not 16 bytes")
    func writerRejects() throws {
        let wide = try Table(columns: [Column(name: "d", type: .decimal(precision: 20, scale: 0),
                                              values: .bytes(ByteArrays(offsets: [0, 10], bytes: [0x40] + Array(repeating: 0, count: 9))))])
        let error = #expect(throws: ParquetError.self) { try ParquetWriter.encode(wide) }
        #expect(error?.message.contains("'d'") == true)
        let short = try Table(columns: [Column(name: "id", type: .uuid, values: .bytes(ByteArrays(offsets: [0, 3], bytes: [1, 2, 3])))])
        #expect(throws: ParquetError.self) { try ParquetWriter.encode(short) }
        for type in [ColumnType.decimal(precision: 0, scale: 0), .decimal(precision: 5, scale: 6), .decimal(precision: 1_000_000_000, scale: 2)] {
            let table = try Table(columns: [Column(name: "d", type: type, values: .empty(type.storage), validity: nil)])
            let error = #expect(throws: ParquetError.self) { try ParquetWriter.encode(table) }
            #expect(error?.code == .invalidArgument && error?.message.contains("'d'") == true)
        }
    }
}
