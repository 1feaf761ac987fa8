#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack

/// The bytes of a catalog segment (or of one freshly made entry), shared by the records that
/// point into it. Never changed after it is made.
final class CatalogBytes: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    /// The length of the file mapping holding `buffer`, or 0 when it was allocated.
    private let mappedLength: Int

    /// A copy of `bytes`.
    init(_ bytes: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        buffer = UnsafeRawBufferPointer(rebasing: memory[0 ..< bytes.count])
        mappedLength = 0
    }

    /// The whole file at `path` (a segment of 100,000 runs is tens of megabytes). Throws
    /// `SpecimenError`.
    ///
    /// A file of a page (4 KB) or more is mapped read-only, so its bytes are the page cache's: reading
    /// it into memory of our own cost more than everything else a warm query does (the kernel
    /// zeroes every new page, then copies the file into it). Segments are never written after
    /// they are created (made under a temporary name, renamed into place, later unlinked, and
    /// an unlinked file stays mapped), so the mapping only sees the bytes the checksum checks.
    /// The one hazard left is a process truncating a segment in place while it is mapped, which
    /// nothing in Specimen does. Smaller files (a few runs) are read.
    init(contentsOf path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SpecimenError.system("stat", path, errno: errno) }
        let size = max(0, Int(info.st_size))
        #if os(Linux)
        let populate = MAP_POPULATE
        #else
        let populate: Int32 = 0
        #endif
        if size >= 4096, let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | populate, fd, 0), base != MAP_FAILED {
            buffer = UnsafeRawBufferPointer(start: base, count: size)
            mappedLength = size
            return
        }
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, size), alignment: 8)
        func release() { memory.deallocate() }
        var total = 0
        while total < size, let base = memory.baseAddress {
            let n = read(fd, base + total, size - total)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let code = errno
                if n == 0 { break }
                release()
                throw SpecimenError.system("read", path, errno: code)
            }
            total += n
        }
        guard total == size else {
            release()
            throw SpecimenError(.damaged, "\(path) shrank while being read", path: path)
        }
        buffer = UnsafeRawBufferPointer(rebasing: memory[0 ..< size])
        mappedLength = 0
    }

    deinit {
        if mappedLength > 0 {
            munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), mappedLength)
        } else {
            UnsafeMutableRawBufferPointer(mutating: buffer).deallocate()
        }
    }
}

/// One run's catalog entry: its run key and where its encoded `CatalogEntry` lies in shared
/// bytes.
struct CatalogRecord: Sendable {
    var key: UInt64
    var storage: CatalogBytes
    var start: Int
    var end: Int

    /// A record for a freshly made entry.
    init(key: UInt64, entry: MessagePackValue) {
        let bytes = entry.encoded()
        self.init(key: key, storage: CatalogBytes(bytes), start: 0, end: bytes.count)
    }

    init(key: UInt64, storage: CatalogBytes, start: Int, end: Int) {
        self.key = key
        self.storage = storage
        self.start = start
        self.end = end
    }

    /// The entry's length in bytes.
    var count: Int { end - start }

    /// Calls `body` with the entry's bytes.
    @inline(__always)
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(rebasing: storage.buffer[start ..< end]))
    }

    /// The entry decoded (for the few runs a query selects), or nil when it is not an entry.
    var decoded: MessagePackArray? {
        withBytes { raw in (try? MessagePackValue(decoding: Array(raw)))?.arrayValue }.flatMap { $0.count == CatalogEntry.width ? $0 : nil }
    }
}
