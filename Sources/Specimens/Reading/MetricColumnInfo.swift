/// A column of a run's metrics table as the manifest lists it: name and type name
/// (`string`, `int64`, `double`, `bool`, `timestamp`).
public struct MetricColumnInfo: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// The type's name.
    public var type: String

    /// Creates a column description.
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}
