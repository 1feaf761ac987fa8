/// The runs a query selected, in its order, and what the catalog had to say while reading.
public struct RunSelection: Sendable {
    /// The selected runs' details, sorted and limited as the query asked.
    public var runs: [RunInfo]
    /// How many runs the specimen has (before filtering).
    public var totalRuns: Int
    /// Diagnostics for stderr: a damaged catalog segment that was ignored, a catalog that could
    /// not be written. The answer is right regardless.
    public var notes: [String]

    /// Creates a selection.
    public init(runs: [RunInfo], totalRuns: Int, notes: [String] = []) {
        self.runs = runs
        self.totalRuns = totalRuns
        self.notes = notes
    }
}
