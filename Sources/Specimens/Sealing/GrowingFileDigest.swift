#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// The SHA-256 of a file that is being written, taken as it grows: ``catchUp(to:)`` hashes the
/// bytes from where it stopped up to a given size, read back with `pread(2)` while they are
/// still in the page cache, so that sealing a long run never reads its `metrics.parquet` again
/// once it is written.
///
/// The file is only ever appended to, so bytes below an offset the writer has passed are
/// final and may be hashed on another thread while the writer goes on.
struct GrowingFileDigest {
    /// The open file (the caller owns the descriptor).
    let fileDescriptor: Int32
    /// Its path, for errors.
    let path: String
    /// Bytes hashed so far.
    private(set) var size = 0
    private var hasher = SHA256()
    private static let chunk = 1 << 20

    init(fileDescriptor: Int32, path: String) {
        self.fileDescriptor = fileDescriptor
        self.path = path
    }

    /// Hashes the file's bytes from ``size`` up to `end`, which the writer has passed.
    mutating func catchUp(to end: Int) throws {
        guard end > size else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunk, alignment: 64)
        defer { buffer.deallocate() }
        while size < end {
            let n = pread(fileDescriptor, buffer.baseAddress!, Swift.min(Self.chunk, end - size), off_t(size))
            if n < 0 {
                if errno == EINTR { continue }
                throw SpecimenError.system("read", path, errno: errno)
            }
            guard n > 0 else {
                throw SpecimenError(.fileSystem, "\(path) ended at \(size) bytes while it was being written (\(end) expected)", path: path,
                                   recovery: "Another process changed the file; seal the run again")
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0 ..< n]))
            size += n
        }
    }

    /// The lowercase hexadecimal SHA-256 of the bytes hashed so far.
    func finish() -> String {
        FileDigest.hex(hasher.finalize())
    }
}
