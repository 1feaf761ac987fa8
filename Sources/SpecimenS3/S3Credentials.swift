/// An access key pair (and, for temporary credentials, a session token) that signs requests.
///
/// The secret and the token never appear in a description, a mirror, an error or a log:
/// `print(credentials)` shows the access key ID only.
///
/// ```swift
/// let credentials = S3Credentials(accessKeyID: "AKIA…", secretAccessKey: secret)
/// print(credentials)   // S3Credentials(accessKeyID: AKIA…, secretAccessKey: <redacted>)
/// ```
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key ID (not a secret: it names the key, and S3 echoes it in errors).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials (sent as `x-amz-security-token`), if any.
    public var sessionToken: String?
    /// Where the credentials came from, e.g. `environment` or `profile default in ~/.aws/credentials`.
    public var source: String

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "given") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The access key ID and where it came from; the secret and the token are redacted.
    public var description: String {
        "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>") + ", source: \(source))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secret or the token, so `dump` and debuggers do not show them.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "source": source], displayStyle: .struct)
    }
}
