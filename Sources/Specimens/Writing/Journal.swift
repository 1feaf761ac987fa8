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
final class Journal: @unchecked Sendable {
    /// Frames larger than this are treated as corrupt by readers.
    static let maximumFrame = 1 << 30

    let path: String
    private var fd: Int32
    private var frame: [UInt8] = []
    /// Serializes flushes (the flusher thread and the owner).
    let writeLock = Lock()

    /// Creates the journal file; it must not exist.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpecimenError.system("create the journal", path, errno: errno) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Writes `payload` as one frame (under `writeLock`) and syncs it when `sync` is set.
    /// The caller holds `writeLock`.
    func writeFrame(_ payload: UnsafeRawBufferPointer, sync: Bool) throws {
        guard fd >= 0 else { throw SpecimenError(.runSealed, "the journal \(path) is closed", path: path) }
        guard payload.count > 0 else { return }
        frame.removeAll(keepingCapacity: true)
        frame.reserveCapacity(8 + payload.count)
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { frame.append(contentsOf: $0) }
        withUnsafeBytes(of: Journal.crc(payload).littleEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: payload)
        try frame.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
        if sync {
            #if os(Linux)
            if fdatasync(fd) != 0 { throw SpecimenError.system("sync the journal", path, errno: errno) }
            #else
            if fsync(fd) != 0 { throw SpecimenError.system("sync the journal", path, errno: errno) }
            #endif
        }
    }

    /// Closes the file.
    func closeFile() {
        if fd >= 0 { close(fd); fd = -1 }
    }

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
