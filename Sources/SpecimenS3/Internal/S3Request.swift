/// One S3 API call as the client sends it, before signing.
struct S3Request: Sendable {
    /// The S3 operation's name, for errors (e.g. `PutObject`).
    var operation: String
    /// The HTTP method.
    var method: String
    /// The object key, or nil for a request on the bucket.
    var key: String?
    /// The query parameters, not encoded.
    var query: [(name: String, value: String)] = []
    /// Extra headers to sign and send (not `host`, `x-amz-date`, `x-amz-content-sha256`).
    var headers: [(name: String, value: String)] = []
    /// The body.
    var body: [UInt8] = []
    /// The body's SHA-256 as lowercase hex, when the caller computed it already.
    var bodySHA256: String?
    /// The largest body of a 2xx response to read (error bodies are capped by
    /// ``S3Options/maximumResponseSize``).
    var responseLimit: Int
    /// HTTP statuses besides 2xx that the caller handles itself (e.g. 404 for HEAD, 412 for a
    /// conditional create).
    var expectedStatuses: Set<Int> = []
    /// Whether sending the request twice does no harm (every S3 call this client makes is, or
    /// is made safe, like a conditional create, by the caller's check).
    var idempotent = true
}

/// A response the caller asked for, and whether the request was sent more than once.
struct S3Response: Sendable {
    /// The HTTP status.
    var status: Int
    /// The headers, names lowercased.
    var headers: [String: String]
    /// The body.
    var body: [UInt8]
    /// Whether an earlier attempt failed in a way that leaves open whether it took effect
    /// (a lost connection, a timeout, a 5xx): a 412 may then be this client's own write.
    var retried: Bool
}
