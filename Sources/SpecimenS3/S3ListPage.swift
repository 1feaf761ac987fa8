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
