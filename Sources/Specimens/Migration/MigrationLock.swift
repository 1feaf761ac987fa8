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
            if try LocalStorage.shared.createExclusively(path, Array(String(getpid()).utf8)) { return }
            let holder = (try? LocalStorage.shared.read(path, limit: 64)).flatMap { Int32(String(decoding: $0, as: UTF8.self)) }
            if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM {
                throw SpecimenError(.alreadyExists, "\(path) says pid \(holder) is migrating this specimen", path: path,
                                    recovery: "Wait for it to finish; if no such migration runs, remove \(path)")
            }
            LocalStorage.shared.remove(path)   // its process is gone
        }
        throw SpecimenError(.alreadyExists, "cannot take \(path)", path: path, recovery: "Remove it if no migration is running")
    }

    func release() { LocalStorage.shared.remove(path) }

    /// Removes a lock left by a migration that was killed after its last step (its process is gone).
    static func removeIfStale(_ path: String) {
        guard let bytes = try? LocalStorage.shared.read(path, limit: 64) else { return }
        let holder = Int32(String(decoding: bytes, as: UTF8.self))
        if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM { return }
        LocalStorage.shared.remove(path)
    }
}
