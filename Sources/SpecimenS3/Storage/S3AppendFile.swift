import Foundation
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
/// Appends go into one buffer while the previous one is uploaded; the two are exchanged at
/// each sync, so neither is reallocated (the logging thread never writes into fresh pages).
///
/// Every chunk is also written, by the thread that syncs, to a local copy of the file
/// (``localCopy``: `$TMPDIR/specimen-journal-<pid>-<random>`), so that a long run's rows,
/// once they left memory, are read back from the local disk at sealing instead of downloaded.
/// The copy is not needed for durability (the chunks are): when it cannot be written (a full
/// disk), it is dropped and sealing reads the uploaded chunks instead.
///
/// `@unchecked Sendable`: `buffer` and `closed` are guarded by `stateLock`; `next`, `failed`
/// and `uploading` by `uploadLock`, which serializes uploads.
final class S3AppendFile: AppendFile, @unchecked Sendable {
    let path: String
    let key: String
    private let client: S3Client
    private let stateLock = Lock()
    private let uploadLock = Lock()
    private var buffer: [UInt8] = []
    /// The buffer being uploaded (empty between syncs; its capacity kept).
    private var uploading: [UInt8] = []
    private var closed = false
    private var next = 1
    /// The bytes of chunk `next` when its upload failed: retried as they are.
    private var failed: [UInt8]?
    /// The local copy, open until this file is closed; nil when dropped or never made.
    private var copy: (any AppendFile)?
    /// The local copy's path, while it holds every byte synced so far.
    private var copyPath: String?

    /// The local copy of every byte appended (complete once the file is closed), unless it
    /// could not be written.
    var localCopy: String? { uploadLock.withLock { copyPath } }

    /// Appends wait in memory for the next sync, which uploads them.
    var holdsAppendsUntilSync: Bool { true }

    /// Digits of a chunk number (names sort in number order).
    static let digits = 8

    /// Appends to `key` (whose chunks do not exist yet), keeping a local copy in the
    /// temporary folder unless `keepsLocalCopy` is false or the copy cannot be created.
    init(client: S3Client, key: String, path: String, keepsLocalCopy: Bool = true) {
        self.client = client
        self.key = key
        self.path = path
        if keepsLocalCopy {
            let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            let candidate = folder + "/specimen-journal-\(ProcessInfo.processInfo.processIdentifier)-"
                + String(UInt64.random(in: 0 ... .max), radix: 36)
            if let file = try? LocalStorage.shared.openAppend(candidate) {   // created exclusively
                copy = file
                copyPath = candidate
            }
        }
    }

    deinit {
        dropCopy()   // never read: nothing else would remove it
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try stateLock.withLock {
            guard !closed else { throw closedError() }
            buffer.append(contentsOf: bytes)
        }
    }

    func sync() throws {
        try uploadLock.withLock {
            if let failed {
                try upload(failed)
                return
            }
            try stateLock.withLock {
                guard !closed else { throw closedError() }
                swap(&buffer, &uploading)
            }
            defer { uploading.removeAll(keepingCapacity: true) }
            writeCopy(uploading)
            try upload(uploading)
        }
    }

    /// Appends `bytes` to the local copy; drops the copy when that fails (the caller holds
    /// `uploadLock`).
    private func writeCopy(_ bytes: [UInt8]) {
        guard let copy else { return }
        do {
            try bytes.withUnsafeBytes { try copy.append($0) }
        } catch {
            dropCopy()
        }
    }

    /// Closes and removes the local copy (the caller holds `uploadLock`).
    private func dropCopy() {
        copy?.close()
        copy = nil
        if let copyPath { _ = LocalStorage.shared.remove(copyPath) }
        copyPath = nil
    }

    func removeLocalCopy() {
        uploadLock.withLock { dropCopy() }
    }

    func close() {
        uploadLock.withLock {
            let rest: [UInt8]? = stateLock.withLock {
                guard !closed else { return nil }
                closed = true
                return buffer.isEmpty ? nil : buffer
            }
            if let failed { try? upload(failed) }
            if let rest {
                writeCopy(rest)
                if failed == nil { try? upload(rest) }
            }
            copy?.close()   // complete: kept for reading until removeLocalCopy()
            copy = nil
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
