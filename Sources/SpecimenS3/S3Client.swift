public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A synchronous client for one S3 bucket: GET (whole or a range), HEAD, PUT (unconditional
/// or a conditional create with `If-None-Match: *`, in parts above a threshold), DELETE,
/// ListObjectsV2 with pagination, and parallel GETs; every request signed with SigV4 and
/// retried with exponential backoff and full jitter when that is safe.
///
/// ```swift
/// let configuration = try S3Configuration.fromEnvironment()
/// let root = try S3Address(parsing: "s3://my-bucket/specimens")
/// let client = try S3Client(bucket: root.bucket, configuration: configuration)
/// switch try client.create(try root.key("mnist/runs/20250101_120000/.claim"), Array("writer-7".utf8)) {
/// case .created: print("the run ID is ours")
/// case .alreadyExists: print("someone else took it")
/// }
/// let names = try client.list(prefix: try root.key("mnist/runs") + "/", delimiter: "/").commonPrefixes
/// ```
///
/// Synchronous because the store that uses it is: its calls come from the store's own threads
/// (never from Swift concurrency's cooperative pool), so blocking a thread per request costs
/// nothing there, and an async API would need a bridge at every call. Calls are thread-safe;
/// ``getMany(_:limit:parallelism:)`` and multipart uploads run requests on several threads
/// through the package's `Parallel`.
///
/// Retries: a request is retried (up to ``S3Options/maximumAttempts`` in all) after a lost or
/// reset connection, a timeout, a truncated body, HTTP 500/502/503/504 and 429, and the S3
/// codes `SlowDown`, `InternalError`, `RequestTimeout`, the throttling codes and
/// `ConditionalRequestConflict`/`OperationAborted` (409). Every call this client makes may be
/// repeated without harm; conditional creates are made safe by checking, when a retry meets
/// 412, whether the object there is this call's own (see ``create(_:_:metadata:)``).
public final class S3Client: Sendable {
    /// The bucket this client works on.
    public let bucket: String
    /// The configuration: region, endpoint, credentials, options.
    public let configuration: S3Configuration

    let signer: SigV4Signer
    let transport: HTTPTransport

    /// The user-metadata name under which uploads record their content's SHA-256 (lowercase
    /// hex): `x-amz-meta-sha256`.
    public static let sha256MetadataName = "sha256"

    /// Creates a client for `bucket`; throws `.invalidAddress` for an invalid bucket name and
    /// `.configuration` for plain HTTP to AWS's own endpoints.
    public init(bucket: String, configuration: S3Configuration) throws {
        try S3Address.validateBucket(bucket)
        if let endpoint = configuration.endpoint, endpoint.scheme?.lowercased() == "http", endpoint.host?.hasSuffix(".amazonaws.com") == true {
            throw S3Error(.configuration, operation: "Configure", bucket: bucket, message: "plain HTTP to AWS (\(endpoint.absoluteString)) is not allowed; use https://")
        }
        self.bucket = bucket
        self.configuration = configuration
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        let options = configuration.options
        self.transport = HTTPTransport(
            requestTimeout: options.requestTimeout, resourceTimeout: options.resourceTimeout,
            maximumConnections: max(options.readParallelism, options.uploadParallelism) * 2)
    }

    deinit { transport.invalidate() }

    /// The unsigned URL of the object at `key` (virtual-hosted style on AWS,
    /// `https://bucket.s3.region.amazonaws.com/key`; path style on an explicit endpoint or for
    /// a bucket name with dots), for messages and logs.
    public func url(for key: String) throws -> URL {
        try S3Address.validateKey(key, bucket: bucket)
        let location = configuration.location(bucket: bucket)
        guard let url = URL(string: location.base + SigV4Signer.canonicalURI(location.pathPrefix + "/" + key)) else {
            throw S3Error(.invalidKey, operation: "URL", bucket: bucket, key: key, message: "no URL can be formed for the key")
        }
        return url
    }

    // MARK: Sending

    /// Signs and sends `request`, retrying what may be retried; returns 2xx responses and
    /// those in `expectedStatuses`, throws an ``S3Error`` for the rest.
    func send(_ request: S3Request) throws -> S3Response {
        let options = configuration.options
        let attempts = max(1, options.maximumAttempts)
        var retried = false
        var attempt = 0
        while true {
            attempt += 1
            let lastAttempt = attempt >= attempts || !request.idempotent
            let result = transport.perform(try urlRequest(for: request), limit: request.responseLimit, errorLimit: options.maximumResponseSize)
            switch result {
            case .success(let response):
                if (200 ..< 300).contains(response.status) || request.expectedStatuses.contains(response.status) {
                    // S3 may answer CompleteMultipartUpload (and copies) with 200 and an error body.
                    if response.status == 200, request.method == "POST", let failure = errorFromBody(response, request, okStatus: true) {
                        if failure.retryable && !lastAttempt { retried = true; backoff(attempt); continue }
                        throw failure.error
                    }
                    return S3Response(status: response.status, headers: response.headers, body: response.body, retried: retried)
                }
                let failure = errorFromBody(response, request, okStatus: false)!
                if failure.retryable && !lastAttempt { retried = true; backoff(attempt); continue }
                throw failure.error
            case .failure(let failure):
                let retryable = failure.kind != .tooLarge && failure.kind != .other
                if retryable && !lastAttempt { retried = true; backoff(attempt); continue }
                let code: S3Error.Code = switch failure.kind {
                case .timedOut: .timedOut
                case .tooLarge: .responseTooLarge
                default: .network
                }
                let tries = attempt > 1 ? " (after \(attempt) attempts)" : ""
                throw S3Error(code, operation: request.operation, bucket: bucket, key: request.key, message: failure.message + tries, underlying: failure.underlying)
            }
        }
    }

    /// Sleeps before retry `attempt + 1`: uniformly random up to base × 2^(attempt−1), capped.
    private func backoff(_ attempt: Int) {
        let options = configuration.options
        let ceiling = min(options.maximumRetryDelay, options.baseRetryDelay * pow(2, Double(min(attempt - 1, 30))))
        guard ceiling > 0 else { return }
        Thread.sleep(forTimeInterval: Double.random(in: 0 ... ceiling))
    }

    /// The signed `URLRequest` of `request`, dated now.
    private func urlRequest(for request: S3Request) throws -> URLRequest {
        let location = configuration.location(bucket: bucket)
        let path: String
        if let key = request.key {
            path = location.pathPrefix + "/" + key
        } else {
            path = location.pathPrefix.isEmpty ? "/" : location.pathPrefix
        }
        let payloadHash: String
        if configuration.options.signsPayload || request.body.isEmpty {
            payloadHash = request.body.isEmpty ? SigV4Request.emptyPayloadHash : (request.bodySHA256 ?? SigV4Signer.sha256Hex(request.body))
        } else {
            payloadHash = SigV4Request.unsignedPayload
        }
        var headers: [(name: String, value: String)] = [("host", location.host), ("x-amz-content-sha256", payloadHash)]
        headers += request.headers
        let signed = signer.sign(SigV4Request(method: request.method, path: path, query: request.query, headers: headers, payloadHash: payloadHash), at: Date())

        let query = SigV4Signer.canonicalQuery(request.query)
        let text = location.base + SigV4Signer.canonicalURI(path) + (query.isEmpty ? "" : "?" + query)
        guard let url = URL(string: text) else {
            throw S3Error(.invalidKey, operation: request.operation, bucket: bucket, key: request.key, message: "the request URL could not be formed")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for (name, value) in signed.headers where name != "host" {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if !request.body.isEmpty || request.method == "PUT" || request.method == "POST" {
            urlRequest.httpBody = Data(request.body)
            if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                urlRequest.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            }
        }
        return urlRequest
    }

    // MARK: Errors

    /// The error an S3 response stands for, and whether it may be retried; nil when a 200's
    /// body is not an error.
    private func errorFromBody(_ response: HTTPTransport.Response, _ request: S3Request, okStatus: Bool) -> (error: S3Error, retryable: Bool)? {
        let root = S3XMLElement.parse(response.body)
        if okStatus {
            guard let root, root.name == "Error" else { return nil }
        }
        let s3Code = root?.name == "Error" ? root?.text("Code").map(Self.clean) : nil
        var message = root?.name == "Error" ? root?.text("Message").map(Self.clean) ?? "" : ""
        let requestID = (root?.name == "Error" ? root?.text("RequestId") : nil) ?? response.headers["x-amz-request-id"]
        let status = response.status
        let region = root?.text("Region") ?? response.headers["x-amz-bucket-region"]

        let throttlingCodes: Set<String> = ["SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests", "RequestLimitExceeded", "RequestThrottledException", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded"]
        let transientCodes: Set<String> = ["InternalError", "ServiceUnavailable", "RequestTimeout", "ConditionalRequestConflict", "OperationAborted", "RequestTimeoutException", "PriorRequestNotComplete"]
        let authenticationCodes: Set<String> = ["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "RequestTimeTooSkewed", "InvalidSecurity", "MissingSecurityHeader"]

        let code: S3Error.Code
        var retryable = false
        if status == 429 || status == 503 || s3Code.map(throttlingCodes.contains) == true {
            code = .throttled; retryable = true
        } else if let s3Code, transientCodes.contains(s3Code) {
            code = status == 409 ? .conflict : .serverError; retryable = true
        } else if [500, 502, 504].contains(status) || status >= 500 {
            code = .serverError; retryable = [500, 502, 504].contains(status)
        } else if status == 301 || status == 307 || s3Code == "PermanentRedirect" || s3Code == "AuthorizationHeaderMalformed" || s3Code == "IllegalLocationConstraintException" {
            code = .wrongRegion
            if let region { message += (message.isEmpty ? "" : " ") + "The bucket is in \(Self.clean(region)), requests are signed for \(configuration.region)." }
        } else if let s3Code, authenticationCodes.contains(s3Code) {
            code = .authentication
        } else if status == 403 {
            code = .accessDenied
        } else if s3Code == "NoSuchBucket" {
            code = .noSuchBucket
        } else if status == 404 {
            code = .notFound
        } else if status == 409 {
            code = .conflict
        } else if status == 412 {
            code = .preconditionFailed
        } else if status == 416 {
            code = .invalidRange
        } else if okStatus {
            code = .serverError; retryable = s3Code.map { transientCodes.contains($0) } ?? false
        } else {
            code = .http
        }
        if message.isEmpty {
            message = response.body.isEmpty || root != nil ? "S3 answered HTTP \(status)" : "S3 answered HTTP \(status) with a body that is not S3's XML"
        }
        let error = S3Error(code, operation: request.operation, bucket: bucket, key: request.key, httpStatus: status, s3Code: s3Code, requestID: requestID.map(Self.clean), message: message)
        return (error, retryable)
    }

    /// Text from a response, for a message: control characters dropped, at most 500 characters.
    static func clean(_ text: String) -> String {
        let scalars = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(500)
        return String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
    }
}
