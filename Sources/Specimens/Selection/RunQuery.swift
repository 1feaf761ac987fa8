/// Which runs to select and in what order: a filter, sort keys and a limit.
///
/// ```swift
/// let query = try RunQuery(where: "params.lr < 1e-3 and status == 'completed'",
///                          sort: ["metrics.loss.last"], limit: 10)
/// let best = try Specimen(at: "specimens/sweep").runs(query)
/// ```
///
/// Without a filter every run is selected; without sort keys runs come oldest first.
public struct RunQuery: Sendable, Hashable {
    /// The condition a run must meet; nil selects every run.
    public var filter: RunFilter?
    /// The order, most significant key first.
    public var sort: [RunSortKey]
    /// At most this many runs (after sorting); nil for all.
    public var limit: Int?

    /// A query from typed parts.
    public init(filter: RunFilter? = nil, sort: [RunSortKey] = [], limit: Int? = nil) {
        self.filter = filter
        self.sort = sort
        self.limit = limit
    }

    /// A query from text: an expression (nil or blank for every run), sort keys such as
    /// `metrics.loss.last` or `started:desc`, and a limit. Throws `RunQuerySyntaxError`.
    public init(where expression: String?, sort: [String] = [], limit: Int? = nil) throws(RunQuerySyntaxError) {
        if let expression, expression.contains(where: { !$0.isWhitespace }) {
            filter = try RunFilter(expression)
        } else {
            filter = nil
        }
        var keys: [RunSortKey] = []
        for text in sort { keys.append(try RunSortKey(text)) }
        self.sort = keys
        self.limit = limit
    }

    /// Every run, oldest first.
    public static let all = RunQuery()
}
