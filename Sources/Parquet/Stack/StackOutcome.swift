/// What one file gave a stacking worker: its result, or why it failed.
enum StackOutcome<Value: Sendable>: Sendable {
    /// The file was read.
    case read(Value)
    /// The file could not be read, or failed the check.
    case failed(any Error & Sendable)
}
