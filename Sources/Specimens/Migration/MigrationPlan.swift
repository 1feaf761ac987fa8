import MessagePack
import Parquet

/// What migrating one legacy specimen will do: the run ID and why, the table it will write,
/// and where every file goes. Computing a plan reads files and changes nothing.
public struct MigrationPlan: Sendable {
    /// The specimen's folder.
    public let specimenPath: String
    /// Where the legacy results are.
    public let layout: LegacyLayout
    /// The run the legacy results become.
    public let runID: RunID
    /// Why that ID: which manifest key or file time it came from, and any collision suffix.
    public let runIDReason: String
    /// Rows in the legacy metrics.
    public let rows: Int
    /// The legacy metrics' columns, in order, with their types.
    public let columns: [MetricColumnInfo]
    /// Every legacy file and where it goes.
    public let files: [MigrationFileMove]
    /// Things the migration changes beyond adding `run_id` (e.g. key-value metadata dropped).
    public let notes: [String]

    /// The legacy metrics table (not part of the public surface: it can be large).
    let table: Table
    /// The legacy manifest.
    let legacyManifest: MessagePackValue
    /// The legacy metrics' key-value metadata.
    let keyValueMetadata: [(key: String, value: String)]
    /// The legacy time, seconds since 1970 UTC.
    let seconds: Int64
}
