/// What stands at a path in storage: its kind, size and modification time, and (on local
/// disks) its device and inode, which tell hard links to one file apart from copies.
public struct StorageEntry: Sendable, Hashable {
    /// The kinds of entry the store tells apart.
    public enum Kind: Sendable, Hashable {
        /// A regular file (or an object).
        case file
        /// A folder (or a key prefix).
        case folder
        /// A symbolic link, described rather than followed.
        case symlink
        /// Anything else (a device, a socket, a pipe).
        case other
    }

    /// The entry's kind.
    public var kind: Kind
    /// Its size in bytes.
    public var size: Int
    /// Its modification time, in seconds since 1970.
    public var modified: Double
    /// The device it is on, on a local disk; nil where storage has no such thing.
    public var device: UInt64?
    /// Its inode, on a local disk; nil where storage has no such thing.
    public var inode: UInt64?
    /// Its permission bits (`0o7777`), on a local disk; nil where storage has no such thing.
    public var permissions: Int?

    /// Creates an entry.
    public init(kind: Kind, size: Int, modified: Double, device: UInt64? = nil, inode: UInt64? = nil, permissions: Int? = nil) {
        self.kind = kind
        self.size = size
        self.modified = modified
        self.device = device
        self.inode = inode
        self.permissions = permissions
    }
}
