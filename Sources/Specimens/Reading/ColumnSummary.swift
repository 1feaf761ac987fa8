/// A numeric metric's summary from a run manifest: last value, minimum, maximum and the number
/// of non-null values.
public struct ColumnSummary: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// The last non-null value.
    public var last: Double?
    /// The smallest non-NaN value.
    public var min: Double?
    /// The largest non-NaN value.
    public var max: Double?
    /// How many rows hold a value.
    public var count: Int

    /// Creates a summary.
    public init(name: String, last: Double?, min: Double?, max: Double?, count: Int) {
        self.name = name
        self.last = last
        self.min = min
        self.max = max
        self.count = count
    }
}
