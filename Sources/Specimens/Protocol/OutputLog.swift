#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parallel

/// The `output.log` of a run, which the threads copying a protocol's stdout and stderr append to.
///
/// Appends and ``close()`` take turns under one lock, and appends after the close are dropped:
/// a copying thread still running when `specimen run` stops waiting for it (a grandchild holds
/// the pipes open) can never write into a file descriptor that has since been reused.
final class OutputLog: @unchecked Sendable {
    private let lock = Lock()
    private var fd: Int32

    /// Creates the log file; it must not exist.
    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SpecimenError.system("create", path, errno: errno, recovery: "Check that the run folder is writable")
        }
    }

    deinit { close() }

    /// Appends `count` bytes from `start`, unless the log is closed.
    func append(_ start: UnsafeRawPointer, _ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { ChildProcess.writeAll(fd, start, count) }
    }

    /// Closes the file; later appends are dropped.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 {
            closeDescriptor(fd)
            fd = -1
        }
    }
}

/// The C library's `close`, which `OutputLog.close()` hides inside the class.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
