/// One key of a run query's order: a field and a direction. Runs without the field sort last
/// in either direction; ties keep the earlier keys' order, then the run order (oldest first).
///
/// ```swift
/// let best = try RunSortKey("metrics.loss.last")       // ascending
/// let newest = try RunSortKey("started:desc")
/// ```
public struct RunSortKey: Sendable, Hashable, CustomStringConvertible {
    /// The field sorted by.
    public var field: RunField
    /// Largest first when true.
    public var descending: Bool

    /// A key from its parts.
    public init(_ field: RunField, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Parses `FIELD`, `FIELD:asc` or `FIELD:desc`; throws `RunQuerySyntaxError` otherwise.
    public init(_ text: String) throws(RunQuerySyntaxError) {
        var parser = ExpressionParser(text)
        (field, descending) = try parser.parseSortKey()
    }

    /// `FIELD:asc` or `FIELD:desc`.
    public var description: String { "\(field):\(descending ? "desc" : "asc")" }
}
