/// The error every call of `SpecimenS3` throws: what went wrong, on which bucket and key, what
/// S3 answered (HTTP status, S3 error code, request ID) and what to check.
///
/// ```swift
/// do {
///     _ = try client.get("runs/20250101_120000/manifest.msgpack")
/// } catch let error as S3Error {
///     print(error)   // S3 GetObject s3://bucket/runs/…: HTTP 403 SignatureDoesNotMatch: … Check the secret access key …
///     if error.code == .notFound { … }
/// }
/// ```
///
/// No error ever holds a secret: messages are built from the operation, the address, the status
/// and the `Code`/`Message` elements of S3's XML error body (never its `StringToSign` or
/// `CanonicalRequest` elements, nor any request header).
public struct S3Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem an error is, for code that reacts to some of them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidAddress, invalidKey, configuration, credentials, authentication, accessDenied
            case noSuchBucket, notFound, wrongRegion, throttled, serverError, network, timedOut
            case responseTooLarge, malformedResponse, conflict, preconditionFailed, invalidRange, http
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// An `s3://` address or bucket name is not valid.
        public static let invalidAddress = Code(.invalidAddress)
        /// An object key is empty, too long, or has a control character or a `.`/`..`/empty segment.
        public static let invalidKey = Code(.invalidKey)
        /// The configuration is unusable (an endpoint that is not a URL, plain HTTP to AWS, a
        /// profile that does not exist, an unreadable configuration file).
        public static let configuration = Code(.configuration)
        /// No credentials were found in the environment or the shared files.
        public static let credentials = Code(.credentials)
        /// S3 did not accept the credentials: an unknown access key, a signature that does not
        /// match (a wrong secret), an expired session token, a clock that is far off.
        public static let authentication = Code(.authentication)
        /// The credentials are valid but not allowed to do this (HTTP 403 AccessDenied).
        public static let accessDenied = Code(.accessDenied)
        /// The bucket does not exist.
        public static let noSuchBucket = Code(.noSuchBucket)
        /// The object (or multipart upload) does not exist.
        public static let notFound = Code(.notFound)
        /// The bucket is in another region than the one requests are signed for (HTTP 301, or
        /// an `AuthorizationHeaderMalformed` naming the expected region).
        public static let wrongRegion = Code(.wrongRegion)
        /// S3 asked to slow down (503 SlowDown, 429, throttling codes) and retries ran out.
        public static let throttled = Code(.throttled)
        /// S3 failed (HTTP 5xx) and retries ran out.
        public static let serverError = Code(.serverError)
        /// The connection failed, was reset, or the response was cut short, and retries ran out.
        public static let network = Code(.network)
        /// No answer came within the request timeout, and retries ran out.
        public static let timedOut = Code(.timedOut)
        /// The response is larger than the caller's limit (checked against `Content-Length`
        /// before anything is read, and while reading).
        public static let responseTooLarge = Code(.responseTooLarge)
        /// S3 answered something this client cannot read (malformed XML, a missing element).
        public static let malformedResponse = Code(.malformedResponse)
        /// A conflicting operation on the same key was in progress (409), and retries ran out.
        public static let conflict = Code(.conflict)
        /// A condition other than a conditional create's failed (412).
        public static let preconditionFailed = Code(.preconditionFailed)
        /// A range GET asked for bytes past the end of the object (416).
        public static let invalidRange = Code(.invalidRange)
        /// Any other HTTP error; ``S3Error/httpStatus`` and ``S3Error/s3Code`` tell which.
        public static let http = Code(.http)

        /// The code's name, e.g. `noSuchBucket`.
        public var description: String {
            switch value {
            case .invalidAddress: "invalidAddress"
            case .invalidKey: "invalidKey"
            case .configuration: "configuration"
            case .credentials: "credentials"
            case .authentication: "authentication"
            case .accessDenied: "accessDenied"
            case .noSuchBucket: "noSuchBucket"
            case .notFound: "notFound"
            case .wrongRegion: "wrongRegion"
            case .throttled: "throttled"
            case .serverError: "serverError"
            case .network: "network"
            case .timedOut: "timedOut"
            case .responseTooLarge: "responseTooLarge"
            case .malformedResponse: "malformedResponse"
            case .conflict: "conflict"
            case .preconditionFailed: "preconditionFailed"
            case .invalidRange: "invalidRange"
            case .http: "http"
            }
        }

        /// What the person who sees the error can check.
        var advice: String {
            switch value {
            case .invalidAddress:
                "Write addresses as s3://bucket/prefix; bucket names are 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
            case .invalidKey:
                "Keys are /-separated names of at most 1024 bytes, without control characters and without empty, '.' or '..' segments."
            case .configuration:
                "Check AWS_ENDPOINT_URL_S3/AWS_ENDPOINT_URL (a full URL; http:// only for an explicit endpoint), AWS_PROFILE and the files ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE)."
            case .credentials:
                "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials), or AWS_PROFILE naming a profile with aws_access_key_id and aws_secret_access_key in ~/.aws/credentials."
            case .authentication:
                "Check the credentials: the access key ID and secret access key must belong together, a session token must not have expired, and the machine's clock must be right."
            case .accessDenied:
                "Check that the credentials' policy allows this action on this bucket and key (and the bucket policy too)."
            case .noSuchBucket:
                "Check the bucket name and the endpoint (AWS_ENDPOINT_URL_S3) and region (AWS_REGION): the bucket must exist there."
            case .notFound:
                "Check the key; the object may not have been written yet, or may have been removed."
            case .wrongRegion:
                "Set AWS_REGION to the bucket's region."
            case .throttled:
                "S3 is limiting the request rate: lower the parallelism, or retry later."
            case .serverError:
                "S3 or the endpoint failed: retry later, and check the endpoint's health."
            case .network:
                "Check the network and the endpoint (AWS_ENDPOINT_URL_S3): the connection failed or was cut."
            case .timedOut:
                "Check the network and the endpoint, or raise the request timeout in S3Options."
            case .responseTooLarge:
                "The object is larger than the limit given: raise the limit, or read it in ranges."
            case .malformedResponse:
                "Check that the endpoint is an S3 API (not a website or a proxy's error page)."
            case .conflict:
                "Another writer was working on the same key at the same moment: retry later."
            case .preconditionFailed:
                "The object changed, or exists, contrary to the request's condition."
            case .invalidRange:
                "The range starts past the end of the object: check the object's size first."
            case .http:
                "Check the credentials, the region (AWS_REGION), the endpoint (AWS_ENDPOINT_URL_S3) and the bucket name."
            }
        }
    }

    /// What kind of problem this is.
    public var code: Code
    /// The S3 operation that failed, e.g. `PutObject`, `ListObjectsV2`.
    public var operation: String
    /// The bucket, when known.
    public var bucket: String?
    /// The object key (or prefix, for a listing), when known.
    public var key: String?
    /// The HTTP status S3 answered, when it answered.
    public var httpStatus: Int?
    /// The S3 error code from the XML error body (e.g. `NoSuchKey`, `SlowDown`), when there was one.
    public var s3Code: String?
    /// S3's request ID, for a support case.
    public var requestID: String?
    /// What happened, in a sentence (S3's own `Message` when it sent one).
    public var message: String
    /// What to check or do next; by default the code's advice.
    public var recovery: String
    /// The error that caused this one (a `URLError`, for network failures).
    public var underlying: (any Error & Sendable)?

    /// Creates an error; the client makes these, other code rarely needs to.
    public init(
        _ code: Code, operation: String, bucket: String? = nil, key: String? = nil,
        httpStatus: Int? = nil, s3Code: String? = nil, requestID: String? = nil,
        message: String, underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.httpStatus = httpStatus
        self.s3Code = s3Code
        self.requestID = requestID
        self.message = message
        self.recovery = code.advice
        self.underlying = underlying
    }

    /// The operation, the address, the status and S3 code, what happened and what to check.
    public var description: String {
        var text = "S3 \(operation)"
        if let bucket { text += " s3://\(bucket)" + (key.map { "/\($0)" } ?? "") }
        text += ": "
        if let httpStatus { text += "HTTP \(httpStatus) " }
        if let s3Code { text += "\(s3Code) " }
        if httpStatus != nil || s3Code != nil { text.removeLast(); text += ": " }
        text += message
        if !text.hasSuffix(".") { text += "." }
        if let requestID { text += " (request ID \(requestID))" }
        text += " " + recovery
        if let underlying { text += " (\(underlying))" }
        return text
    }

    /// Errors are equal when everything but the underlying error is.
    public static func == (lhs: S3Error, rhs: S3Error) -> Bool {
        lhs.code == rhs.code && lhs.operation == rhs.operation && lhs.bucket == rhs.bucket && lhs.key == rhs.key
            && lhs.httpStatus == rhs.httpStatus && lhs.s3Code == rhs.s3Code && lhs.message == rhs.message
            && lhs.recovery == rhs.recovery && lhs.requestID == rhs.requestID
    }

    /// Hashes the code, operation, address, status and S3 code.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(operation)
        hasher.combine(bucket)
        hasher.combine(key)
        hasher.combine(httpStatus)
        hasher.combine(s3Code)
    }
}
