#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Parquet
import SystemPackage

/// The local file system as the store's ``StorageBackend``: files through swift-system
/// (`FilePath`, `FileDescriptor`, `Errno`), and the few calls it lacks (`mkdir`, `readdir`,
/// `renameat2`, `fsync`, `chmod`) on the C library. The only place the store touches files.
///
/// Creating a file never replaces one (DESIGN §1):
///
/// ```
/// 1. open(".tmp-<name>-<random>", O_CREAT | O_EXCL)   a name nobody else uses
/// 2. write everything, fsync                           durable before it is visible
/// 3. renameat2(…, RENAME_NOREPLACE)                    atomic; EEXIST: nothing replaced
///    (or link + unlink where renameat2 is missing)
/// 4. fsync the folder                                  the new name is durable
/// ```
public struct LocalStorage: StorageBackend {
    /// The local file system.
    public init() {}

    /// The one instance the store uses for local specimens (the default storage of
    /// ``Specimen``, ``SpecimenRoot`` and ``SpecimenStorage``).
    public static let shared = LocalStorage()

    public func list(_ folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    public func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = try open(path, .readOnly)
        return try closing(fd, path) {
            let expected = Int(try stat(fd, path).size)
            guard expected <= limit else {
                throw SpecimenError(.damaged, "\(path) is \(expected) bytes, more than the \(limit) expected", path: path)
            }
            var bytes = [UInt8](repeating: 0, count: Swift.max(expected, 0))
            var total = 0
            while true {
                if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: Swift.max(4096, bytes.count))) }
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try call("read", path) { try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...])) }
                }
                if n == 0 { break }
                total += n
                guard total <= limit else { throw SpecimenError(.damaged, "\(path) grew past \(limit) bytes while being read", path: path) }
            }
            bytes.removeSubrange(total...)
            return bytes
        }
    }

    /// Bytes read at a time by ``readPieces(_:limit:_:)``.
    static let pieceBytes = 16 << 20

    /// The file in pieces of ``pieceBytes``, read as they are handed over, so that a large file
    /// is never in memory whole.
    public func readPieces(_ path: String, limit: Int, _ body: ([UInt8]) throws -> Void) throws {
        let fd = try open(path, .readOnly)
        try closing(fd, path) {
            var total = 0
            var piece = [UInt8](repeating: 0, count: Self.pieceBytes)
            while true {
                let n = try piece.withUnsafeMutableBytes { buffer in try call("read", path) { try fd.read(into: buffer) } }
                if n == 0 { return }
                total += n
                guard total <= limit else { throw SpecimenError(.damaged, "\(path) is more than the \(limit) bytes expected", path: path) }
                try body(n == piece.count ? piece : Array(piece[0 ..< n]))
            }
        }
    }

    /// A copy of the local file made piece by piece (``readPieces(_:limit:_:)``) into a
    /// temporary file beside `path`, synced and moved into place: never whole in memory.
    public func createCopy(of localPath: String, at path: String) throws -> (size: Int, sha256: String) {
        try create(path, writing: { piece in try readPieces(localPath, limit: .max, piece) }, check: { _, _ in })
    }

    public func read(_ path: String, range: Range<Int>) throws -> [UInt8] {
        let fd = try open(path, .readOnly)
        return try closing(fd, path) {
            var bytes = [UInt8](repeating: 0, count: range.count)
            var total = 0
            while total < range.count {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try call("read", path) {
                        try fd.read(fromAbsoluteOffset: Int64(range.lowerBound + total), into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
                    }
                }
                if n == 0 { break }
                total += n
            }
            bytes.removeSubrange(total...)
            return bytes
        }
    }

    public func openInput(_ path: String) throws -> any RandomAccessInput {
        try LocalInput(path: path)
    }

    public func entry(_ path: String) -> StorageEntry? {
        guard let info = try? FilePath(path).stat(followTargetSymlink: false) else { return nil }
        let kind: StorageEntry.Kind
        switch info.type {
        case .regular: kind = .file
        case .directory: kind = .folder
        case .symbolicLink: kind = .symlink
        default: kind = .other
        }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return StorageEntry(kind: kind, size: Int(info.size), modified: modified,
                            device: UInt64(info.deviceID.rawValue), inode: UInt64(info.inode.rawValue),
                            permissions: Int(info.permissions.rawValue))
    }

    public func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @discardableResult
    public func createFolder(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        if code == EEXIST {
            guard isFolder(path) else {
                throw SpecimenError(.notAFolder, "\(path) is a file, not a folder", path: path, recovery: "Move or rename that file, then try again")
            }
            return false
        }
        throw SpecimenError.system("create the folder", path, errno: code)
    }

    public func claimFolder(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        guard code == EEXIST else { throw SpecimenError.system("create the folder", path, errno: code) }
        return false
    }

    public func create(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        let temporary = temporaryName(for: path)
        try writeTemporary(temporary, bytes, sync: true)
        try commit(temporary, to: path)
    }

    /// ``create(_:_:)`` of a file written piece by piece: `write` hands each piece to the
    /// closure it is given. `check` sees the size and SHA-256 of everything written before the
    /// file is synced and moved into place, and may throw to abandon it (the temporary file is
    /// removed). Returns the size and SHA-256.
    func create(_ path: String, writing write: (_ piece: ([UInt8]) throws -> Void) throws -> Void,
                check: (_ size: Int, _ sha256: String) throws -> Void) throws -> (size: Int, sha256: String) {
        let temporary = temporaryName(for: path)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                         permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch let error as Errno {
            throw SpecimenError.system("create", temporary, errno: error.rawValue)
        }
        let digest = RunningDigest()
        var result: (size: Int, sha256: String) = (0, "")
        do {
            try closing(fd, temporary) {
                try write { piece in
                    try call("write", temporary) { _ = try fd.writeAll(piece) }
                    piece.withUnsafeBytes { digest.update($0) }
                }
                result = digest.finalize()
                try check(result.size, result.sha256)
                if fsync(fd.rawValue) != 0 { throw SpecimenError.system("fsync", temporary, errno: errno) }
            }
        } catch {
            remove(temporary)
            throw error
        }
        try commit(temporary, to: path)
        return result
    }

    public func createExclusively(_ path: String, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch let error as Errno {
            if error == .fileExists { return false }
            throw SpecimenError.system("create", path, errno: error.rawValue)
        }
        try closing(fd, path) { try call("write", path) { _ = try fd.writeAll(bytes) } }
        return true
    }

    public func replace(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool) throws {
        let temporary = temporaryName(for: path)
        try writeTemporary(temporary, bytes, sync: sync)
        guard rename(temporary, path) == 0 else {
            let code = errno
            remove(temporary)
            throw SpecimenError.system("rename \(temporary) to", path, errno: code)
        }
    }

    public func openAppend(_ path: String) throws -> any AppendFile {
        do {
            let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .append, .closeOnExec],
                                             permissions: [.ownerReadWrite, .groupRead, .otherRead])
            return LocalAppendFile(path: path, descriptor: fd)
        } catch let error as Errno {
            if error == .fileExists {
                throw SpecimenError(.alreadyExists, "\(path) already exists; it was not replaced", path: path)
            }
            throw SpecimenError.system("create", path, errno: error.rawValue)
        }
    }

    public func makeReadOnly(_ path: String) {
        chmod(path, 0o444)
    }

    @discardableResult
    public func remove(_ path: String) -> Bool {
        unlink(path) == 0
    }

    public func syncFolder(_ path: String) {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec]) else { return }
        _ = fsync(fd.rawValue)
        try? fd.close()
    }

    // MARK: Local-only helpers

    /// `createFolder(_:)` with the given permission bits (e.g. `0o700` for a private scratch folder).
    @discardableResult
    func createFolder(_ path: String, permissions: Int) throws -> Bool {
        let created = try createFolder(path)
        if created { chmod(path, mode_t(permissions)) }
        return created
    }

    /// `create(_:_:)` of a file with the given permission bits (e.g. `0o755` for a script).
    func create(_ path: String, _ bytes: [UInt8], permissions: Int) throws {
        let temporary = temporaryName(for: path)
        try bytes.withUnsafeBytes { try writeTemporary(temporary, $0, sync: true, permissions: permissions) }
        try commit(temporary, to: path)
    }

    /// Moves a written temporary file into place without replacing anything, then makes the
    /// name durable; the temporary file is removed when the move fails.
    private func commit(_ temporary: String, to path: String) throws {
        do {
            try moveWithoutReplacing(temporary, path)
        } catch {
            remove(temporary)
            throw error
        }
        syncFolder(parentFolder(of: path))
    }

    /// Sets a file's permission bits (migration restores legacy files' modes on failure).
    func setPermissions(_ path: String, _ permissions: Int) {
        chmod(path, mode_t(permissions))
    }

    /// `realpath`, or the path itself when it cannot be resolved.
    func resolved(_ path: String) -> String {
        guard let pointer = realpath(path, nil) else { return path }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Moves `source` to `target` atomically without replacing anything: `renameat2` with
    /// `RENAME_NOREPLACE`, or a hard link and an unlink where that is missing. Throws
    /// `.alreadyExists` when `target` exists.
    func moveWithoutReplacing(_ source: String, _ target: String) throws {
        #if os(Linux)
        if let renameat2 = Self.renameat2Function {
            if renameat2(AT_FDCWD, source, AT_FDCWD, target, 1 /* RENAME_NOREPLACE */) == 0 { return }
            let code = errno
            if code == EEXIST { throw alreadyExists(target) }
            if code != EINVAL && code != ENOSYS && code != ENOTSUP {
                throw SpecimenError.system("move \(source) to", target, errno: code)
            }
        }
        #endif
        // Fallback: a hard link fails when the target exists; then drop the temporary name.
        if link(source, target) != 0 {
            let code = errno
            if code == EEXIST { throw alreadyExists(target) }
            throw SpecimenError.system("link \(source) to", target, errno: code)
        }
        unlink(source)
    }

    /// A fresh, hidden name beside `path` for its temporary file.
    private func temporaryName(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return parentFolder(of: path) + "/" + RunFolder.temporaryPrefix + name + "-" + Self.randomSuffix()
    }

    /// A random hexadecimal suffix for temporary names.
    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }

    private func writeTemporary(_ temporary: String, _ bytes: UnsafeRawBufferPointer, sync: Bool, permissions: Int = 0o644) throws {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                                         permissions: FilePermissions(rawValue: CInterop.Mode(permissions)))
        } catch let error as Errno {
            throw SpecimenError.system("create", temporary, errno: error.rawValue)
        }
        do {
            try closing(fd, temporary) {
                try call("write", temporary) { _ = try fd.writeAll(bytes) }
                if sync, fsync(fd.rawValue) != 0 { throw SpecimenError.system("fsync", temporary, errno: errno) }
            }
        } catch {
            remove(temporary)
            throw error
        }
    }

    private func alreadyExists(_ target: String) -> SpecimenError {
        SpecimenError(.alreadyExists, "\(target) already exists; it was not replaced", path: target,
                      recovery: "Runs are immutable: start a new run instead of rewriting this one")
    }

    private func open(_ path: String, _ mode: FileDescriptor.AccessMode) throws -> FileDescriptor {
        try call("open", path) { try FileDescriptor.open(FilePath(path), mode, options: [.closeOnExec]) }
    }

    private func stat(_ fd: FileDescriptor, _ path: String) throws -> Stat {
        try call("stat", path) { try fd.stat() }
    }

    /// Runs `body` and closes `fd` after it, whatever happens.
    private func closing<R>(_ fd: FileDescriptor, _ path: String, _ body: () throws -> R) throws -> R {
        defer { try? fd.close() }
        return try body()
    }

    /// Runs a swift-system call, turning its `Errno` into a `SpecimenError` that names `path`.
    private func call<R>(_ operation: String, _ path: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as Errno {
            throw SpecimenError.system(operation, path, errno: error.rawValue)
        }
    }

    #if os(Linux)
    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2Function: Renameat2? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Renameat2.self)
    }()
    #endif
}
