/// How a protocol run launched by ``ProtocolLauncher`` ended.
public struct ProtocolOutcome: Sendable {
    /// The new run's ID.
    public var runID: RunID
    /// The status the run was sealed with.
    public var status: RunStatus
    /// The exit status to pass on: the protocol's exit code, or 128 + the signal that ended it.
    public var exitStatus: Int32
    /// The argv that was run.
    public var arguments: [String]
}
