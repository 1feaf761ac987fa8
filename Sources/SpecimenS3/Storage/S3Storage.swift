public import Foundation
public import Parquet
public import Specimens

/// An S3 bucket (or a prefix in one) as the store's `StorageBackend`, so that specimens and
/// their runs live in object storage with the same layout as on disk:
///
/// ```swift
/// let storage = try S3Storage.fromEnvironment("s3://lab/specimens")
/// let specimen = try Specimen(at: "s3://lab/specimens/mnist", storage: storage)
/// let everything = try specimen.readAllRuns()
/// ```
///
/// Paths are `s3://bucket/key` addresses in this storage's bucket, or keys relative to its
/// root prefix. S3 has no folders: a folder is a key prefix that some object has.
///
/// | call | S3 |
/// |---|---|
/// | `list` | ListObjectsV2 with delimiter `/` (objects and common prefixes; nil when none) |
/// | `read`, `read(range:)` | GET, range GET |
/// | `openInput` | HEAD for the size, then range GETs (the Parquet footer, then column chunks) |
/// | `entry` | HEAD; else chunks of an appended file; else a one-key listing of `path/` (a folder) |
/// | `claimFolder` | conditional PUT of `path/.claim` holding a writer-unique token (see ``claimName``) |
/// | `createFolder`, `makeReadOnly`, `syncFolder` | nothing |
/// | `create`, `createExclusively` | conditional PUT (`If-None-Match: *`); 412: `.alreadyExists` / false |
/// | `openAppend` | numbered, conditionally created chunks `path.chunks/00000001`, … (``S3AppendFile``) |
/// | `replace` | PUT (overwrites; the store never calls it here, as ``canReplace`` is false) |
/// | `remove` | DELETE (the store never removes anything in a run here) |
///
/// An appended file (a run's journal, `.journal`) is read as the concatenation of its chunks
/// in number order, by `read` and `entry` alike (its size is theirs summed, its modification
/// time its newest chunk's: the writer's heartbeat), so journal readers and recovery work
/// unchanged. Appended files are the store's hidden files: chunks are looked for only behind
/// names that start with `.`.
///
/// Errors are `SpecimenError`s naming the path, with the `S3Error` (bucket, key, HTTP status,
/// S3 error code; never a secret) as the underlying error.
public struct S3Storage: StorageBackend {
    /// The client, of this storage's bucket.
    public let client: S3Client
    /// The root: relative paths are keys under its prefix.
    public let root: S3Address
    /// Where sealed runs' files read through `readSealed(_:)` are kept locally, or nil for no
    /// cache (see ``SealedFileCache``).
    public private(set) var cache: SealedFileCache?

    /// The hidden object whose conditional creation claims a folder (a run ID): `.claim`.
    /// Hidden names are never matched by `runs/*/metrics.parquet`, and sealing lists only
    /// visible files.
    public static let claimName = ".claim"
    /// What follows an appended file's key in the prefix of its chunks: `.chunks`.
    public static let chunkSuffix = ".chunks"

    /// A storage of `client`'s bucket, rooted at `root` (its bucket must be the client's),
    /// keeping sealed runs' files in `cache` (none by default).
    public init(client: S3Client, root: S3Address, cache: SealedFileCache? = nil) throws {
        guard root.bucket == client.bucket else {
            throw SpecimenError(.invalidName, "\(root) is not in the client's bucket \(client.bucket)", path: root.description)
        }
        self.client = client
        self.root = root
        self.cache = cache
    }

    /// A storage rooted at `address` (`s3://bucket/prefix`), configured from the environment
    /// as the AWS tools are (`S3Configuration.fromEnvironment`), with the cache of sealed runs'
    /// files the environment gives (``SealedFileCache/fromEnvironment(_:)``) unless `caching`
    /// is false.
    public static func fromEnvironment(_ address: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                                       caching: Bool = true) throws -> S3Storage {
        let root = try S3Address(parsing: address)
        let client = try S3Client(bucket: root.bucket, configuration: try S3Configuration.fromEnvironment(environment))
        return try S3Storage(client: client, root: root, cache: caching ? SealedFileCache.fromEnvironment(environment) : nil)
    }

    /// This storage without a cache: every read goes to S3.
    public func withoutCache() -> S3Storage {
        var copy = self
        copy.cache = nil
        return copy
    }

    /// Objects never change in place here: see `StorageBackend.canReplace`.
    public var canReplace: Bool { false }

