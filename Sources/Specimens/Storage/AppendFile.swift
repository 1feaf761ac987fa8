/// A file that is only ever appended to (a run's journal), opened by
/// ``StorageBackend/openAppend(_:)``.
public protocol AppendFile: AnyObject, Sendable {
    /// The file's path.
    var path: String { get }
    /// Appends all of `bytes` (one call: a frame is never interleaved with another's).
    func append(_ bytes: UnsafeRawBufferPointer) throws
    /// Makes what was appended durable.
    func sync() throws
    /// Closes the file; later appends throw.
    func close()
    /// A file on the local disk that holds, once this file is closed, every byte appended to
    /// it, for reading them back without going through the storage; nil when there is none
    /// (the file itself is local). Object storage keeps one so that a long run's rows can
    /// leave memory and be streamed back from the local disk at sealing. Whoever reads it
    /// removes it (``removeLocalCopy()``).
    var localCopy: String? { get }
    /// Removes ``localCopy``.
    func removeLocalCopy()
    /// Whether appended bytes only wait in memory until the next ``sync()`` (object storage:
    /// they are uploaded then), rather than reaching the file, and its readers, at once. A
    /// writer then gains nothing by appending early and leaves it to whoever syncs.
    var holdsAppendsUntilSync: Bool { get }
}

extension AppendFile {
    /// No local copy: the file itself is local.
    public var localCopy: String? { nil }
    /// Nothing to remove.
    public func removeLocalCopy() {}
    /// Appends reach the file at once.
    public var holdsAppendsUntilSync: Bool { false }
}
