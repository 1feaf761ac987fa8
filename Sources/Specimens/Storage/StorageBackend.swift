public import Parquet

/// What the store does to storage, and nothing more: the one edge between the run lifecycle
/// (IDs, sealing, status, recovery) and where runs are kept.
///
/// Paths are `/`-separated strings (on disk: file paths; in an object store: keys). Every
/// creating call is exclusive or atomic, so a backend that offers conditional writes (an S3
/// `PUT` with `If-None-Match: *`) can implement it without the store's logic changing:
///
/// | operation | local files | object storage |
/// |---|---|---|
/// | ``list(_:)`` | `readdir` | ListObjectsV2 with a delimiter |
/// | ``read(_:limit:)``, ``read(_:range:)``, ``openInput(_:)`` | `read`, `pread` | GET, range GET |
/// | ``claimFolder(_:)`` | exclusive `mkdir` | conditional PUT of a marker object |
/// | ``create(_:_:)`` | temporary file, fsync, rename without replacing | conditional PUT |
/// | ``openAppend(_:)`` | `O_APPEND` file, `fdatasync` | numbered, conditionally created chunks |
/// | ``makeReadOnly(_:)`` | `chmod 0444` | nothing (objects never change) |
public protocol StorageBackend: Sendable {
    /// The flush interval of runs written here when neither `SpecimenStorage.Options.flushInterval`
    /// nor `$SPECIMEN_FLUSH_INTERVAL` sets one (seconds; 1 by default, 10 on object storage,
    /// where every flush is a request).
    var defaultFlushInterval: Double { get }

    /// The names directly inside `folder` (files and folders, hidden ones too), unsorted; nil
    /// when there is no such folder.
    func list(_ folder: String) -> [String]?

    /// A whole file; throws `.damaged` when it is larger than `limit` bytes, `.fileSystem`
    /// (with the cause) when it cannot be read.
    func read(_ path: String, limit: Int) throws -> [UInt8]

    /// The bytes of `range` of a file (fewer when the file ends first).
    func read(_ path: String, range: Range<Int>) throws -> [UInt8]

    /// A file opened for reads of byte ranges, for the Parquet reader: a local file reads with
    /// `pread`, an object with range GETs. Throws `.notFound` when there is no such file.
    func openInput(_ path: String) throws -> any RandomAccessInput

    /// What stands at `path` (a final symbolic link is described, not followed), or nil.
    func entry(_ path: String) -> StorageEntry?

    /// The target of the symbolic link at `path`, or nil when it is not one.
    func symlinkTarget(_ path: String) -> String?

    /// Creates a folder; returns false when it exists already (as a folder); throws
    /// `.notAFolder` when a file stands there.
    @discardableResult
    func createFolder(_ path: String) throws -> Bool

    /// Creates a folder exclusively: true when this call created it, false when anything
    /// stood there already. Run IDs are claimed this way.
    func claimFolder(_ path: String) throws -> Bool

    /// Creates a file holding `bytes` atomically (readers never see part of it) and durably,
    /// never replacing anything: throws `.alreadyExists` when `path` exists.
    func create(_ path: String, _ bytes: UnsafeRawBufferPointer) throws

    /// Creates a small file exclusively (a lock): true when this call created it, false when
    /// it exists already. Its content may be seen partly written by a racing reader.
    func createExclusively(_ path: String, _ bytes: UnsafeRawBufferPointer) throws -> Bool

    /// Writes a whole file atomically, replacing what stood there (markers and heartbeats
    /// only; nothing in a sealed run is ever replaced). `sync`: durably.
    func replace(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool) throws

    /// Creates a file that is only ever appended to (a journal); throws `.alreadyExists`
    /// when it exists.
    func openAppend(_ path: String) throws -> any AppendFile

    /// Makes a sealed file read-only (where the backend can).
    func makeReadOnly(_ path: String)

    /// Removes a file; false when there was none or it could not be removed.
    @discardableResult
    func remove(_ path: String) -> Bool

    /// Makes the entries created in `folder` durable (where the backend needs it).
    func syncFolder(_ path: String)

    /// Whether files may be replaced and removed in place (local files: true). An object
    /// store that keeps every write (a versioned S3 bucket) answers false, and the store then
    /// never replaces nor removes anything in a run: the run's marker is created once, its
    /// heartbeat is the time of the journal's newest write (``entry(_:)``'s `modified`), and
    /// journals, marker and sealing lock stay in the sealed run under their hidden names.
    var canReplace: Bool { get }

    /// How many reads are worth having in flight at once, each on its own thread (local
    /// files: 1; object storage: its bounded number of parallel GETs). Readers of many runs
    /// use it to chain each run's reads without waiting for the other runs'.
    var readParallelism: Int { get }

    /// ``list(_:)``, but throwing when storage cannot answer (a network error), rather than
    /// answering nil as for a missing folder.
    func listing(_ folder: String) throws -> [String]?

    /// ``entry(_:)``, but throwing when storage cannot answer, rather than answering nil.
    func lookUp(_ path: String) throws -> StorageEntry?

    /// Several whole files at once, each as ``read(_:limit:)`` reads it: one result per path,
    /// in the order of `paths`. Local files are read one after another; object storage
    /// fetches them with bounded parallel GETs.
    func readMany(_ paths: [String], limit: Int) -> [Result<[UInt8], SpecimenError>]

    /// Several files of sealed runs at once (see ``SealedFile``), as ``readMany(_:limit:)``
    /// reads them: such files never change, so a backend may keep them in a local cache,
    /// filled only with bytes that pass the file's ``SealedFile/check`` (a mismatch is a
    /// `.damaged` error naming the file, and nothing is kept). Local files are read as they are.
    func readSealed(_ files: [SealedFile]) -> [Result<[UInt8], SpecimenError>]

