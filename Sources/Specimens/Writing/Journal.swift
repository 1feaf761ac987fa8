#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import Parallel

/// A run's journal: an append-only hidden file of checksummed frames, made durable by
/// `fsync` at every flush, from which a crashed run is sealed.
///
/// ```
/// frame:   u32 LE payload length | u32 LE crc32(payload) | payload
/// payload: MessagePack records, back to back (``JournalRecord``)
/// ```
///
/// A reader stops at the first frame that is short or fails its checksum: that is where the
/// writer was killed. Frames after it are never trusted.
/// `@unchecked Sendable`: the file is only written while holding `writeLock`.
final class Journal: @unchecked Sendable {
    /// Frames larger than this are treated as corrupt by readers.
    static let maximumFrame = 1 << 30

    /// The journal file's path.
    var path: String { file.path }
    private let file: any AppendFile
    /// Serializes flushes (the flusher thread and the owner).
    let writeLock = Lock()

    /// Creates the journal file in `storage`; it must not exist.
    init(path: String, storage: any StorageBackend = LocalStorage.shared) throws {
        file = try storage.openAppend(path)
    }

    /// Writes `payload` as one frame (its 8-byte header, then the payload as it is: no copy)
    /// and syncs it when `sync` is set. The caller holds `writeLock`. A reader that meets the
    /// header before the payload sees a short frame, as it would a write in progress.
    func writeFrame(_ payload: UnsafeRawBufferPointer, sync: Bool) throws {
        guard payload.count > 0 else { return }
        let header = UInt64(UInt32(payload.count)) | UInt64(Journal.crc(payload)) << 32
        try withUnsafeBytes(of: header.littleEndian) { try file.append($0) }
        try file.append(payload)
        if sync { try file.sync() }
    }

    /// Makes what was written durable now, even when nothing was (in object storage, an
    /// empty chunk: the writer's heartbeat). The caller holds `writeLock`.
    func syncFile() throws {
        try file.sync()
    }

    /// Closes the file.
    func closeFile() {
        file.close()
    }

    /// A local file with the journal's bytes once it is closed, when the journal itself is
    /// not on the local disk (``AppendFile/localCopy``).
    var localCopy: String? { file.localCopy }

    /// Removes ``localCopy``.
    func removeLocalCopy() { file.removeLocalCopy() }

    /// Whether a written frame only waits in memory until the next sync (object storage).
    var holdsFramesUntilSync: Bool { file.holdsAppendsUntilSync }

    static func crc(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        var value: UInt = 0
        var offset = 0
        while offset < bytes.count {
            let chunk = Swift.min(bytes.count - offset, Int(UInt32.max >> 1))
            value = CZlib.crc32(value, base.assumingMemoryBound(to: UInt8.self) + offset, UInt32(chunk))
            offset += chunk
        }
        return UInt32(truncatingIfNeeded: value)
    }
}
