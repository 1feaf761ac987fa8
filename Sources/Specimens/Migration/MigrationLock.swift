#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.migrate.lock` in the specimen folder, holding the owner's pid: one migration of a
/// specimen at a time. A lock whose process is gone (killed mid-migration) is taken over.
struct MigrationLock {
    let path: String

    init(_ path: String) throws {
        self.path = path
        for _ in 0 ..< 3 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = Array(String(getpid()).utf8)
                _ = try? text.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw SpecimenError.system("create", path, errno: errno) }
            let holder = (try? FileIO.readFile(path, limit: 64)).flatMap { Int32(String(decoding: $0, as: UTF8.self)) }
            if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM {
                throw SpecimenError(.alreadyExists, "\(path) says pid \(holder) is migrating this specimen", path: path,
                                    recovery: "Wait for it to finish; if no such migration runs, remove \(path)")
            }
            unlink(path)   // its process is gone
        }
        throw SpecimenError(.alreadyExists, "cannot take \(path)", path: path, recovery: "Remove it if no migration is running")
    }

    func release() { unlink(path) }

    /// Removes a lock left by a migration that was killed after its last step (its process is gone).
    static func removeIfStale(_ path: String) {
        guard let bytes = try? FileIO.readFile(path, limit: 64) else { return }
        let holder = Int32(String(decoding: bytes, as: UTF8.self))
        if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM { return }
        unlink(path)
    }
}
