/// The names of the files and folders of a specimen and of its runs (DESIGN §1): the one place
/// where they are spelled.
///
/// ```
/// <specimen>/
///   manifest.msgpack   field_notes.md   protocol.<ext>
///   runs/<run_id>/
///     manifest.msgpack     written last: its presence means "sealed"
///     metrics.parquet
///     .running  .journal*  .sealing  .tmp-*     hidden, while the run is open or being sealed
/// ```
public enum RunFolder {
    /// The folder of a specimen that holds its runs.
    public static let runs = "runs"
    /// A run's (and a specimen's) manifest.
    public static let manifest = "manifest.msgpack"
    /// A run's metrics table.
    public static let metrics = "metrics.parquet"
    /// The JSON-lines file a protocol in any language appends rows to (`SPECIMEN_METRICS`).
    public static let metricsLines = "metrics.jsonl"
    /// The specimen's notes, shared by all runs.
    public static let fieldNotes = "field_notes.md"
    /// The hidden journal of an open run; processes that join a run write `.journal-<n>`.
    public static let journal = ".journal"
    /// The hidden marker of a run whose writer is alive.
    public static let marker = ".running"
    /// The hidden lock taken while a run is being sealed.
    public static let sealingLock = ".sealing"
    /// The prefix of temporary files, which are created, synced and renamed into place.
    public static let temporaryPrefix = ".tmp-"
}
