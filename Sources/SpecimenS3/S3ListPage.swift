/// One page of a ListObjectsV2 listing.
public struct S3ListPage: Sendable, Hashable {
    /// The objects on this page, in key order.
    public var objects: [S3ListedObject]
    /// The common prefixes (the "folders" when listing with a delimiter), each ending with it.
    public var commonPrefixes: [String]
    /// The token that asks for the next page, when the listing is truncated.
    public var nextContinuationToken: String?

    /// Creates a page.
    public init(objects: [S3ListedObject] = [], commonPrefixes: [String] = [], nextContinuationToken: String? = nil) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }
}

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
