/// The logical type of a table column: what its values mean, independent of how Parquet
/// stores them.
///
/// Each type has one storage (`ColumnValues`): 8-, 16- and 32-bit integers and dates live in
/// `Int32` storage, 64-bit integers and timestamps in `Int64`, strings and binary in `ByteArrays`.
/// Unsigned types keep their bit pattern in the signed storage of the same width.
/// Decimals of up to 18 digits keep their unscaled value in `Int64` storage, wider ones as
/// big-endian two's complement bytes (`ParquetDecimal.minimal` form); half-precision floats
/// live in `Float` storage and UUIDs as 16 bytes.
public enum ColumnType: Hashable, Sendable, CustomStringConvertible {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float, double
    /// UTF-8 text.
    case string
    /// Arbitrary bytes.
    case binary
    /// An instant (UTC-adjusted) or a wall-clock time (not adjusted), counted in `unit` since
    /// 1970-01-01T00:00:00.
    case timestamp(TimeUnit, isAdjustedToUTC: Bool)
    /// Days since 1970-01-01.
    case date
    /// A time of day, counted in `unit` since midnight; UTC-adjusted or local (Parquet TIME).
    /// Milliseconds live in `Int32` storage (Parquet stores them as INT32), micro- and
    /// nanoseconds in `Int64`.
    case time(TimeUnit, isAdjustedToUTC: Bool)
    /// An exact decimal of `precision` digits, `scale` of them after the point.
    case decimal(precision: Int, scale: Int)
    /// An IEEE 754 half-precision float (Parquet FLOAT16), widened exactly to `Float`; the
    /// writer rounds a value that is not a half to the nearest one (ties to even).
    case float16
    /// A 16-byte universally unique identifier.
    case uuid

    /// The storage this type uses.
    public var storage: ColumnValues.Kind {
        switch self {
        case .bool: .bool
        case .int8, .int16, .int32, .uint8, .uint16, .uint32, .date: .int32
        case .int64, .uint64, .timestamp: .int64
        case .decimal(let precision, _): precision <= Self.maxInt64DecimalPrecision ? .int64 : .bytes
        case .time(let unit, _): unit == .milliseconds ? .int32 : .int64
        case .float, .float16: .float
        case .double: .double
        case .string, .binary, .uuid: .bytes
        }
    }

    /// Whether the type is a signed or unsigned integer.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    /// Whether values of this type are numbers that have a min, max and mean.
    public var isNumeric: Bool {
        switch self {
        case .float, .double, .float16, .decimal: true
        default: isInteger
        }
    }

    /// The most digits a decimal may have and still keep its unscaled value in `Int64` storage.
    public static let maxInt64DecimalPrecision = 18

    /// A short name: `int64`, `double`, `string`, `timestamp[us, UTC]`, `date`, `decimal(10, 2)`, …
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .timestamp(let unit, let utc): "timestamp[\(unit.abbreviation)\(utc ? ", UTC" : "")]"
        case .date: "date"
        case .time(let unit, let utc): "time[\(unit.abbreviation)\(utc ? ", UTC" : "")]"
        case .decimal(let precision, let scale): "decimal(\(precision), \(scale))"
        case .float16: "float16"
        case .uuid: "uuid"
        }
    }

    /// The type two columns of the same name take when tables are concatenated, or nil when
    /// they clash. Integers widen to the wider integer and to double, float16 to float;
    /// decimals rescale to the larger scale with enough integer digits for both
    /// (``commonDecimal(_:_:)``), clashing only beyond 38 digits; anything else must match.
    public static func common(_ a: ColumnType, _ b: ColumnType) -> ColumnType? {
        if a == b { return a }
        if case .decimal = a, case .decimal = b { return commonDecimal(a, b) }
        if (a == .float16 && b == .float) || (a == .float && b == .float16) { return .float }
        if (a.isInteger && b == .double) || (b.isInteger && a == .double) { return .double }
        if a.isInteger && b.isInteger {
            let signedA = a.storage == .int64 ? 64 : 32, signedB = b.storage == .int64 ? 64 : 32
            if a == .uint64 || b == .uint64 { return nil }
            if a == .uint32 || b == .uint32 { return .int64 }
            return max(signedA, signedB) == 64 ? .int64 : .int32
        }
        return nil
    }
}

extension TimeUnit {
    /// `ms`, `us` or `ns`.
    public var abbreviation: String {
        switch self {
        case .milliseconds: "ms"
        case .microseconds: "us"
        case .nanoseconds: "ns"
        }
    }

    /// How many of this unit make one second.
    public var perSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }
}
