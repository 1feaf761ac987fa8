import Parallel
public import Specimens

/// Where the command line finds the storage of a location: the local disk for a path, and for
/// an `s3://` address the backend its executable registered.
///
/// `specimen` links no networking, so that every command starts as fast as a process can:
/// FoundationNetworking pulls in some 35 shared libraries (libcurl, OpenSSL, Kerberos, …)
/// and the dynamic loader would spend about 7 ms on them in every process. `specimen` hands a
/// command that names an `s3://` address to `specimen-s3`, which is the same command line with
/// the S3 backend registered here.
public enum StorageLocator {
    /// Makes the storage for an `s3://` location.
    public typealias Remote = @Sendable (String) throws -> any StorageBackend

    private static let lock = Lock()
    /// Set once by the executable's `main` before any command runs, and read under `lock`.
    nonisolated(unsafe) private static var remote: Remote?

    /// Whether storage opened from now on may keep sealed runs' files in the local cache;
    /// `--no-cache` sets it to false. The registered backend reads it when it makes a storage.
    public static var usesCache: Bool {
        get { lock.withLock { caching } }
        set { lock.withLock { caching = newValue } }
    }
    /// Behind ``usesCache``, read and written under `lock`.
    nonisolated(unsafe) private static var caching = true

    /// Registers the storage for `s3://` locations (`specimen-s3` registers S3).
    public static func register(remote: @escaping Remote) {
        lock.withLock { Self.remote = remote }
    }

    /// Whether `location` is an object-storage address rather than a path.
    public static func isRemote(_ location: String) -> Bool { location.hasPrefix("s3://") }

    /// The storage of `location`: the local disk for a path, the registered backend for an
    /// `s3://` address.
    static func storage(for location: String) throws -> any StorageBackend {
        guard isRemote(location) else { return LocalStorage.shared }
        guard let remote = lock.withLock({ Self.remote }) else {
            throw CommandFailure("\(location): this specimen binary has no S3 support; s3:// addresses are handled by specimen-s3",
                                 fix: "Install specimen-s3 beside specimen (swift build -c release --product specimen-s3), or run specimen-s3 itself")
        }
        return try remote(location)
    }

    /// Opens the existing specimen at `location`.
    static func specimen(_ location: String) throws -> Specimen {
        try Specimen(at: location, storage: storage(for: location))
    }

    /// Opens the root of specimens at `location`.
    static func root(_ location: String) throws -> SpecimenRoot {
        try SpecimenRoot(at: location, storage: storage(for: location))
    }
}