    /// ``S3Options/readParallelism`` (16) GETs in flight: see `StorageBackend.readParallelism`.
    public var readParallelism: Int { client.configuration.options.readParallelism }

    // MARK: Paths

    /// The key of `path`: an `s3://` address in this bucket, or a path relative to the root.
    func key(_ path: String) throws -> String {
        var relative = Substring(path)
        if S3Address.isS3(path) {
            let address = try S3Address(parsing: path)
            guard address.bucket == client.bucket else {
                throw SpecimenError(.invalidName, "\(path) is not in the bucket \(client.bucket) of this storage", path: path)
            }
            return address.prefix
        }
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        if relative == "." { relative = "" }
        while relative.hasSuffix("/") { relative = relative.dropLast() }
        return try root.key(String(relative))
    }

    /// The prefix of the chunks of the appended file at `key`.
    static func chunkPrefix(_ key: String) -> String { key + chunkSuffix + "/" }

    /// Whether `key`'s last segment is hidden (starts with `.`): only those may be chunked.
    static func isHidden(_ key: String) -> Bool {
        (key.split(separator: "/").last ?? "").hasPrefix(".")
    }

    /// The chunks of the appended file at `key`, in number order (empty when none).
    func chunks(_ key: String) throws -> [S3ListedObject] {
        guard Self.isHidden(key) else { return [] }
        return try client.list(prefix: Self.chunkPrefix(key)).objects.sorted { $0.key < $1.key }
    }

    /// A `SpecimenError` for a failed S3 call on `path`.
    func failure(_ operation: String, _ path: String, _ error: any Error) -> SpecimenError {
        if let error = error as? SpecimenError { return error }
        let code: SpecimenError.Code = (error as? S3Error)?.code == .notFound ? .notFound : .fileSystem
        let recovery = (error as? S3Error)?.recovery
        return SpecimenError(code, "cannot \(operation) \(path)", path: path, recovery: recovery, underlying: error)
    }

    // MARK: StorageBackend

    /// Ten seconds: each flush of a running run uploads a journal chunk, a request of its own.
    public var defaultFlushInterval: Double { 10 }

    /// The names in `folder`: ListObjectsV2 with delimiter `/` (objects and common prefixes, an appended file's chunks as its name); nil when nothing has the prefix or S3 cannot answer.
    public func list(_ folder: String) -> [String]? {
        (try? listing(folder)) ?? nil
    }

    /// ``list(_:)``, throwing what S3 answered when it could not list.
    public func listing(_ folder: String) throws -> [String]? {
        let key = try key(folder)
        let prefix = key.isEmpty ? "" : key + "/"
        let page = try wrapped("list", folder) { try client.list(prefix: prefix, delimiter: "/") }
        var names = Set<String>()
        for object in page.objects {
            let name = String(object.key.dropFirst(prefix.count))
            if !name.isEmpty { names.insert(name) }
        }
        for common in page.commonPrefixes {
            var name = String(common.dropFirst(prefix.count))
            while name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty else { continue }
            if name.hasPrefix("."), name.hasSuffix(Self.chunkSuffix), name.count > Self.chunkSuffix.count {
                name.removeLast(Self.chunkSuffix.count)   // an appended file's chunks: the file
            }
            names.insert(name)
        }
        return names.isEmpty ? nil : Array(names)
    }

