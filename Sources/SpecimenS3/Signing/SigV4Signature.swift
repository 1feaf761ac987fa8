/// The result of signing a request: every intermediate the AWS documents show, and the headers
/// to send.
public struct SigV4Signature: Sendable {
    /// The canonical request (method, URI, query, headers, signed header names, payload hash).
    public var canonicalRequest: String
    /// `AWS4-HMAC-SHA256`, the timestamp, the credential scope and the canonical request's hash.
    public var stringToSign: String
    /// The signature, as lowercase hex.
    public var signature: String
    /// The `Authorization` header's value. It names the access key ID, never the secret.
    public var authorization: String
    /// The request's headers with `x-amz-date`, `x-amz-security-token` (for temporary
    /// credentials) and `Authorization` added: what to send.
    public var headers: [(name: String, value: String)]
}
