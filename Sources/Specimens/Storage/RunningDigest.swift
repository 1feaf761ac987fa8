import Crypto

/// A SHA-256 taken piece by piece, as a file is read (``MetricsFollower`` hashes
/// `metrics.jsonl` while it ingests it, so that sealing need not read the file again).
///
/// A reference, used by one thread at a time: the follower hands it to its helper thread
/// and waits for the helper before touching it again.
final class RunningDigest: @unchecked Sendable {
    private var hasher = SHA256()
    /// Bytes taken so far.
    private(set) var count = 0

    /// Takes `bytes`, after those taken before.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        hasher.update(bufferPointer: bytes)
        count += bytes.count
    }

    /// The size and lowercase hexadecimal SHA-256 of everything taken (as ``FileDigest`` gives
    /// them for a file).
    func finalize() -> (size: Int, sha256: String) {
        (count, FileDigest.hex(hasher.finalize()))
    }
}
