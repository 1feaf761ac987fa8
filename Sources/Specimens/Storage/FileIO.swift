#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers for whole-file reads, writes and folder operations, each throwing a
/// `SpecimenError` that names the path.
enum FileIO {
    /// Reads a whole file.
    static func readFile(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SpecimenError.system("stat", path, errno: errno) }
        let expected = Int(info.st_size)
        guard expected <= limit else {
            throw SpecimenError(.damaged, "\(path) is \(expected) bytes, more than the \(limit) expected", path: path)
        }
        var bytes = [UInt8](repeating: 0, count: Swift.max(expected, 0))
        var total = 0
        while true {
            if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: Swift.max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpecimenError.system("read", path, errno: errno)
            }
            if n == 0 { break }
            total += n
            guard total <= limit else { throw SpecimenError(.damaged, "\(path) grew past \(limit) bytes while being read", path: path) }
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpecimenError.system("write", path, errno: errno)
            }
            offset += n
        }
    }

    /// fsyncs a folder so that entries created in it are durable.
    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Creates a folder; returns false when it already exists (as a folder); throws when a
    /// file stands there or the file system refuses.
    @discardableResult
    static func makeFolder(_ path: String, mode: mode_t = 0o755) throws -> Bool {
        if mkdir(path, mode) == 0 { return true }
        let code = errno
        if code == EEXIST {
            guard isFolder(path) else {
                throw SpecimenError(.notAFolder, "\(path) is a file, not a folder", path: path, recovery: "Move or rename that file, then try again")
            }
            return false
        }
        throw SpecimenError.system("create the folder", path, errno: code)
    }

    /// Whether `path` is a folder (following symbolic links).
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything exists at `path` (without following a final symbolic link).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The file's status, or nil.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// Modification time in seconds since 1970, or nil.
    static func modificationTime(_ path: String) -> Double? {
        guard let info = status(path) else { return nil }
        #if canImport(Darwin)
        return Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }

    /// The names in a folder, without `.` and `..`, unsorted; nil when it cannot be opened.
    static func names(in path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
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

    /// A random hexadecimal suffix for temporary names.
    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }

    /// `realpath`, or the path itself when it cannot be resolved.
    static func resolved(_ path: String) -> String {
        guard let pointer = realpath(path, nil) else { return path }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
