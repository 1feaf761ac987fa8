public import Foundation
public import MessagePack

/// What viewers show about one run, read from its manifest (or, while it is unsealed, from
/// its marker and journal) — never from its metrics file.
public struct RunInfo: Sendable {
    /// The run's ID.
    public var id: RunID
    /// The run's folder.
    public var path: String
    /// Running, crashed, sealed with a status, or damaged.
    public var state: RunState
    /// The parameters the run was given (an empty map when none, or when unknown).
    public var params: MessagePackValue
    /// When the run started.
    public var startedAt: Date?
    /// When it was sealed; nil while unsealed.
    public var endedAt: Date?
    /// Rows of metrics: from the manifest, or counted live from the journals.
    public var rows: Int?
    /// The metric table's columns (sealed runs).
    public var columns: [MetricColumnInfo]
    /// Per numeric column: last, min, max, count (sealed runs).
    public var summary: [ColumnSummary]
    /// The run's notes, if any.
    public var notes: String?
    /// The run's tags.
    public var tags: [String]
    /// The whole manifest, for viewers that show more (nil while unsealed or damaged).
    public var manifest: MessagePackValue?
    /// Whether this "run" is a legacy specimen's results, read in place (not migrated yet):
    /// it has no run folder, and `path` is the legacy folder.
    public var isLegacy = false

    /// Seconds from start to end (or to now, while running).
    public var duration: Double? {
        guard let startedAt else { return nil }
        return (endedAt ?? Date()).timeIntervalSince(startedAt)
    }

    /// The status: `running`, `crashed`, `completed`, `failed`, `interrupted` or `damaged`
    /// (``RunState/Kind``; its `description` is the name).
    public var status: RunState.Kind { state.kind }
}
