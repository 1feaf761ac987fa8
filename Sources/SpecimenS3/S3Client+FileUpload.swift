#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// Conditional creation of an object from a local file, without the file in memory whole.
extension S3Client {
    /// ``create(_:_:metadata:)`` of the local file at `path`, returning with the outcome the
    /// size and SHA-256 of the bytes stored. A file of at least
    /// ``S3Options/multipartThreshold`` bytes is hashed in one pass, then sent in parts, each
    /// read from the file as it goes up: memory holds a few parts
    /// (``S3Options/uploadParallelism``), not the file. The file must not change meanwhile: if
    /// its size or modification time has changed when the parts are up, the upload is aborted.
    /// Smaller files are read whole and created as `create` does. A file that cannot be read,
    /// or changed, is a ``LocalFileError`` naming it.
    public func create(_ key: String, fromFile path: String, metadata: [String: String] = [:]) throws -> (outcome: S3CreateOutcome, size: Int, sha256: String) {
        try S3Address.validateKey(key, bucket: bucket)
        let file = try LocalFile(path)
        defer { file.closeFile() }
        let before = try file.state()
        if before.size < configuration.options.multipartThreshold {
            let bytes = try file.read(0 ..< before.size)
            return (try create(key, bytes, metadata: metadata), bytes.count, SigV4Signer.sha256Hex(bytes))
        }
        var hasher = SHA256()
        let chunk = 8 << 20
        var offset = 0
        while offset < before.size {
            hasher.update(data: try file.read(offset ..< min(before.size, offset + chunk)))
            offset += chunk
        }
        let sha256 = SigV4Signer.hex(hasher.finalize())
        let headers = try metadataHeaders(metadata, sha256: sha256, key: key)
        let outcome = try uploadInParts(key, size: before.size, sha256: sha256, headers: headers, conditional: true, beforeCompleting: {
            guard try file.state() == before else {
                throw LocalFileError(path: path, message: "it changed while it was being uploaded to s3://\(bucket)/\(key); the upload was abandoned")
            }
        }, part: { try file.read($0) })
        return (outcome, before.size, sha256)
    }
}

/// A local file that could not be uploaded: which, and why.
public struct LocalFileError: Error, Sendable, CustomStringConvertible {
    /// The file's path.
    public var path: String
    /// What went wrong.
    public var message: String

    /// "`path`: `message`".
    public var description: String { "\(path): \(message)" }
}

/// A local file read by offset (`pread`), for uploads.
private final class LocalFile: @unchecked Sendable {
    /// What identifies the file's content for the upload's purpose.
    struct State: Equatable {
        var size: Int
        var modified: Int
    }

    private let fd: Int32
    private let path: String

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open it", errno: errno) }
    }

    func closeFile() { close(fd) }

    /// The file's size and modification time (ns).
    func state() throws -> State {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot stat it", errno: errno) }
        return State(size: Int(info.st_size), modified: info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec)
    }

    /// The bytes of `range`; throws when the file ends first.
    func read(_ range: Range<Int>) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw count == 0 ? LocalFileError(path: path, message: "it ended before byte \(range.upperBound) (it changed while it was being uploaded)")
                                 : failure("cannot read it", errno: errno)
            }
            done += count
        }
        return bytes
    }

    private func failure(_ what: String, errno code: Int32) -> LocalFileError {
        LocalFileError(path: path, message: "\(what): \(String(cString: strerror(code)))")
    }
}
