import Parquet

/// Puts the `run_id` column in front of batches of a run's rows (as
/// ``MetricsFile/withRunID(_:_:)`` does), building its bytes once for every batch of the same
/// size: sealing a long run writes many batches of equal length.
struct RunIDPrefix {
    /// The run whose ID the column repeats.
    let runID: RunID
    /// The column of the last batch, kept for the next batch of the same size.
    private var column: Column?

    init(runID: RunID) { self.runID = runID }

    /// `batch` with the `run_id` column first (a `run_id` column already in it is dropped).
    mutating func prepend(to batch: Table) -> Table {
        if column?.count != batch.rowCount {
            column = MetricsFile.constantColumn(MetricsFile.runIDColumn, runID.rawValue, rows: batch.rowCount)
        }
        var result = Table(rowCount: batch.rowCount)
        if let column { try? result.append(column) }
        for column in batch.columns where column.name != MetricsFile.runIDColumn { try? result.append(column) }
        return result
    }
}
