#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `runs/` listing as a query last read it, with the folder's identity and change times at
/// that moment (`<specimen>/.catalog/runs.listing`), so a query skips reading a folder of
/// 100,000 entries (~30 ms of kernel time) when nothing was added to it or removed since.
///
/// ```
/// offset  size  field
/// 0       8     magic "SPCLIST1"
/// 8       8     checksum of bytes 16… (CatalogSegment.checksum), little-endian
/// 16      64    runs/ as stat saw it before the listing: device, inode, size, links,
///               mtime s, mtime ns, ctime s, ctime ns (each 8 bytes, little-endian)
/// 80      8     n: number of run folders
/// 88      8 × n their keys (RunID.key), strictly increasing
/// ```
///
/// Why the times are enough: adding, removing or renaming an entry of a folder sets the
/// folder's mtime and ctime to the current time, and nothing sets a ctime back (`touch -d`,
/// `rsync --times` and `utimes` set mtime, but stamp ctime with now). Changing a file inside a
/// run folder does not touch `runs/`, but a listing only names the folders: a run's state is
/// still read from its own files (sealed runs through the catalog, others live, every time).
///
/// Granularity (the "racily clean" problem): file times come from a clock that advances in
/// steps (a kernel tick, 1–10 ms, on Linux's local file systems; 1 s or 2 s on some others), so
/// two changes within one step can leave the same times. A listing read between them would
/// look current afterwards while missing the second change. So a listing is recorded only when
/// `runs/` was last changed at least `quietPeriod` (2 s, the coarsest step of a supported file
/// system) before the moment it was stat'ed: any later change then gets later times. A folder
/// changed more recently is listed again by every query until it has been quiet that long.
/// A wall clock stepped back by more than that between two changes could still hide one; so
/// could an unsupported file system, which is why this is used only on local ones (ext4, xfs,
/// btrfs, tmpfs, overlayfs, zfs, f2fs): network file systems cache attributes and stamp times
/// with another machine's clock.
///
/// Like the segments, the file is a cache: replaced atomically (temporary name, rename), a
/// damaged one ignored, reported and rewritten, a missing one read again from the folder.
struct RunListing {
    static let fileName = "runs.listing"
    static let magic: [UInt8] = Array("SPCLIST1".utf8)
    static let headerSize = 88
    /// How long `runs/` must have been unchanged before its listing is recorded, in nanoseconds.
    static let quietPeriod: Int64 = 2_000_000_000

