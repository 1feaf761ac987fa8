import MessagePack

/// A file of a sealed run, read through ``StorageBackend/readSealed(_:)``: such a file never
/// changes again, so a backend may serve it from a local cache, and ``check`` says how to tell
/// that bytes are really the file's (a cache checks them before keeping them).
public struct SealedFile: Sendable, Hashable {
    /// How to tell that bytes are the file's.
    public enum Check: Sendable, Hashable {
        /// The run's manifest (`manifest.msgpack`): the bytes must decode as the manifest of
        /// sealed run `run` (a manifest lists every other file's checksum, but not its own).
        case manifest(run: RunID)
        /// A file the run's manifest lists, with its size and lowercase hexadecimal SHA-256.
        case digest(size: Int, sha256: String)
    }

    /// The file's path in its storage.
    public var path: String
    /// How to tell that bytes are the file's.
    public var check: Check
    /// The largest size accepted; a larger file is `.damaged`.
    public var limit: Int

    /// A sealed file at `path`, checked by `check`, of at most `limit` bytes.
    public init(path: String, check: Check, limit: Int) {
        self.path = path
        self.check = check
        self.limit = limit
    }

    /// The manifest of sealed run `run` in `folder` (at most 256 MiB).
    public static func manifest(of run: RunID, in folder: String) -> SealedFile {
        SealedFile(path: folder + "/" + RunFolder.manifest, check: .manifest(run: run), limit: 256 << 20)
    }

    /// Why `bytes` are not this file's (naming the file), or nil when they are: the size and
    /// SHA-256 the run's manifest gives, or for a manifest, that it decodes as its run's.
    public func problem(with bytes: [UInt8]) -> String? {
        switch check {
        case .digest(let size, let sha256):
            guard bytes.count == size else {
                return "\(path) is \(bytes.count) bytes, but its run's manifest says \(size)"
            }
            let found = FileDigest.sha256(bytes: bytes)
            guard found == sha256.lowercased() else {
                return "\(path) has SHA-256 \(found), but its run's manifest says \(sha256)"
            }
            return nil
        case .manifest(let run):
            do {
                let manifest = try RunManifest(decoding: bytes, file: path)
                guard manifest.runID == run else {
                    return "\(path) belongs to run \(manifest[RunManifest.Key.runID]?.stringValue ?? "?"), not \(run)"
                }
                guard manifest.status != nil else { return "\(path) has no known status" }
                return nil
            } catch {
                return "\(path) is not a run manifest: \(error)"
            }
        }
    }
}
