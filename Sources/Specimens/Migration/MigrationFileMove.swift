/// Where one legacy file goes in a migration.
public struct MigrationFileMove: Sendable, Hashable {
    /// What happens to the file.
    public enum Action: String, Sendable {
        /// Rewritten into the run's `metrics.parquet` with a `run_id` column in front.
        case rewritten
        /// Its keys go into the run's `manifest.msgpack`.
        case manifest
        /// Moved into the run unchanged.
        case moved
        /// Its keys go into the run's manifest, and it becomes the `specimen/1` specimen manifest.
        case specimenManifest = "specimen-manifest"
        /// Stays at the specimen root (protocols, field notes).
        case kept
    }

    /// The file's path relative to the specimen folder before migration.
    public let source: String
    /// Its path relative to the specimen folder afterwards.
    public let destination: String
    /// What happens to it.
    public let action: Action

    /// Creates a move.
    public init(source: String, destination: String, action: Action) {
        self.source = source
        self.destination = destination
        self.action = action
    }
}
