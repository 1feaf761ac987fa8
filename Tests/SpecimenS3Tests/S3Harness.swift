import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import InteropSupport
import SpecimenS3

/// A real S3 API for the tests: `Tests/InteropScripts/s3_server.py` runs moto (with IAM
/// authentication on, so signatures are checked) behind a proxy that serializes writes and
/// injects faults on request. One server serves the whole test run; each test makes its own
/// bucket, so tests run in parallel without seeing each other's faults or objects.
///
/// The server is started with the project's Python (`$SPECIMEN_PYTHON`, else `.venv`). When
/// Python or moto is missing the tests fail and say to run `scripts/python-env`: they never
/// skip (in CI, `CI=true`, nor anywhere else).
final class S3Harness: @unchecked Sendable {
    /// Why the server could not be started.
    struct Failure: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    /// The one server of the test run, started on first use.
    static let shared: Result<S3Harness, any Error> = Result { try S3Harness() }

    /// The shared server, or the reason it could not start.
    static func get() throws -> S3Harness { try shared.get() }

    /// The proxy's port on 127.0.0.1.
    let port: Int
    /// The port of the same proxy over TLS with a self-signed certificate no client trusts.
    let tlsPort: Int
    /// The access key ID moto knows.
    let accessKeyID: String
    /// Its secret.
    let secretAccessKey: String
    private let process: Process
    private let input: Pipe

    private init() throws {
        let python = Python.interpreter
        let hint = "The S3 tests need moto[server] in the project's Python environment: run scripts/python-env (it installs scripts/requirements.txt into .venv), or set SPECIMEN_PYTHON."
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "\(python) is missing. \(hint)")
        }
        let check = try ProcessResult.run(python, ["-c", "import moto.server, moto.s3, flask"])
        guard check.status == 0 else {
            throw Failure(description: "moto is not installed for \(python): \(check.stderrText.split(separator: "\n").last ?? ""). \(hint)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Python.scriptsFolder.appendingPathComponent("s3_server.py").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for "READY <port> <access key> <secret> <TLS port>".
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(60)
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard process.isRunning, Date() < deadline else {
                    process.terminate()
                    throw Failure(description: "s3_server.py exited or hung before it was ready. \(hint)")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            line += chunk
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 5, words[0] == "READY", let port = Int(words[1]), let tlsPort = Int(words[4]) else {
            process.terminate()
            throw Failure(description: "s3_server.py said \(String(decoding: line, as: UTF8.self)) instead of READY")
        }
        self.port = port
        self.tlsPort = tlsPort
        self.accessKeyID = String(words[2])
        self.secretAccessKey = String(words[3])
        self.process = process
        self.input = input
    }

    /// The endpoint clients talk to: the proxy.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// A fresh bucket with versioning on, named after `name` and made unique.
    func makeBucket(_ name: String) throws -> String {
        let bucket = "t-\(name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30))-\(UInt32.random(in: 0 ... .max))"
        _ = try control("POST", "bucket?name=\(bucket)")
        return bucket
    }

    /// A client of `bucket`, with test-friendly options (short waits between retries).
    func client(_ bucket: String, secret: String? = nil, accessKeyID: String? = nil, endpoint: URL? = nil, configure: (inout S3Options) -> Void = { _ in }) throws -> S3Client {
        var options = S3Options()
        options.baseRetryDelay = 0.01
        options.maximumRetryDelay = 0.1
        options.requestTimeout = 5
        configure(&options)
        let credentials = S3Credentials(accessKeyID: accessKeyID ?? self.accessKeyID, secretAccessKey: secret ?? secretAccessKey, source: "test")
        return try S3Client(bucket: bucket, configuration: try S3Configuration(region: "us-east-1", endpoint: endpoint ?? self.endpoint, credentials: credentials, options: options))
    }

    /// A fault rule for the proxy.
    struct Fault: Encodable {
        var bucket: String
        var method: String
        var fault: String
        var count = 1
        var after = false
        var key: String? = nil
        var query: String? = nil
        var seconds: Double? = nil
        var status: Int? = nil
        var body: String? = nil
        var length: Int? = nil
        var headers: [String: String]? = nil
    }

    /// Schedules faults: each rule hits the next `count` matching requests.
    func inject(_ faults: [Fault]) throws {
        _ = try control("POST", "faults", body: try JSONEncoder().encode(faults))
    }

    /// A request the proxy saw.
    struct LoggedRequest: Decodable {
        var method: String
        var key: String
        var query: String
        var fault: String?
        var after: Bool
        var status: Int?
    }

    /// Every request the proxy saw for `bucket`, in order.
    func log(_ bucket: String) throws -> [LoggedRequest] {
        try JSONDecoder().decode([LoggedRequest].self, from: Data(try control("GET", "log?bucket=\(bucket)")))
    }

    /// How many versions `key` has in `bucket`.
    func versions(_ bucket: String, _ key: String) throws -> Int {
        struct Answer: Decodable { var versions: Int }
        let escaped = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key
        return try JSONDecoder().decode(Answer.self, from: Data(try control("GET", "versions?bucket=\(bucket)&key=\(escaped)"))).versions
    }

    /// Creates `count` objects `<prefix>00000`… directly in moto (not through the proxy).
    func seed(_ bucket: String, prefix: String, count: Int) throws {
        _ = try control("POST", "seed?bucket=\(bucket)&prefix=\(prefix)&count=\(count)")
    }

    private func control(_ method: String, _ path: String, body: Data? = nil) throws -> [UInt8] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/__harness/\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 60
        nonisolated(unsafe) var outcome: (Data?, URLResponse?, (any Error)?)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            outcome = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = outcome.2 { throw Failure(description: "harness \(path): \(error)") }
        let status = (outcome.1 as? HTTPURLResponse)?.statusCode ?? 0
        let bytes = [UInt8](outcome.0 ?? Data())
        guard status == 200 else { throw Failure(description: "harness \(path): HTTP \(status) \(String(decoding: bytes, as: UTF8.self))") }
        return bytes
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
