/// The stored values of a column, one entry per row (nulls hold a placeholder: 0, false, or
/// an empty byte string), in the storage its `ColumnType` uses.
public enum ColumnValues: Sendable, Hashable {
    case bool([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case bytes(ByteArrays)

    /// The storage kinds.
    public enum Kind: Sendable, Hashable {
        case bool, int32, int64, float, double, bytes
    }

    /// This storage's kind.
    public var kind: Kind {
        switch self {
        case .bool: .bool
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .bytes: .bytes
        }
    }

    /// The number of rows stored.
    public var count: Int {
        switch self {
        case .bool(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .bytes(let values): values.count
        }
    }

    /// Empty storage of a kind.
    public static func empty(_ kind: Kind) -> ColumnValues {
        switch kind {
        case .bool: .bool([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .bytes: .bytes(ByteArrays())
        }
    }
}
