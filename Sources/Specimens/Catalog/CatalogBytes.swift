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
    /// The length of the anonymous mapping holding `buffer`, or 0 when it was allocated.
    private let mappedLength: Int

    /// A copy of `bytes`.
    init(_ bytes: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        buffer = UnsafeRawBufferPointer(rebasing: memory[0 ..< bytes.count])
        mappedLength = 0
    }

    /// Memory for `size` bytes: from `allocate`, or for a few megabytes and more an anonymous
    /// mapping asked to use huge pages (a 30 MB segment read into 4 KB pages costs thousands of
    /// page faults). Returns the memory and the mapping's length (0 when allocated).
    private static func memory(_ size: Int) -> (UnsafeMutableRawBufferPointer, Int) {
        #if os(Linux)
        if size >= 4 << 20 {
            let huge = 2 << 20
            let length = (size + huge - 1) / huge * huge
            if let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED {
                _ = madvise(base, length, 14)   // MADV_HUGEPAGE; only advice, so its failure is harmless
                return (UnsafeMutableRawBufferPointer(start: base, count: length), length)
            }
        }
        #endif
        return (UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, size), alignment: 8), 0)
    }

    /// The whole file at `path`, read with one `read` into memory that is not zeroed first
    /// (a segment of 100,000 runs is tens of megabytes). Throws `SpecimenError`.
    init(contentsOf path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SpecimenError.system("stat", path, errno: errno) }
        let size = max(0, Int(info.st_size))
        let (memory, mappedLength) = Self.memory(size)
        func release() {
            if mappedLength > 0 { munmap(memory.baseAddress, mappedLength) } else { memory.deallocate() }
        }
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
        self.mappedLength = mappedLength
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
