#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parallel
import SystemPackage

/// A local file opened with `O_APPEND` for a journal: each append is one `write` loop under a
/// lock, `sync` is `fdatasync` (`fsync` where that is missing).
///
/// `@unchecked Sendable`: the descriptor is only used, and replaced by nil on close, while
/// holding `lock` — except by `sync`, which syncs a duplicate of it without the lock, so that
/// appends go on while the disk catches up (a sync can take as long as the disk is busy).
final class LocalAppendFile: AppendFile, @unchecked Sendable {
    let path: String
    private var descriptor: FileDescriptor?
    private let lock = Lock()

    init(path: String, descriptor: FileDescriptor) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { try? descriptor?.close() }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try lock.withLock {
            guard let descriptor else { throw closed() }
            do {
                _ = try descriptor.writeAll(bytes)
            } catch let error as Errno {
                throw SpecimenError.system("append to", path, errno: error.rawValue)
            }
        }
    }

    func sync() throws {
        // A duplicate shares the open file (its writes and errors), and stays open whatever
        // `close` does meanwhile.
        let duplicate = try lock.withLock { () -> Int32 in
            guard let descriptor else { throw closed() }
            let duplicate = dup(descriptor.rawValue)
            guard duplicate >= 0 else { throw SpecimenError.system("sync", path, errno: errno) }
            return duplicate
        }
        defer { try? FileDescriptor(rawValue: duplicate).close() }
        #if os(Linux)
        if fdatasync(duplicate) != 0 { throw SpecimenError.system("sync", path, errno: errno) }
        #else
        if fsync(duplicate) != 0 { throw SpecimenError.system("sync", path, errno: errno) }
        #endif
    }

    func close() {
        lock.withLock {
            try? descriptor?.close()
            descriptor = nil
        }
    }

    private func closed() -> SpecimenError {
        SpecimenError(.runSealed, "\(path) is closed", path: path)
    }
}
