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
}
