public import Parquet

/// What reading several runs' metrics gives: the stacked table and the sealed runs that could
/// not be read, with why (``Specimen/readRunsTable()``, ``Specimen/readRunsTable(_:)``).
public struct RunsTable: Sendable {
    /// A run left out of the table.
    public struct Skipped: Sendable, Hashable {
        /// The run.
        public var run: RunID
        /// Why it was left out (a damaged or foreign metrics file, an unsealed run asked for).
        public var reason: String
    }

    /// Every read run's rows: `run_id` first, columns unioned in first-seen order, missing
    /// values null.
    public var table: Table
    /// The runs left out, in run order.
    public var skipped: [Skipped]
}
