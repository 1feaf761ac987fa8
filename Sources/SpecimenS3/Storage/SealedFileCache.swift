#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import Specimens

/// A local cache of sealed runs' files read from object storage: such files never change, so
/// once fetched and checked they are read from the local disk instead of S3.
///
/// The folder is `$SPECIMEN_CACHE` when set (`off`, `none` or `0` there turns the cache off),
/// else `$XDG_CACHE_HOME/specimen`, else `~/.cache/specimen`. A file is kept at
/// `<folder>/s3/<endpoint>/<bucket>/<key>`, where `<endpoint>` is the explicit endpoint's
/// `host_port` or `aws-<region>`, so two servers with a bucket of the same name never share
/// entries.
///
/// What is kept, and when (see `S3Storage.readSealed(_:)`):
/// - only sealed runs' files: a run's manifest once it decodes as that run's, and the files its
///   manifest lists once their size and SHA-256 match the manifest's; never a running run's
///   files, a journal, a marker or a lock (they are never asked for as sealed files);
/// - each entry is written to a temporary file in its folder and renamed into place, so a
///   reader (another process too) sees a whole entry or none, and racing fills are harmless;
/// - entries are checked again when read (size and SHA-256, or the manifest's run): a cached
///   file that changed on the local disk is removed and fetched again from S3.
///
/// Nothing is ever evicted: remove the folder (or part of it) to reclaim space.
public struct SealedFileCache: Sendable, Hashable {
    /// The cache's folder.
    public let folder: String

    /// A cache in `folder` (created when first filled).
    public init(folder: String) {
        var folder = folder
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        self.folder = folder
    }

    /// The cache `environment` asks for (see the type's description), or nil when
    /// `SPECIMEN_CACHE` turns it off or no folder can be found (no `HOME`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SealedFileCache? {
        if let configured = environment["SPECIMEN_CACHE"], !configured.isEmpty {
            if ["off", "none", "0", "false", "no"].contains(configured.lowercased()) { return nil }
            return SealedFileCache(folder: configured)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return SealedFileCache(folder: xdg + "/specimen")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return SealedFileCache(folder: home + "/.cache/specimen")
    }

    /// Where the object `key` of `bucket` at `endpoint` is kept, or nil when the key cannot
    /// name a local file safely (an empty, `.` or `..` segment).
    func path(endpoint: String, bucket: String, key: String) -> String? {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return nil }
        return folder + "/s3/" + endpoint + "/" + bucket + "/" + key
    }

    /// The name of `configuration`'s server in cache paths: `host_port` of an explicit
    /// endpoint, else `aws-<region>`.
    static func endpointName(_ configuration: S3Configuration) -> String {
        guard let endpoint = configuration.endpoint, let host = endpoint.host else { return "aws-" + configuration.region }
        let name = endpoint.port.map { host + "_" + String($0) } ?? host
        return String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    /// The bytes kept at `path`, or nil when there are none (or they cannot be read).
    func load(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    /// Keeps `bytes` at `path`: written to a temporary file beside it, then renamed into place
    /// (replacing whatever stood there). Throws a `SpecimenError` naming the path when the
    /// local disk refuses.
    func store(_ bytes: [UInt8], at path: String) throws {
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        try makeFolders(parent)
        let temporary = parent + "/.tmp-" + String(getpid()) + "-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("create", temporary, errno: errno) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let code = errno
                close(fd)
                unlink(temporary)
                throw Self.failure("write", temporary, errno: code)
            }
            done += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Self.failure("rename into", path, errno: code)
        }
    }

    /// Removes the entry at `path` (a damaged one), if any.
    func remove(_ path: String) { unlink(path) }

    /// An error of the local disk, naming the path and the cache's folder.
    private static func failure(_ operation: String, _ path: String, errno code: Int32) -> SpecimenError {
        SpecimenError(.fileSystem, "cannot \(operation) \(path): \(String(cString: strerror(code)))", path: path,
                      recovery: "Check the cache folder's space and permissions, point SPECIMEN_CACHE elsewhere, or read with --no-cache")
    }

    /// `mkdir -p`.
    private func makeFolders(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
        if let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try makeFolders(String(path[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Self.failure("create the cache folder", path, errno: errno) }
    }
}
