/// How a ``SpecimenTransfer`` copies runs.
public struct TransferOptions: Sendable {
    /// Only look: report what would be copied, skipped or clash, and write nothing.
    /// Default: false.
    public var dryRun = false

    /// Read every copied file back from the destination and check its SHA-256 against the run
    /// manifest (the bytes read from the source are always checked before they are written).
    /// Default: true.
    public var verifyDestination = true

    /// The largest file read whole, in memory, to be copied: only between two stores neither of
    /// which is the local disk (a push's files, from the local disk, and a pull's, to it, are
    /// streamed and not limited). Default: 4 GiB.
    public var maximumFileSize = 4 << 30

    /// Called as work proceeds (from the calling thread), for progress lines.
    public var progress: (@Sendable (TransferProgress) -> Void)?

    /// The defaults.
    public init() {}
}
