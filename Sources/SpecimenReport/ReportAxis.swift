/// What the charts' x axis shows at first (the page lets the reader switch).
public enum ReportAxis: String, Sendable, CaseIterable {
    /// The `step` column (the row number when a run has none).
    case step
    /// Wall-clock time (UTC) of each row, from the `time` column.
    case time
    /// Seconds since the run's first row, from the `time` column.
    case elapsed
}
