/// How much of a run's `metrics.jsonl` has been ingested into its journal: the first `offset`
/// bytes, holding `lines` lines; the next row without a step gets `nextStep`.
///
/// `specimen run` records it in the journal after the rows it covers (``JournalRecord``, or
/// as the end of a lines batch whose rows stay in the file), so that readers and recovery take
/// those rows through the journal (with their arrival times) and only the rest from the file,
/// never a row twice.
struct LinesProgress: Sendable, Equatable {
    /// Bytes of the file ingested (always just after a newline, or the whole file at the end).
    var offset: Int64 = 0
    /// Lines ingested (so warnings about later lines give the file's own line numbers).
    var lines: Int64 = 0
    /// The step of the next row that has none.
    var nextStep: Int64 = 0
}
