#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates files so that readers never see half of one and nothing existing is replaced.
///
/// ```
/// <folder>/.tmp-<name>-<random>   open O_EXCL, write, fsync, close
///          │ renameat2(RENAME_NOREPLACE)   (or link + unlink where that is missing)
///          ▼
/// <folder>/<name>                 then fsync <folder>
/// ```
enum AtomicFile {
    /// Creates `path` holding `bytes`; throws `.alreadyExists` when something is there.
    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        try bytes.withUnsafeBytes { try create(path, $0, mode: mode) }
    }

    /// Creates `path` holding `bytes`; throws `.alreadyExists` when something is there.
    static func create(_ path: String, _ bytes: UnsafeRawBufferPointer, mode: mode_t = 0o644) throws {
        let (folder, name) = split(path)
        let temporary = folder + "/.tmp-" + name + "-" + FileIO.randomSuffix()
        try writeTemporary(temporary, bytes, mode: mode)
        do {
            try moveWithoutReplacing(temporary, path)
        } catch {
            unlink(temporary)
            throw error
        }
        FileIO.syncFolder(folder)
    }

    /// Replaces `path` atomically (for hidden, ephemeral files such as the marker only):
    /// temporary + rename; `sync` decides whether the data is fsynced first.
    static func replace(_ path: String, _ bytes: [UInt8], sync: Bool) throws {
        let (folder, name) = split(path)
        let temporary = folder + "/.tmp-" + name + "-" + FileIO.randomSuffix()
        try bytes.withUnsafeBytes { try writeTemporary(temporary, $0, mode: 0o644, sync: sync) }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SpecimenError.system("rename \(temporary) to", path, errno: code)
        }
    }

    private static func writeTemporary(_ temporary: String, _ bytes: UnsafeRawBufferPointer, mode: mode_t, sync: Bool = true) throws {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SpecimenError.system("create", temporary, errno: errno) }
        do {
            try FileIO.writeAll(fd, bytes, path: temporary)
            if sync, fsync(fd) != 0 { throw SpecimenError.system("fsync", temporary, errno: errno) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    /// Moves `source` to `target` unless `target` exists.
    static func moveWithoutReplacing(_ source: String, _ target: String) throws {
        #if os(Linux)
        if let renameat2 = renameat2Function {
            if renameat2(AT_FDCWD, source, AT_FDCWD, target, 1 /* RENAME_NOREPLACE */) == 0 { return }
            let code = errno
            if code == EEXIST { throw exists(target) }
            if code != EINVAL && code != ENOSYS && code != ENOTSUP {
                throw SpecimenError.system("move \(source) to", target, errno: code)
            }
        }
        #endif
        // Fallback: a hard link fails when the target exists; then drop the temporary name.
        if link(source, target) != 0 {
            let code = errno
            if code == EEXIST { throw exists(target) }
            throw SpecimenError.system("link \(source) to", target, errno: code)
        }
        unlink(source)
    }

    private static func exists(_ target: String) -> SpecimenError {
        SpecimenError(.alreadyExists, "\(target) already exists; it was not replaced", path: target,
                      recovery: "Runs are immutable: start a new run instead of rewriting this one")
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    #if os(Linux)
    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2`, looked up at run time (Swift cannot call the variadic `syscall`).
    private static let renameat2Function: Renameat2? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Renameat2.self)
    }()
    #endif
}