    /// What `stat` says about a folder that changes when an entry is added, removed or renamed.
    struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: UInt64
        var links: UInt64
        var mtime: (seconds: Int64, nanoseconds: Int64)
        var ctime: (seconds: Int64, nanoseconds: Int64)

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.links == b.links
                && a.mtime == b.mtime && a.ctime == b.ctime
        }

        /// The later of mtime and ctime, in nanoseconds since 1970.
        var lastChange: Int64 {
            let m = mtime.seconds &* 1_000_000_000 &+ mtime.nanoseconds
            let c = ctime.seconds &* 1_000_000_000 &+ ctime.nanoseconds
            return max(m, c)
        }

        /// The stamp of the folder at `path` when it is a folder on a supported file system
        /// (see the type's notes); nil otherwise, or when it cannot be stat'ed.
        static func of(_ path: String) -> Stamp? {
            #if os(Linux)
            guard let type = RunListing.fileSystemType(path), RunListing.localFileSystems.contains(type) else { return nil }
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: UInt64(bitPattern: Int64(info.st_size)),
                         links: UInt64(info.st_nlink),
                         mtime: (Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec)),
                         ctime: (Int64(info.st_ctim.tv_sec), Int64(info.st_ctim.tv_nsec)))
            #else
            return nil
            #endif
        }
    }

    /// `statfs` magic numbers of the local file systems whose folder times follow the rule above.
    static let localFileSystems: Set<UInt64> = [
        0xEF53,        // ext2/3/4
        0x5846_5342,   // xfs
        0x9123_683E,   // btrfs
        0x0102_1994,   // tmpfs
        0x794C_7630,   // overlayfs
        0x2FC1_2FC1,   // zfs
        0xF2F5_2010,   // f2fs
    ]

    /// The `f_type` (magic number) `statfs` gives for the file system holding `path`, or nil.
    static func fileSystemType(_ path: String) -> UInt64? {
        #if os(Linux)
        // `struct statfs` begins with `f_type` (a long) on every Linux architecture; a buffer
        // larger than the struct (120 bytes on 64-bit) takes the rest.
        return withUnsafeTemporaryAllocation(byteCount: 512, alignment: 16) { buffer -> UInt64? in
            guard let base = buffer.baseAddress, linuxStatfs(path, base) == 0 else { return nil }
            return UInt64(truncatingIfNeeded: base.load(as: Int.self))
        }
        #else
        return nil
        #endif
    }

    /// The current wall-clock time in nanoseconds since 1970.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// Whether a listing of a folder with `stamp`, stat'ed at `statTime`, may be recorded: its
    /// last change is at least `quietPeriod` before, and not in the future.
    static func mayRecord(_ stamp: Stamp, statTime: Int64) -> Bool {
        let change = stamp.lastChange
        return change <= statTime && statTime - change >= quietPeriod
    }

    /// The recorded keys when the file in `folder` holds a listing of a folder whose stamp is
    /// `current`; `.failure` with the reason when the file is damaged; nil when there is no file
    /// or it is for another state of the folder (stale).
    static func read(_ folder: String, current: Stamp) -> Result<[UInt64], CatalogDamage>? {
        let path = folder + "/" + fileName
        guard let storage = try? CatalogBytes(contentsOf: path) else { return nil }
        let raw = storage.buffer
        guard raw.count >= headerSize, raw[0 ..< 8].elementsEqual(magic) else {
            return .failure(CatalogDamage("it does not start with the listing's magic bytes"))
        }
        func le(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let count = le(80)
        guard count <= UInt64((raw.count - headerSize) / 8), headerSize + 8 * Int(count) == raw.count else {
            return .failure(CatalogDamage("its length does not match its count of runs (truncated?)"))
        }
        guard CatalogSegment.checksum(UnsafeRawBufferPointer(rebasing: raw[16...])) == le(8) else {
            return .failure(CatalogDamage("its checksum does not match its contents (truncated or overwritten?)"))
        }
        let recorded = Stamp(device: le(16), inode: le(24), size: le(32), links: le(40),
                             mtime: (Int64(bitPattern: le(48)), Int64(bitPattern: le(56))),
                             ctime: (Int64(bitPattern: le(64)), Int64(bitPattern: le(72))))
        guard recorded == current else { return nil }
        var keys = [UInt64](repeating: 0, count: Int(count))
        var previous: UInt64 = 0
        for index in 0 ..< Int(count) {
            let key = le(headerSize + 8 * index)
            guard index == 0 || key > previous else { return .failure(CatalogDamage("its runs are not in order at \(index)")) }
            keys[index] = key
            previous = key
        }
        return .success(keys)
    }

    /// The file's bytes for `keys` (strictly increasing) listed from a folder with `stamp`.
    static func encode(_ keys: [UInt64], stamp: Stamp) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: headerSize + 8 * keys.count)
        bytes.withUnsafeMutableBytes { raw in
            magic.withUnsafeBytes { raw.copyMemory(from: $0) }
            func put(_ value: UInt64, _ at: Int) { raw.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt64.self) }
            put(stamp.device, 16); put(stamp.inode, 24); put(stamp.size, 32); put(stamp.links, 40)
            put(UInt64(bitPattern: stamp.mtime.seconds), 48); put(UInt64(bitPattern: stamp.mtime.nanoseconds), 56)
            put(UInt64(bitPattern: stamp.ctime.seconds), 64); put(UInt64(bitPattern: stamp.ctime.nanoseconds), 72)
            put(UInt64(keys.count), 80)
            for (index, key) in keys.enumerated() { put(key, headerSize + 8 * index) }
            put(CatalogSegment.checksum(UnsafeRawBufferPointer(rebasing: raw[16...])), 8)
        }
        return bytes
    }

    /// Records `keys`, listed from a folder with `stamp`, in `folder` (replacing the file
    /// atomically; not synced: a file torn by a crash fails its checksum and is read again).
    static func write(_ keys: [UInt64], stamp: Stamp, to folder: String) throws {
        _ = try LocalStorage.shared.createFolder(folder)
        let bytes = encode(keys, stamp: stamp)
        try bytes.withUnsafeBytes { try LocalStorage.shared.replace(folder + "/" + fileName, $0, sync: false) }
    }
}

#if os(Linux)
/// glibc's `statfs(2)`, which the Glibc module does not export (`<sys/vfs.h>` is not in it).
@_silgen_name("statfs")
private func linuxStatfs(_ path: UnsafePointer<CChar>, _ buffer: UnsafeMutableRawPointer) -> Int32
#endif