    /// GET of the object, or the concatenation of an appended file's chunks; `.damaged` past `limit`.
    public func read(_ path: String, limit: Int) throws -> [UInt8] {
        let key = try key(path)
        do {
            return try client.get(key, limit: limit)
        } catch let error as S3Error where error.code == .notFound {
            let chunks = try wrapped("list the chunks of", path) { try self.chunks(key) }
            guard !chunks.isEmpty else { throw failure("read", path, error) }
            let total = chunks.reduce(0) { $0 + $1.size }
            guard total <= limit else {
                throw SpecimenError(.damaged, "\(path) is \(total) bytes, more than the \(limit) expected", path: path)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(total)
            for result in client.getMany(chunks.map(\.key), limit: limit) {
                switch result {
                case .success(let chunk): bytes += chunk
                case .failure(let error): throw failure("read a chunk of", path, error)
                }
                guard bytes.count <= limit else {
                    throw SpecimenError(.damaged, "\(path) grew past \(limit) bytes while being read", path: path)
                }
            }
            return bytes
        } catch let error as S3Error where error.code == .responseTooLarge {
            throw SpecimenError(.damaged, "\(path) is more than the \(limit) bytes expected", path: path, underlying: error)
        } catch {
            throw failure("read", path, error)
        }
    }

    /// Range GET (an appended file: the chunks that overlap the range, sliced and joined).
    public func read(_ path: String, range: Range<Int>) throws -> [UInt8] {
        let key = try key(path)
        do {
            return try client.get(key, range: range)
        } catch let error as S3Error where error.code == .notFound && Self.isHidden(key) {
            let chunks = try wrapped("list the chunks of", path) { try self.chunks(key) }
            guard !chunks.isEmpty else { throw failure("read", path, error) }
            // The chunks that overlap `range`, with where each starts in the file.
            var wanted: [(key: String, start: Int)] = []
            var start = 0
            for chunk in chunks {
                if start < range.upperBound && start + chunk.size > range.lowerBound { wanted.append((chunk.key, start)) }
                start += chunk.size
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Swift.max(0, Swift.min(range.upperBound, start) - range.lowerBound))
            for (index, fetched) in client.getMany(wanted.map(\.key)).enumerated() {
                guard case .success(let chunk) = fetched else {
                    if case .failure(let error) = fetched { throw failure("read a chunk of", path, error) }
                    continue
                }
                let offset = wanted[index].start
                let lower = Swift.max(0, range.lowerBound - offset), upper = Swift.min(chunk.count, range.upperBound - offset)
                if lower < upper { bytes += chunk[lower ..< upper] }
            }
            return bytes
        } catch {
            throw failure("read", path, error)
        }
    }

    /// HEAD for the size, then range GETs for each read (``S3Input``).
    public func openInput(_ path: String) throws -> any RandomAccessInput {
        let key = try key(path)
        guard let info = try wrapped("look up", path, { try client.head(key) }) else {
            guard entry(path)?.kind == .file else { throw SpecimenError(.notFound, "\(path) is not a file", path: path) }
            return S3BytesInput(name: path, bytes: try read(path, limit: 1 << 30))
        }
        return S3Input(client: client, key: key, name: path, size: info.size)
    }

    /// ``lookUp(_:)``, with nil when S3 cannot answer.
    public func entry(_ path: String) -> StorageEntry? {
        (try? lookUp(path)) ?? nil
    }

    /// ``entry(_:)``, throwing what S3 answered when it could not tell (the bucket is
    /// checked for the bucket's root, so a missing bucket or wrong credentials say so).
    public func lookUp(_ path: String) throws -> StorageEntry? {
        let key = try key(path)
        if key.isEmpty {   // the bucket itself
            try wrapped("open the bucket of", path) { try client.checkBucket() }
            return StorageEntry(kind: .folder, size: 0, modified: 0)
        }
        if let info = try wrapped("look up", path, { try client.head(key) }) {
            return StorageEntry(kind: .file, size: info.size, modified: info.lastModified.flatMap(S3Time.seconds) ?? 0)
        }
        let chunks = try wrapped("list the chunks of", path) { try self.chunks(key) }
        if !chunks.isEmpty {
            return StorageEntry(kind: .file, size: chunks.reduce(0) { $0 + $1.size },
                                modified: chunks.compactMap { $0.lastModified.flatMap(S3Time.seconds) }.max() ?? 0)
        }
        let page = try wrapped("list", path) { try client.listPage(prefix: key + "/", maxKeys: 1) }
        if !page.objects.isEmpty || !page.commonPrefixes.isEmpty {
            return StorageEntry(kind: .folder, size: 0, modified: page.objects.first?.lastModified.flatMap(S3Time.seconds) ?? 0)
        }
        return nil
    }

    /// Always nil: S3 has no symbolic links.
    public func symlinkTarget(_ path: String) -> String? { nil }

    /// Nothing to create (a folder is a prefix); throws `.notAFolder` when an object stands at `path`.
    @discardableResult
    public func createFolder(_ path: String) throws -> Bool {
        let key = try key(path)
        if !key.isEmpty, try wrapped("look up", path, { try client.head(key) }) != nil {
            throw SpecimenError(.notAFolder, "\(path) is an object, not a folder", path: path, recovery: "Move or remove that object, then try again")
        }
        return false   // nothing to create: a folder is the prefix of the objects in it
    }

    /// Claims a folder by the conditional creation of ``claimName`` in it, holding a token of
    /// this writer's (host, pid, a random UUID), so that a retried create that meets 412 can
    /// tell its own claim from another writer's. A folder that holds anything already (runs
    /// copied in without a claim) counts as taken.
    public func claimFolder(_ path: String) throws -> Bool {
        let key = try key(path)
        let page = try wrapped("list", path) { try client.listPage(prefix: key + "/", maxKeys: 1) }
        guard page.objects.isEmpty, page.commonPrefixes.isEmpty else { return false }
        let token = "claimed by \(ProcessInfo.processInfo.hostName) pid \(ProcessInfo.processInfo.processIdentifier) token \(UUID().uuidString) at \(Date().timeIntervalSince1970)\n"
        return try wrapped("claim", path) { try client.create(key + "/" + Self.claimName, Array(token.utf8)) } == .created
    }

    /// Conditional PUT; throws `.alreadyExists` on 412 (when the object is not this call's own).
    public func create(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        guard try createExclusively(path, bytes) else {
            throw SpecimenError(.alreadyExists, "\(path) already exists; it was not replaced", path: path,
                                recovery: "Runs are immutable: start a new run instead of rewriting this one")
        }
    }

    /// ``S3Client/create(_:fromFile:metadata:)``: a large file goes up in parts read from it
    /// as they are sent (never whole in memory); throws `.alreadyExists` on 412.
    public func createCopy(of localPath: String, at path: String) throws -> (size: Int, sha256: String) {
        let key = try key(path)
        let result = try wrapped("create", path) { try client.create(key, fromFile: localPath) }
        guard result.outcome == .created else {
            throw SpecimenError(.alreadyExists, "\(path) already exists; it was not replaced", path: path,
                                recovery: "Runs are immutable: start a new run instead of rewriting this one")
        }
        return (result.size, result.sha256)
    }

    /// Range GETs of 16 MiB, each piece handed over as it arrives (an appended file's
    /// chunks, a hidden name, are read whole as `read` reads them).
    public func readPieces(_ path: String, limit: Int, _ body: ([UInt8]) throws -> Void) throws {
        let key = try key(path)
        guard !Self.isHidden(key) else { return try body(try read(path, limit: limit)) }
        let piece = 16 << 20
        var offset = 0
        while true {
            let bytes = try wrapped("read", path) { try client.get(key, range: offset ..< offset + piece) }
            offset += bytes.count
            guard offset <= limit else {
                throw SpecimenError(.damaged, "\(path) is more than the \(limit) bytes expected", path: path)
            }
            if !bytes.isEmpty { try body(bytes) }
            if bytes.count < piece { return }
        }
    }

    /// Conditional PUT (`If-None-Match: *`): true when this call created the object.
    public func createExclusively(_ path: String, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        let key = try key(path)
        return try wrapped("create", path) { try client.create(key, Array(bytes)) } == .created
    }

    /// PUT, replacing the object (the store never calls it here: ``canReplace`` is false).
    public func replace(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool) throws {
        let key = try key(path)
        try wrapped("write", path) { try client.put(key, Array(bytes)) }
    }

    /// A new appended file of numbered chunks (``S3AppendFile``); only hidden names (`.…`) may be appended to.
    public func openAppend(_ path: String) throws -> any AppendFile {
        let key = try key(path)
        guard Self.isHidden(key) else {
            throw SpecimenError(.invalidName, "\(path): only hidden files (named .…) can be appended to in S3", path: path)
        }
        if try wrapped("look up", path, { try client.head(key) }) != nil || !(try wrapped("list the chunks of", path) { try chunks(key) }).isEmpty {
            throw SpecimenError(.alreadyExists, "\(path) already exists; it was not replaced", path: path)
        }
        return S3AppendFile(client: client, key: key, path: path)
    }

    /// Nothing: objects never change in place.
    public func makeReadOnly(_ path: String) {}

    /// DELETE of the object and of its chunks (the store never removes anything in a run here).
    @discardableResult
    public func remove(_ path: String) -> Bool {
        guard let key = try? key(path) else { return false }
        do {
            for chunk in try chunks(key) { try client.delete(chunk.key) }
            try client.delete(key)
            return true
        } catch {
            return false
        }
    }

    /// Nothing: a created object is durable when S3 answers.
    public func syncFolder(_ path: String) {}

    /// Runs an S3 call, turning its error into a `SpecimenError` that names `path`.
    private func wrapped<R>(_ operation: String, _ path: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch { throw failure(operation, path, error) }
    }
}
