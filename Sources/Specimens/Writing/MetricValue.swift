public import struct Foundation.Date

/// One logged value: an integer, a double, a boolean, a string, an instant, or missing.
///
/// Literals work directly: `["loss": 0.25, "epoch": 3, "phase": "train", "best": true, "note": nil]`.
public enum MetricValue: Sendable, Equatable {
    /// A 64-bit integer; the column becomes double if a double arrives later.
    case int(Int64)
    /// A double.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// UTF-8 text.
    case string(String)
    /// An instant, stored as microseconds since 1970 (UTC).
    case timestamp(microseconds: Int64)
    /// No value at this step (null in the table).
    case null

    /// An instant from a `Date`, rounded down to the microsecond.
    public static func date(_ date: Date) -> MetricValue {
        .timestamp(microseconds: Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }

    /// The type this value gives a column, or nil for `.null`.
    public var type: MetricType? {
        switch self {
        case .int: .int64
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .timestamp: .timestamp
        case .null: nil
        }
    }
}

extension MetricValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByNilLiteral
{
    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `nil`: missing at this step.
    public init(nilLiteral: ()) { self = .null }
}

extension MetricValue {
    /// An `Int`.
    public init(_ value: Int) { self = .int(Int64(value)) }
    /// A `Double`.
    public init(_ value: Double) { self = .double(value) }
    /// A `Float`, widened to double.
    public init(_ value: Float) { self = .double(Double(value)) }
    /// A `Bool`.
    public init(_ value: Bool) { self = .bool(value) }
    /// A `String`.
    public init(_ value: String) { self = .string(value) }
    /// A `Date`.
    public init(_ value: Date) { self = .date(value) }
}
