/// A column of a run's metrics table as the manifest lists it: its name and its type.
public struct MetricColumnInfo: Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// The type's name as the manifest writes it (`string`, `int64`, `double`, `bool`,
    /// `timestamp`; a migrated legacy run may list others, e.g. `float` or `date32`).
    public var typeName: String

    /// Creates a column description.
    public init(name: String, typeName: String) {
        self.name = name
        self.typeName = typeName
    }

    /// Creates a column description of one of the types runs log.
    public init(name: String, type: MetricType) {
        self.init(name: name, typeName: type.rawValue)
    }

    /// The type, when it is one of the five that runs log; nil for the other types a migrated
    /// legacy run may hold (``typeName`` says which).
    public var type: MetricType? { MetricType(rawValue: typeName) }
}
