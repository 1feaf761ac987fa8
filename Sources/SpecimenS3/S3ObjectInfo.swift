/// What `HEAD` tells of an object.
public struct S3ObjectInfo: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// The object's size in bytes.
    public var size: Int
    /// The entity tag, without quotes (an MD5 for single-part uploads without KMS; otherwise opaque).
    public var etag: String?
    /// The `Last-Modified` header as sent (an HTTP date).
    public var lastModified: String?
    /// The version ID, on a bucket with versioning.
    public var versionID: String?
    /// The user metadata (`x-amz-meta-*` headers), names lowercased without the prefix.
    public var metadata: [String: String]

    /// The SHA-256 of the content as lowercase hex, as this client records it at upload
    /// (`x-amz-meta-sha256`); nil for objects written by others.
    public var sha256: String? { metadata[S3Client.sha256MetadataName] }

    /// Creates a description of an object.
    public init(key: String, size: Int, etag: String? = nil, lastModified: String? = nil, versionID: String? = nil, metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.versionID = versionID
        self.metadata = metadata
    }
}
