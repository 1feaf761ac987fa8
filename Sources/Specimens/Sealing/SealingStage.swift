import Parquet

/// The work of sealing a long run that runs beside the Parquet writer when the file goes to
/// storage other than the local disk (``RunSealer``'s pipeline): decoding the journal's next
/// batch of rows (``JournalBatches``), putting the `run_id` column in front, and adding the
/// batch to the manifest's summary.
///
/// While the writer encodes batch *n* (on every core), this stage prepares batch *n + 1* on
/// a thread of its own, so that decoding costs wall time only where the encoder leaves a core
/// idle.
///
/// `@unchecked Sendable`: it is used by one thread at a time — the background work started
/// for one ``step()``, then, after that work is joined, the thread that started it.
final class SealingStage: @unchecked Sendable {
    /// The journal's batches.
    var batches: JournalBatches
    /// The manifest's `metrics` entry, from the batches handed over so far.
    var summary = MetricsSummary()
    private var runIDs: RunIDPrefix

    init(batches: JournalBatches, runID: RunID) {
        self.batches = batches
        runIDs = RunIDPrefix(runID: runID)
    }

    /// Decodes the next batch with its `run_id` column and adds it to the summary; nil when the
    /// journal is read. Errors are returned, for the thread that joins the work to throw.
    func step() -> Result<Table?, any Error> {
        Result {
            guard let batch = try batches.next() else { return nil }
            let table = runIDs.prepend(to: batch)
            summary.add(table)
            return table
        }
    }
}
