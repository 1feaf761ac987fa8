/// An object as a listing shows it.
public struct S3ListedObject: Sendable, Hashable {
    /// The full key.
    public var key: String
    /// The size in bytes.
    public var size: Int
    /// The entity tag, without quotes.
    public var etag: String?
    /// When it was last modified, as S3 writes it (ISO 8601).
    public var lastModified: String?

    /// Creates a listed object.
    public init(key: String, size: Int, etag: String? = nil, lastModified: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}
