public import Parquet

/// The type of a metric column: what `metrics.parquet` stores it as.
public enum MetricType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 64-bit integers (`int64`).
    case int64
    /// Doubles (`double`).
    case double
    /// Booleans (`bool`).
    case bool
    /// UTF-8 text (`string`).
    case string
    /// Instants in microseconds, UTC (`timestamp[us, UTC]`).
    case timestamp

    /// The name used in manifests: `int64`, `double`, `bool`, `string`, `timestamp`.
    public var description: String { rawValue }

    /// The Parquet table type.
    public var columnType: ColumnType {
        switch self {
        case .int64: .int64
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .timestamp: .timestamp(.microseconds, isAdjustedToUTC: true)
        }
    }

    /// The type a column takes when a value of `other` arrives, or nil for a clash:
    /// int64 and double give double; anything else must match.
    func merged(with other: MetricType) -> MetricType? {
        if self == other { return self }
        if (self == .int64 && other == .double) || (self == .double && other == .int64) { return .double }
        return nil
    }
}
