/// What AWS Signature Version 4 signs of an HTTP request: method, path, query, headers and the
/// payload's hash.
public struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The path, not percent-encoded (`/bucket/my key`): the signer encodes each segment
    /// once, as S3 wants, and never normalizes `.`, `..` or `//` (S3 does not).
    public var path: String
    /// The query parameters, not percent-encoded, in any order (a parameter without a value,
    /// such as `uploads`, has an empty value).
    public var query: [(name: String, value: String)]
    /// The headers to sign (and send), names in any case; `host` must be among them.
    public var headers: [(name: String, value: String)]
    /// The payload's SHA-256 as lowercase hex, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    /// Creates a request to sign.
    public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)], payloadHash: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// The SHA-256 of an empty payload.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash of a request whose payload is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
}
