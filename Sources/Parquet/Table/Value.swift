/// One cell of a table, boxed: for printing, row access and tests, not for bulk work
/// (use a column's typed storage for that).
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A signed integer of any width.
    case int(Int64)
    /// An unsigned integer of any width.
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// A count of `unit`s since the Unix epoch; UTC-adjusted (an instant) or not (wall clock).
    case timestamp(Int64, TimeUnit, isAdjustedToUTC: Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    /// A time of day: a count of `unit`s since midnight; UTC-adjusted or local.
    case time(Int64, TimeUnit, isAdjustedToUTC: Bool)
    /// An exact decimal.
    case decimal(ParquetDecimal)
    /// A UUID's 16 bytes, in the order they are written.
    case uuid([UInt8])

    /// Whether this is `.null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The value as a Double, for numbers; nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        case .decimal(let v): v.doubleValue
        default: nil
        }
    }

    /// Text for people: numbers as Swift prints them, decimals exactly with `scale` digits
    /// after the point, timestamps and dates in ISO 8601, times of day as `HH:MM:SS[.fraction]`, UUIDs as lowercase 8-4-4-4-12 hex.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let v): v ? "true" : "false"
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float(let v): v.description
        case .double(let v): v.description
        case .string(let v): v
        case .binary(let v): "0x" + Self.hex(v[...])
        case .timestamp(let v, let unit, let utc): CivilTime.iso8601(v, unit: unit, utc: utc)
        case .date(let days): CivilTime.date(Int64(days))
        case .time(let v, let unit, _): CivilTime.timeOfDay(v, unit: unit)
        case .decimal(let v): v.description
        case .uuid(let v):
            v.count == 16
                ? [v[0 ..< 4], v[4 ..< 6], v[6 ..< 8], v[8 ..< 10], v[10 ..< 16]].map(Self.hex).joined(separator: "-")
                : "0x" + Self.hex(v[...])
        }
    }

    /// Equality that treats every NaN as equal to every NaN (so tables with NaN compare equal to
    /// themselves), and otherwise compares like `==`.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.float(let a), .float(let b)): a == b || (a.isNaN && b.isNaN)
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.timestamp(let a, let ua, let za), .timestamp(let b, let ub, let zb)): a == b && ua == ub && za == zb
        case (.date(let a), .date(let b)): a == b
        case (.time(let a, let ua, let za), .time(let b, let ub, let zb)): a == b && ua == ub && za == zb
        case (.decimal(let a), .decimal(let b)): a == b
        case (.uuid(let a), .uuid(let b)): a == b
        default: false
        }
    }

    /// Hashes consistently with `==` (all NaNs hash alike).
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(v)
        case .int(let v): hasher.combine(v)
        case .uint(let v): hasher.combine(v)
        case .float(let v): hasher.combine(v.isNaN ? Float.nan.bitPattern : v.bitPattern)
        case .double(let v): hasher.combine(v.isNaN ? Double.nan.bitPattern : v.bitPattern)
        case .string(let v): hasher.combine(v)
        case .binary(let v): hasher.combine(v)
        case .timestamp(let v, let unit, let utc): hasher.combine(v); hasher.combine(unit); hasher.combine(utc)
        case .date(let v): hasher.combine(v)
        case .time(let v, let unit, let utc): hasher.combine(v); hasher.combine(unit); hasher.combine(utc)
        case .decimal(let v): hasher.combine(v)
        case .uuid(let v): hasher.combine(v)
        }
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
