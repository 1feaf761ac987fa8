#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the writer's bytes go: a file (buffered, written with `write(2)`) or memory.
package final class OutputFile {
    private enum Target {
        case descriptor(Int32, ownsDescriptor: Bool)
        case memory
    }

    private let target: Target
    private let path: String
    private var buffer: [UInt8] = []
    /// Bytes written so far, including those still buffered.
    package private(set) var position = 0
    private let flushThreshold = 1 << 20

    /// Writes to a new file at `path`; with `exclusive`, fails when the file already exists,
    /// otherwise replaces it.
    ///
    /// An existing regular file of this user's with one name is replaced, not truncated: it is
    /// unlinked and created afresh, with its permission bits. Truncating a file the kernel is
    /// still writing back waits for that I/O, and ext4 then flushes the whole new file at
    /// `close` (its guard for files rewritten through truncation): rewriting the benchmark's
    /// 73 MB file took 13–33 ms in `open` and 20–25 ms in `close` of ~69 ms. Replaced, the old
    /// pages are dropped unwritten, and a reader holding the old file keeps reading it whole. A
    /// symbolic link, a file with other links or another owner is truncated in place, so that
    /// it stays where its names point and keeps its owner.
    package init(path: String, exclusive: Bool) throws {
        var fd: Int32 = -1
        if !exclusive, let mode = Self.unlinkReplaceable(path) {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if fd >= 0 { _ = fchmod(fd, mode) }   // exactly the old bits, whatever the umask
        }
        if fd < 0 { fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0o644) }
        guard fd >= 0 else { throw ParquetError.system("cannot create the file", path: path) }
        target = .descriptor(fd, ownsDescriptor: true)
        self.path = path
        buffer.reserveCapacity(flushThreshold * 2)
    }

    /// Unlinks `path` when it is a regular file of this user's with one name, returning its
    /// permission bits; nil (nothing done) otherwise.
    private static func unlinkReplaceable(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1, info.st_uid == geteuid(),
              unlink(path) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Writes to an open file descriptor, which the caller keeps and closes.
    package init(fileDescriptor: Int32, path: String) {
        target = .descriptor(fileDescriptor, ownsDescriptor: false)
        self.path = path
        buffer.reserveCapacity(flushThreshold * 2)
    }

    /// Collects the bytes in memory (`bytes` returns them).
    package init() {
        target = .memory
        path = "<memory>"
    }

    /// Everything written, for an in-memory output.
    package var bytes: [UInt8] { buffer }

    /// Appends bytes.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        position += bytes.count
        if case .descriptor(let fd, _) = target, bytes.count >= flushThreshold {
            try flush()
            try Self.writeAll(fd, bytes, path: path)
            return
        }
        buffer.append(contentsOf: bytes)
        if case .descriptor = target, buffer.count >= flushThreshold { try flush() }
    }

    private static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError.system("cannot write", path: path)
            }
            offset += n
        }
    }

    /// Appends `buffers` in order: small ones through the buffer, and when they add up to
    /// `flushThreshold` or more, with `writev(2)` straight from where they are.
    package func write(vectored buffers: [UnsafeRawBufferPointer]) throws {
        let total = buffers.reduce(0) { $0 + $1.count }
        guard case .descriptor(let fd, _) = target, total >= flushThreshold else {
            for buffer in buffers { try write(buffer) }
            return
        }
        try flush()
        position += total
        var index = 0
        var vectors: [iovec] = []
        vectors.reserveCapacity(min(buffers.count, Self.vectorLimit))
        while index < buffers.count {
            vectors.removeAll(keepingCapacity: true)
            var batch = 0
            while index < buffers.count && vectors.count < Self.vectorLimit {
                let buffer = buffers[index]
                index += 1
                guard let base = buffer.baseAddress, buffer.count > 0 else { continue }
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: buffer.count))
                batch += buffer.count
            }
            guard !vectors.isEmpty else { continue }
            var written = 0
            while true {
                let n = vectors.withUnsafeBufferPointer { writev(fd, $0.baseAddress, Int32($0.count)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError.system("cannot write", path: path)
                }
                written = n
                break
            }
            // A short write: the rest of the batch, buffer by buffer.
            if written < batch {
                var skip = written
                for vector in vectors {
                    if skip >= vector.iov_len {
                        skip -= vector.iov_len
                        continue
                    }
                    let rest = UnsafeRawBufferPointer(start: vector.iov_base! + skip, count: vector.iov_len - skip)
                    skip = 0
                    try Self.writeAll(fd, rest, path: path)
                }
            }
        }
    }

    /// The most buffers one `writev(2)` takes (POSIX's `IOV_MAX` on Linux and macOS).
    private static let vectorLimit = 1024

    /// Appends bytes.
    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Hands buffered bytes to the operating system.
    package func flush() throws {
        guard case .descriptor(let fd, _) = target, !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try Self.writeAll(fd, $0, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, optionally `fsync`s, and closes a file this object opened.
    package func close(sync: Bool) throws {
        try flush()
        guard case .descriptor(let fd, let owns) = target else { return }
        if sync, fsync(fd) != 0 { throw ParquetError.system("cannot sync", path: path) }
        if owns, Glibc.close(fd) != 0 { throw ParquetError.system("cannot close", path: path) }
    }
}

extension ParquetError {
    /// An `io` error carrying the current `errno`'s text.
    package static func system(_ what: String, path: String) -> ParquetError {
        let code = errno
        let reason = String(cString: strerror(code))
        return ParquetError(.io, "\(what): \(reason) (errno \(code))", location: Location(file: path))
    }
}
