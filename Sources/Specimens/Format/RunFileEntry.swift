import MessagePack

/// One entry of a run manifest's `files` map: a file with its size and SHA-256, or a symbolic
/// link with its target (links are listed, never followed).
public struct RunFileEntry: Sendable, Hashable {
    /// The path relative to the run folder.
    public var path: String
    /// The file's size in bytes; nil for a link or an entry without one.
    public var size: Int?
    /// The SHA-256 of the file's bytes, lowercase hex; nil for a link.
    public var sha256: String?
    /// The link's target, for a symbolic link.
    public var symlinkTarget: String?

    /// Creates an entry.
    public init(path: String, size: Int? = nil, sha256: String? = nil, symlinkTarget: String? = nil) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.symlinkTarget = symlinkTarget
    }

    /// Reads the entry for `path` from its manifest value.
    init(path: String, value: MessagePackValue) {
        self.init(path: path, size: value[RunManifest.FileKey.size]?.intValue.map { Int($0) },
                  sha256: value[RunManifest.FileKey.sha256]?.stringValue,
                  symlinkTarget: value[RunManifest.FileKey.symlink]?.stringValue)
    }
}
