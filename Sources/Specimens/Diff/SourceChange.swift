/// One source file that differs between two runs' snapshots.
public struct SourceChange: Sendable, Equatable {
    /// How the file changed.
    public enum Kind: String, Sendable {
        /// Only the later run has it.
        case added
        /// Only the base run has it.
        case removed
        /// Both have it, with different contents.
        case modified
    }

    /// The file, relative to the runs' `source/` folders.
    public var path: String
    /// How it changed.
    public var kind: Kind
    /// The unified diff (`--- a/… +++ b/…`), or nil for a binary file.
    public var diff: String?
}
