/// How a sealed run ended, as its manifest's `status` says.
public enum RunStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The protocol finished normally.
    case completed
    /// The protocol threw or exited with a non-zero status.
    case failed
    /// SIGINT or SIGTERM stopped it; it was sealed with what it had.
    case interrupted
    /// Its writer died; recovery sealed it from the journal.
    case crashed

    /// The manifest's text.
    public var description: String { rawValue }
}