    /// The files of many subfolders of `folder` listed at once, in a few requests rather than
    /// one per subfolder: for each subfolder listed completely, the paths of its files
    /// (relative to it, at any depth; an appended file's parts left out) and their sizes. A
    /// subfolder missing from the answer is unknown, not empty. Nil where such a listing is no
    /// cheaper than reading each subfolder's own files (local files), or not wanted (see the
    /// backend). Readers of many runs use it to learn which runs are sealed (those with a
    /// manifest) without reading every run's manifest.
    func filesOfSubfolders(_ folder: String) -> [String: [String: Int]]?

    /// Creates `path` holding a copy of the local file `localPath`, as ``create(_:_:)``
    /// creates a file (atomically, never replacing anything: `.alreadyExists`), and returns
    /// the size and SHA-256 of the bytes stored. A backend that sends large files in parts
    /// reads each part as it goes (S3), so the file is never in memory whole; by default the
    /// file is read whole and created.
    func createCopy(of localPath: String, at path: String) throws -> (size: Int, sha256: String)

    /// Reads the file at `path` in order, piece by piece, handing each piece to `body` (at most
    /// `limit` bytes in all; a larger file is `.damaged`). A backend that reads by ranges hands
    /// over pieces of a few megabytes as it fetches them (S3: range GETs), so the file is never
    /// in memory whole; by default it is read whole, as one piece.
    func readPieces(_ path: String, limit: Int, _ body: ([UInt8]) throws -> Void) throws
}

extension StorageBackend {
    /// One second, the local disk's flush interval.
    public var defaultFlushInterval: Double { 1.0 }

    /// Files may be replaced and removed in place, unless a backend says otherwise.
    public var canReplace: Bool { true }

    /// One read at a time, unless a backend says otherwise.
    public var readParallelism: Int { 1 }

    /// ``list(_:)``: storage that cannot fail to answer never throws.
    public func listing(_ folder: String) throws -> [String]? { list(folder) }

    /// ``entry(_:)``: storage that cannot fail to answer never throws.
    public func lookUp(_ path: String) throws -> StorageEntry? { entry(path) }

    /// ``read(_:limit:)`` of each path in turn.
    public func readMany(_ paths: [String], limit: Int) -> [Result<[UInt8], SpecimenError>] {
        paths.map { path in
            Result { try read(path, limit: limit) }.mapError { error in
                (error as? SpecimenError) ?? SpecimenError(.fileSystem, "cannot read \(path)", path: path, underlying: error)
            }
        }
    }

    /// No bulk listing: each subfolder is as cheap to look into on its own.
    public func filesOfSubfolders(_ folder: String) -> [String: [String: Int]]? { nil }

    /// ``create(_:_:)`` of the local file's bytes, read whole.
    public func createCopy(of localPath: String, at path: String) throws -> (size: Int, sha256: String) {
        let bytes = try LocalStorage.shared.read(localPath, limit: Int.max)
        try create(path, bytes)
        return (bytes.count, FileDigest.sha256(bytes: bytes))
    }

    /// ``read(_:limit:)`` of the whole file, as one piece.
    public func readPieces(_ path: String, limit: Int, _ body: ([UInt8]) throws -> Void) throws {
        try body(try read(path, limit: limit))
    }

    /// ``read(_:limit:)`` of each file in turn (no cache, no check: as any read).
    public func readSealed(_ files: [SealedFile]) -> [Result<[UInt8], SpecimenError>] {
        files.map { file in
            Result { try read(file.path, limit: file.limit) }.mapError { error in
                (error as? SpecimenError) ?? SpecimenError(.fileSystem, "cannot read \(file.path)", path: file.path, underlying: error)
            }
        }
    }

    /// Whether anything stands at `path`.
    public func exists(_ path: String) -> Bool { entry(path) != nil }

    /// Whether `path` is a folder (a symbolic link to one counts).
    public func isFolder(_ path: String) -> Bool {
        guard let entry = entry(path) else { return false }
        if entry.kind == .symlink, let target = symlinkTarget(path) {
            return self.entry(target.hasPrefix("/") ? target : parentFolder(of: path) + "/" + target)?.kind == .folder
        }
        return entry.kind == .folder
    }

    /// `openInput(_:)` for a backend without a cheaper way: the size from ``entry(_:)``, each
    /// read through ``read(_:range:)``.
    public func openInput(_ path: String) throws -> any RandomAccessInput {
        guard let entry = entry(path), entry.kind == .file else {
            throw SpecimenError(.notFound, "\(path) is not a file", path: path)
        }
        return RangeInput(backend: self, path: path, size: entry.size)
    }

    /// `create(_:_:)` for an array.
    public func create(_ path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try create(path, $0) }
    }

    /// `replace(_:_:sync:)` for an array.
    public func replace(_ path: String, _ bytes: [UInt8], sync: Bool) throws {
        try bytes.withUnsafeBytes { try replace(path, $0, sync: sync) }
    }

    /// `createExclusively(_:_:)` for an array.
    public func createExclusively(_ path: String, _ bytes: [UInt8]) throws -> Bool {
        try bytes.withUnsafeBytes { try createExclusively(path, $0) }
    }

    /// The folder part of `path` (`.` when it has none).
    func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}

/// A file of any backend read through its range reads.
struct RangeInput: RandomAccessInput {
    let backend: any StorageBackend
    let path: String
    let size: Int

    var name: String { path }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        try backend.read(path, range: offset ..< offset + count)
    }
}
