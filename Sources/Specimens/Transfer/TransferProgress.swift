/// Where a ``SpecimenTransfer`` stands, handed to ``TransferOptions/progress`` after each file.
public struct TransferProgress: Sendable, Equatable {
    /// The run being copied.
    public var run: RunID
    /// Its position among the sealed runs to look at, from 1.
    public var runIndex: Int
    /// How many sealed runs there are to look at.
    public var runCount: Int
    /// The file just copied (relative to the run folder).
    public var file: String
    /// Bytes copied so far, in every run.
    public var bytesCopied: Int

    /// Creates a progress report.
    public init(run: RunID, runIndex: Int, runCount: Int, file: String, bytesCopied: Int) {
        self.run = run
        self.runIndex = runIndex
        self.runCount = runCount
        self.file = file
        self.bytesCopied = bytesCopied
    }
}
