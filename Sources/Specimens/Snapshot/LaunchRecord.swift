/// What a protocol launch adds to a new run's snapshot: the argv it starts, the run whose
/// snapshot a rerun reuses, and the protocol file it chose.
struct LaunchRecord: Sendable {
    /// The protocol's argv, recorded as `source.command`.
    var command: [String]
    /// The protocol file discovery chose (relative to the specimen folder), if any.
    var protocolFile: String?
    /// For a rerun: the run being rerun; its `source/` becomes the new run's `source/`.
    var rerunOf: RunID?
    /// For a rerun: the folder of the run whose `source/` is reused (nil: `--current-protocol`).
    var snapshotRunFolder: String?
}
