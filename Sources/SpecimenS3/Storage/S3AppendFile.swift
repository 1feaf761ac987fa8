import Parallel
import Specimens

/// A file only ever appended to (a run's journal), kept in S3 as numbered chunks, each created
/// conditionally and never replaced: `<key>.chunks/00000001`, `00000002`, …
///
/// `append` only buffers in memory (no network on the logging thread); `sync` uploads what
/// was appended since the last sync as the next chunk, even when that is nothing: an empty
/// chunk is the writer's heartbeat, its time the chunk's `Last-Modified`. A chunk whose upload
/// failed is retried with the same bytes under the same number at the next sync (and
/// recognised as its own by its SHA-256 when an earlier attempt landed after all), so the
/// chunks always concatenate to a prefix of what was appended.
///
/// `@unchecked Sendable`: `buffer` and `closed` are guarded by `stateLock`; `next` and
/// `failed` by `uploadLock`, which serializes uploads.
final class S3AppendFile: AppendFile, @unchecked Sendable {
    let path: String
    let key: String
    private let client: S3Client
    private let stateLock = Lock()
    private let uploadLock = Lock()
    private var buffer: [UInt8] = []
    private var closed = false
    private var next = 1
    /// The bytes of chunk `next` when its upload failed: retried as they are.
    private var failed: [UInt8]?

    /// Digits of a chunk number (names sort in number order).
    static let digits = 8

    init(client: S3Client, key: String, path: String) {
        self.client = client
        self.key = key
        self.path = path
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try stateLock.withLock {
            guard !closed else { throw closedError() }
            buffer.append(contentsOf: bytes)
        }
    }

    func sync() throws {
        try uploadLock.withLock {
            let bytes: [UInt8] = try failed ?? stateLock.withLock {
                guard !closed else { throw closedError() }
                defer { buffer.removeAll(keepingCapacity: true) }
                return buffer
            }
            try upload(bytes)
        }
    }

    func close() {
        uploadLock.withLock {
            let rest: [UInt8]? = stateLock.withLock {
                guard !closed else { return nil }
                closed = true
                return buffer.isEmpty ? nil : buffer
            }
            if let failed { try? upload(failed) }
            if let rest, failed == nil { try? upload(rest) }
        }
    }

    /// Creates chunk `next` holding `bytes` (the caller holds `uploadLock`).
    private func upload(_ bytes: [UInt8]) throws {
        let number = String(next)
        let chunkKey = S3Storage.chunkPrefix(key) + String(repeating: "0", count: Swift.max(0, Self.digits - number.count)) + number
        do {
            var outcome = try client.create(chunkKey, bytes)
            if outcome == .alreadyExists, let info = try client.head(chunkKey), info.sha256 == SigV4Signer.sha256Hex(bytes) {
                outcome = .created   // an earlier attempt of this very chunk landed after all
            }
            guard outcome == .created else {
                failed = nil
                throw SpecimenError(.alreadyExists, "chunk \(chunkKey) of \(path) was written by another writer", path: path,
                                    recovery: "Two writers share one run's journal: check that run IDs are claimed before writing")
            }
        } catch let error as S3Error {
            failed = bytes
            throw SpecimenError(.fileSystem, "cannot upload chunk \(next) of \(path)", path: path, recovery: error.recovery, underlying: error)
        }
        failed = nil
        next += 1
    }

    private func closedError() -> SpecimenError {
        SpecimenError(.runSealed, "\(path) is closed", path: path)
    }
}
