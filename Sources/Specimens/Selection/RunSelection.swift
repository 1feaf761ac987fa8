/// The runs a query selected, in its order, and what the catalog had to say while reading.
public struct RunSelection: Sendable {
    /// The selected runs' details, sorted and limited as the query asked.
    public var runs: [RunInfo]
    /// How many runs the specimen has (before filtering).
    public var totalRuns: Int
    /// Diagnostics for stderr: a damaged catalog segment that was ignored, a catalog that could
    /// not be written. The answer is right regardless.
    public var notes: [String]
    /// The selected runs' fields, parallel to `runs` (empty for a selection built in code).
    var records: [RunRecord] = []

    /// Creates a selection.
    public init(runs: [RunInfo], totalRuns: Int, notes: [String] = []) {
        self.runs = runs
        self.totalRuns = totalRuns
        self.notes = notes
    }

    /// The value of `field` for the run at `index` of `runs` (the same value queries test),
    /// or nil when the run does not have it.
    public func value(_ field: RunField, ofRunAt index: Int) -> RunValue? {
        guard records.indices.contains(index) else { return nil }
        return records[index].value(field)
    }
}
