import Parallel
import Parquet
@testable import Specimens

/// An object store in memory for tests of the store's logic where `canReplace` is false: files
/// are created once (a second write of a path is counted, as a versioned bucket would), folders
/// are the prefixes of files, and an appended file is visible as it grows.
final class MemoryStorage: StorageBackend, @unchecked Sendable {
    struct Object {
        var bytes: [UInt8]
        var modified: Double
    }

    private let lock = Lock()
    private var objects: [String: Object] = [:]
    /// How many times each path was written (created, replaced, appended and synced count once each per call).
    private(set) var writes: [String: Int] = [:]
    /// Paths removed.
    private(set) var removed: [String] = []
    /// The clock files are stamped with (seconds since 1970).
    var now: Double = Double(currentMicroseconds()) / 1e6
    private var syncHook: (@Sendable () -> Void)?
    /// Whether appended files say their appends wait for a sync, as object storage's do
    /// (``AppendFile/holdsAppendsUntilSync``); they still reach the object at once here.
    var appendsWaitForSync = false

    /// Calls `hook` at the start of every appended file's sync (as a slow upload would take
    /// its time there); nil removes it.
    func onSync(_ hook: (@Sendable () -> Void)?) { lock.withLock { syncHook = hook } }

    var canReplace: Bool { false }

    func object(_ path: String) -> Object? { lock.withLock { objects[path] } }

    func setModified(_ path: String, _ time: Double) { lock.withLock { objects[path]?.modified = time } }

    func put(_ path: String, _ bytes: [UInt8]) {
        lock.withLock {
            objects[path] = Object(bytes: bytes, modified: now)
            writes[path, default: 0] += 1
        }
    }

    func list(_ folder: String) -> [String]? {
        lock.withLock {
            let prefix = folder + "/"
            let names = Set(objects.keys.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: "/").first.map(String.init) })
            return names.isEmpty ? nil : Array(names)
        }
    }

    func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard let object = object(path) else { throw SpecimenError(.notFound, "no \(path)", path: path) }
        guard object.bytes.count <= limit else { throw SpecimenError(.damaged, "\(path) is too large", path: path) }
        return object.bytes
    }

    func read(_ path: String, range: Range<Int>) throws -> [UInt8] {
        let bytes = try read(path, limit: .max)
        return Array(bytes[Swift.min(range.lowerBound, bytes.count) ..< Swift.min(range.upperBound, bytes.count)])
    }

    func entry(_ path: String) -> StorageEntry? {
        if let object = object(path) { return StorageEntry(kind: .file, size: object.bytes.count, modified: object.modified) }
        return list(path) == nil ? nil : StorageEntry(kind: .folder, size: 0, modified: 0)
    }

    func symlinkTarget(_ path: String) -> String? { nil }

    func createFolder(_ path: String) throws -> Bool { false }

    func claimFolder(_ path: String) throws -> Bool {
        guard list(path) == nil else { return false }
        return try createExclusively(path + "/.claim", [1])
    }

    func create(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        guard try createExclusively(path, bytes) else { throw SpecimenError(.alreadyExists, "\(path) exists", path: path) }
    }

    func createExclusively(_ path: String, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        lock.withLock {
            guard objects[path] == nil else { return false }
            objects[path] = Object(bytes: Array(bytes), modified: now)
            writes[path, default: 0] += 1
            return true
        }
    }

    func replace(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool) throws { put(path, Array(bytes)) }

    func openAppend(_ path: String) throws -> any AppendFile {
        guard try createExclusively(path, []) else { throw SpecimenError(.alreadyExists, "\(path) exists", path: path) }
        return Appender(storage: self, path: path)
    }

    func makeReadOnly(_ path: String) {}

    func remove(_ path: String) -> Bool {
        lock.withLock {
            removed.append(path)
            return objects.removeValue(forKey: path) != nil
        }
    }

    func syncFolder(_ path: String) {}

    /// Appends grow the object in place; a sync stamps it with the storage's clock.
    final class Appender: AppendFile, @unchecked Sendable {
        let storage: MemoryStorage
        let path: String

        init(storage: MemoryStorage, path: String) {
            self.storage = storage
            self.path = path
        }

        func append(_ bytes: UnsafeRawBufferPointer) throws {
            storage.lock.withLock { storage.objects[path]?.bytes.append(contentsOf: bytes) }
        }

        func sync() throws {
            storage.lock.withLock { storage.syncHook }?()
            storage.lock.withLock { storage.objects[path]?.modified = storage.now }
        }

        func close() {}

        var holdsAppendsUntilSync: Bool { storage.appendsWaitForSync }
    }
}
