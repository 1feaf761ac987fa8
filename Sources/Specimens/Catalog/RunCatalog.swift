#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack

/// The catalog: a derived cache of every sealed run's fields, in `<specimen>/.catalog/`, so a
/// query over 100,000 runs reads a few files instead of 100,000 manifests.
///
/// ```
/// <specimen>/.catalog/            hidden: no `runs/*/…` glob matches it
///   <random>.segment              immutable; entries of sealed runs (CatalogSegment)
///   runs.listing                  the runs/ listing and the folder's stamp (RunListing),
///                                 replaced atomically; read instead of runs/ while it matches
///   .lock                         taken (flock, non-blocking) by whoever merges
///   .tmp-…                        a segment being created
/// ```
///
/// - Never the source of truth: every read is checked against the `runs/` listing (read from
///   the folder, or from `runs.listing` while the folder's device, inode, size, links, mtime and
///   ctime are those it was recorded with: see `RunListing` for why that is safe). Runs listed
///   but not catalogued (new, sealed since, migrated) are read from their manifests and added
///   as a new segment; catalogued runs no longer listed are ignored and dropped at the next
///   merge. Deleting the folder changes no answer.
/// - Many writers: a segment is created atomically and never changed. When a reader finds more
///   than `segmentLimit` segments (or many dropped runs), it writes one merged segment, then
///   removes the ones it merged. Entries are deduplicated by run ID when read, so two writers
///   adding the same run, or a reader racing a merge, never yield a duplicate or a lost run.
/// - A damaged segment (bad magic, size, checksum or entry) is ignored, reported once, and
///   removed, so its runs are read again and re-added.
/// - A specimen that is not writable is queried from the catalog as it is, plus what is read
///   in memory, and nothing is written.
enum RunCatalog {
    static let folderName = ".catalog"
    static let segmentLimit = 8

    /// The entries read from a catalog folder.
    struct Snapshot {
        /// Sorted by key, one per run.
        var entries: [CatalogRecord] = []
        /// The segment files read (names), to remove after a merge.
        var segments: [String] = []
        /// One line per damaged segment.
        var notes: [String] = []
    }

    static func folder(of specimenPath: String) -> String { specimenPath + "/" + folderName }

    /// Reads every segment; damaged ones are reported in `notes` and, when `removeDamaged`,
    /// removed. A segment removed by a concurrent merge while being listed is skipped: its runs
    /// are in the merged segment, or will be read from their manifests.
    static func read(_ folder: String, removeDamaged: Bool) -> Snapshot {
        var snapshot = Snapshot()
        guard let names = LocalStorage.shared.list(folder) else { return snapshot }
        var parts: [[CatalogRecord]] = []
        for name in names.sorted() where !name.hasPrefix(".") && name.hasSuffix(CatalogSegment.suffix) {
            let path = folder + "/" + name
            let bytes: CatalogBytes
            do { bytes = try CatalogBytes(contentsOf: path) } catch {
                if !LocalStorage.shared.exists(path) { continue }   // merged away meanwhile
                snapshot.notes.append("catalog segment \(path) cannot be read (\(error)); ignored")
                continue
            }
            switch CatalogSegment.decode(bytes) {
            case .success(let entries):
                parts.append(entries)
                snapshot.segments.append(name)
            case .failure(let damage) where damage.outdated:
                if removeDamaged { unlink(path) }   // its runs are read and catalogued again
            case .failure(let damage):
                snapshot.notes.append("catalog segment \(path) is damaged: \(damage.reason); ignored, and its runs are read from their manifests"
                                      + (removeDamaged ? " and catalogued again" : ""))
                if removeDamaged { unlink(path) }
            }
        }
        if parts.count == 1 {
            snapshot.entries = parts[0]   // sorted and unique: checked when decoded
        } else if parts.count > 1 {
            snapshot.entries = sortedUnique(parts.flatMap { $0 })
        }
        return snapshot
    }

    /// Sorted by key, the first of each key kept (entries of one sealed run are identical).
    static func sortedUnique(_ entries: [CatalogRecord]) -> [CatalogRecord] {
        let sorted = entries.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
        var result: [CatalogRecord] = []
        result.reserveCapacity(sorted.count)
        for item in sorted where result.last?.key != item.key { result.append(item) }
        return result
    }

    /// Whether the catalog may be written: the specimen folder (and `.catalog`, when it exists)
    /// is writable by this process and has a write permission bit (so a specimen made read-only
    /// with chmod is left alone even by root).
    static func isWritable(specimenPath: String) -> Bool {
        func writable(_ path: String) -> Bool {
            guard let info = LocalStorage.shared.entry(path) else { return false }
            return access(path, W_OK) == 0 && ((info.permissions ?? 0) & 0o222) != 0
        }
        guard writable(specimenPath) else { return false }
        let folder = folder(of: specimenPath)
        return !LocalStorage.shared.exists(folder) || writable(folder)
    }

    /// Adds a segment of `entries` (sorted by key). Throws on a file system error.
    static func add(_ entries: [CatalogRecord], to folder: String) throws {
        guard !entries.isEmpty else { return }
        _ = try LocalStorage.shared.createFolder(folder)
        let name = LocalStorage.randomSuffix() + LocalStorage.randomSuffix() + CatalogSegment.suffix
        try LocalStorage.shared.create(folder + "/" + name, CatalogSegment.encode(entries))
    }

    /// Writes one segment of `entries` and removes `merged` (the segments they came from), when
    /// no other process is merging; returns false when another one is.
    @discardableResult
    static func merge(_ entries: [CatalogRecord], replacing merged: [String], in folder: String) throws -> Bool {
        _ = try LocalStorage.shared.createFolder(folder)
        let lockPath = folder + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SpecimenError.system("open", lockPath, errno: errno) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        defer { flock(fd, LOCK_UN) }
        // Another merger may have finished between our read and the lock: merge only what is
        // still there, so its segment is not merged twice.
        let present = Set(LocalStorage.shared.list(folder) ?? [])
        let stillThere = merged.filter(present.contains)
        guard stillThere.count == merged.count else { return false }
        try add(entries, to: folder)
        for name in merged { unlink(folder + "/" + name) }
        LocalStorage.shared.syncFolder(folder)
        return true
    }
}
