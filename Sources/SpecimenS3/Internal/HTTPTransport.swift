import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Parallel

/// Blocking HTTP requests over one `URLSession` (FoundationNetworking's, libcurl underneath on
/// Linux; Apple's on macOS).
///
/// Chosen over swift-nio's async-http-client for build time: FoundationNetworking ships with
/// the toolchain and adds seconds to a build, where async-http-client and swift-nio add
/// minutes on a small machine; S3 needs only plain HTTP/1.1 requests with a body in memory.
///
/// Each call blocks its thread until the response is complete; calls from many threads run at
/// once (the session keeps a pool of connections). The body is collected by the session's
/// delegate so that a declared `Content-Length` over the caller's limit cancels the request
/// before anything is read, and a body that grows past it is cancelled while reading; a body
/// shorter than its `Content-Length` is reported as truncated. Redirects are not followed
/// (S3's 301 means a wrong region, and a redirected request's signature would not match).
/// Certificates are verified by the session's defaults; nothing here relaxes them.
final class HTTPTransport: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// A complete response.
    struct Response: Sendable {
        /// The HTTP status.
        var status: Int
        /// The headers, names lowercased.
        var headers: [String: String]
        /// The body.
        var body: [UInt8]
    }

    /// Why a request got no complete response.
    struct Failure: Error, Sendable {
        /// What kind of failure.
        enum Kind: Sendable { case timedOut, connection, tooLarge, truncated, other }
        /// What kind of failure.
        var kind: Kind
        /// What happened, for messages.
        var message: String
        /// The session's error, if any.
        var underlying: (any Error & Sendable)?
    }

    /// One request in flight. `@unchecked`: touched only under the transport's lock, or by
    /// the delegate's serial queue before `done` is signalled and by the caller after.
    private final class Task: @unchecked Sendable {
        let limit: Int
        let errorLimit: Int
        var activeLimit: Int
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var tooLarge: Int64?
        var error: (any Error)?
        let done = DispatchSemaphore(value: 0)
        init(limit: Int, errorLimit: Int) {
            self.limit = limit
            self.errorLimit = errorLimit
            self.activeLimit = limit
        }
    }

    private let lock = Lock()
    private var tasks: [Int: Task] = [:]
    private var session: URLSession?

    /// Creates a transport whose requests time out after `requestTimeout` seconds without
    /// bytes, and `resourceTimeout` seconds in all.
    init(requestTimeout: TimeInterval, resourceTimeout: TimeInterval, maximumConnections: Int) {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = requestTimeout
        configuration.timeoutIntervalForResource = resourceTimeout
        configuration.httpMaximumConnectionsPerHost = maximumConnections
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    /// Ends the session (it holds its delegate, this transport, until then).
    func invalidate() {
        lock.withLock { session }?.invalidateAndCancel()
    }

    /// Sends `request` and waits for the whole response, reading at most `limit` body bytes
    /// of a 2xx response and `errorLimit` of any other (an error body).
    func perform(_ request: URLRequest, limit: Int, errorLimit: Int) -> Result<Response, Failure> {
        guard let session = lock.withLock({ session }) else {
            return .failure(Failure(kind: .other, message: "the client was closed"))
        }
        let state = Task(limit: limit, errorLimit: errorLimit)
        let task = session.dataTask(with: request)
        lock.withLock { tasks[task.taskIdentifier] = state }
        task.resume()
        state.done.wait()
        lock.withLock { tasks[task.taskIdentifier] = nil }

        if let declared = state.tooLarge {
            let limit = state.activeLimit
            return .failure(Failure(kind: .tooLarge, message: "the response has \(declared < 0 ? "more than \(limit)" : String(declared)) bytes, more than the limit of \(limit)"))
        }
        if let error = state.error {
            return .failure(Self.classify(error))
        }
        guard let response = state.response else {
            return .failure(Failure(kind: .other, message: "no HTTP response"))
        }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        if request.httpMethod != "HEAD", response.statusCode != 204, response.statusCode != 304, headers["content-encoding"] == nil,
           let text = headers["content-length"], let declared = Int(text), declared != state.body.count {
            return .failure(Failure(kind: .truncated, message: "the response ended after \(state.body.count) of its \(declared) bytes"))
        }
        return .success(Response(status: response.statusCode, headers: headers, body: state.body))
    }

    private static func classify(_ error: any Error) -> Failure {
        guard let error = error as? URLError else {
            return Failure(kind: .connection, message: "\(error)", underlying: error)
        }
        switch error.code {
        case .timedOut:
            return Failure(kind: .timedOut, message: "no answer within the request timeout", underlying: error)
        case .networkConnectionLost, .cannotConnectToHost, .notConnectedToInternet, .badServerResponse, .cannotParseResponse, .zeroByteResource, .resourceUnavailable,
             .unknown:   // libcurl's "transfer closed with n bytes remaining", among others
            return Failure(kind: .connection, message: "the connection failed (\(error.code.rawValue)): \(error.localizedDescription)", underlying: error)
        case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid,
             .secureConnectionFailed, .clientCertificateRejected, .clientCertificateRequired:
            return Failure(kind: .other, message: "the TLS connection was refused: the server's certificate could not be verified or the handshake failed (\(error.code.rawValue)): \(error.localizedDescription)", underlying: error)
        default:
            return Failure(kind: .other, message: "the request failed (\(error.code.rawValue)): \(error.localizedDescription)", underlying: error)
        }
    }

    private func state(_ task: URLSessionTask) -> Task? { lock.withLock { tasks[task.taskIdentifier] } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let state = state(dataTask) else { completionHandler(.cancel); return }
        let http = response as? HTTPURLResponse
        state.response = http
        state.activeLimit = (200 ..< 300).contains(http?.statusCode ?? 0) ? state.limit : state.errorLimit
        if response.expectedContentLength > Int64(state.activeLimit) {
            state.tooLarge = response.expectedContentLength
            completionHandler(.cancel)
            return
        }
        // The declared length (within the limit, checked above) is reserved at once: the body
        // then never grows by copying itself into fresh memory, chunk after chunk.
        if response.expectedContentLength > 0 { state.body.reserveCapacity(Int(response.expectedContentLength)) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = state(dataTask), state.tooLarge == nil else { return }
        if data.count > state.activeLimit - state.body.count {
            state.tooLarge = -1
            dataTask.cancel()
            return
        }
        state.body.append(contentsOf: data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let state = state(task) else { return }
        if let error, state.tooLarge == nil { state.error = error }
        // A redirect that was not followed (3xx) is not passed to `didReceive response`.
        if state.response == nil { state.response = task.response as? HTTPURLResponse }
        state.done.signal()
    }
}
