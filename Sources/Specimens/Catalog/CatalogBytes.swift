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

/// One run's catalog entry: its run key, where its encoded `CatalogEntry` lies in shared
/// bytes, and where four of its fields start, so a query reaches a param, a metric or a later
/// field without skipping the fields before it.
struct CatalogRecord: Sendable {
    var key: UInt64
    var storage: CatalogBytes
    var start: Int
    var end: Int
    /// Offsets from `start` of the entry's params, metrics, started and tags (`CatalogEntry`
    /// positions 2, 3, 4 and 11); all 0 when the entry is not a well-formed `CatalogEntry`.
    var fields: Fields

    /// Offsets of fields in an entry (see `CatalogRecord.fields`).
    struct Fields: Equatable {
        var params: UInt32 = 0, metrics: UInt32 = 0, started: UInt32 = 0, tags: UInt32 = 0
        /// Whether the offsets are known (and so strictly increasing, and inside the entry).
        var isKnown: Bool { params != 0 }
    }

    /// A record for a freshly made entry.
    init(key: UInt64, entry: MessagePackValue) {
        let bytes = entry.encoded()
        self.init(key: key, storage: CatalogBytes(bytes), start: 0, end: bytes.count)
    }

    /// A record for the entry in `storage[start ..< end]`, its field offsets found by scanning it.
    init(key: UInt64, storage: CatalogBytes, start: Int, end: Int) {
        self.init(key: key, storage: storage, start: start, end: end,
                  fields: Self.scanFields(UnsafeRawBufferPointer(rebasing: storage.buffer[start ..< end])))
    }

    init(key: UInt64, storage: CatalogBytes, start: Int, end: Int, fields: Fields) {
        self.key = key
        self.storage = storage
        self.start = start
        self.end = end
        self.fields = fields
    }

    /// The offsets of the fields in an encoded entry, or unknown (zeros) when it is not a
    /// well-formed `CatalogEntry` array.
    static func scanFields(_ bytes: UnsafeRawBufferPointer) -> Fields {
        let entry = MessagePackScanner(bytes)
        guard entry.arrayCount(0) == CatalogEntry.width, var next = entry.header(0)?.start else { return Fields() }
        var fields = Fields()
        for index in 0 ..< CatalogEntry.width {
            guard next <= Int(UInt32.max) else { return Fields() }
            switch index {
            case CatalogEntry.params: fields.params = UInt32(next)
            case CatalogEntry.metrics: fields.metrics = UInt32(next)
            case CatalogEntry.started: fields.started = UInt32(next)
            case CatalogEntry.tags: fields.tags = UInt32(next)
            default: break
            }
            guard let after = entry.skip(next) else { return Fields() }
            next = after
        }
        return next == bytes.count ? fields : Fields()
    }

    /// The entry's length in bytes.
    var count: Int { end - start }

    /// Calls `body` with the entry's bytes.
    @inline(__always)
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(rebasing: storage.buffer[start ..< end]))
    }

    /// Where top-level field `index` of the entry starts in `entry` (a scanner over its bytes),
    /// or nil when the entry is not a `CatalogEntry` or the field is nil (the run lacks it).
    @inline(__always)
    func field(_ index: Int, in entry: MessagePackScanner) -> Int? {
        let at: Int?
        if fields.isKnown {
            switch index {
            case CatalogEntry.params: at = Int(fields.params)
            case CatalogEntry.metrics: at = Int(fields.metrics)
            case CatalogEntry.started: at = Int(fields.started)
            case CatalogEntry.tags: at = Int(fields.tags)
            case CatalogEntry.started + 1 ..< CatalogEntry.tags:
                var next: Int? = Int(fields.started)
                for _ in CatalogEntry.started ..< index { next = next.flatMap { entry.skip($0) } }
                at = next
            case CatalogEntry.notes: at = entry.skip(Int(fields.tags))
            default: at = entry.element(index, ofArrayAt: 0)
            }
        } else {
            guard entry.arrayCount(0) == CatalogEntry.width else { return nil }
            at = entry.element(index, ofArrayAt: 0)
        }
        guard let at, !entry.isNil(at) else { return nil }
        return at
    }

    /// The entry decoded (for the few runs a query selects), or nil when it is not an entry.
    var decoded: MessagePackArray? {
        withBytes { raw in (try? MessagePackValue(decoding: Array(raw)))?.arrayValue }.flatMap { $0.count == CatalogEntry.width ? $0 : nil }
    }
}
