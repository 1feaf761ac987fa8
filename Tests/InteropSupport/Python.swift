public import Foundation

/// Runs the interop scripts of `Tests/InteropScripts/` with the project's Python environment.
///
/// The interpreter is `$SPECIMEN_PYTHON` (set by `scripts/test`), else `.venv/bin/python` in the
/// repository. When neither exists, or a script fails, `run` throws: interop tests never skip.
public enum Python {
    /// The repository's root folder.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the committed interop scripts.
    public static let scriptsFolder = repositoryRoot.appendingPathComponent("Tests/InteropScripts")

    /// The Python interpreter the interop tests use.
    public static var interpreter: String {
        if let path = ProcessInfo.processInfo.environment["SPECIMEN_PYTHON"], !path.isEmpty { return path }
        return repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Why an interop script could not run or failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the script's standard error.
        public var description: String
    }

    /// Runs `Tests/InteropScripts/<script>` with `arguments`, feeding `input` on standard input,
    /// and returns its standard output. Throws when Python is missing or the script exits non-zero.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = [], input: [UInt8] = []) throws -> [UInt8] {
        try runProcess(interpreter, [scriptsFolder.appendingPathComponent(script).path] + arguments, input: input)
    }

    /// Runs Python code given inline, with `arguments` in `sys.argv[1:]`.
    @discardableResult
    public static func run(code: String, _ arguments: [String] = [], input: [UInt8] = []) throws -> [UInt8] {
        try runProcess(interpreter, ["-c", code] + arguments, input: input)
    }

    /// Runs any executable and returns its standard output; throws on a non-zero exit.
    @discardableResult
    public static func runProcess(_ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil) throws -> [UInt8] {
        let result = try ProcessResult.run(executable, arguments, input: input, environment: environment)
        guard result.status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.stderrText)")
        }
        return result.stdout
    }
}

/// The outcome of running a child process: status, standard output and standard error.
public struct ProcessResult: Sendable {
    /// The exit status, or 128 + signal number when the child was killed by a signal.
    public var status: Int32
    /// Everything the child wrote to standard output.
    public var stdout: [UInt8]
    /// Everything the child wrote to standard error.
    public var stderr: [UInt8]

    /// Standard output as UTF-8 text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Runs `executable` to completion; fails only when it cannot be started.
    public static func run(_ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil, currentDirectory: String? = nil) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Python.Failure(description: "\(executable) is missing; run scripts/test (it creates .venv with the pinned Python packages) or set SPECIMEN_PYTHON")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let writer = Thread {
            if !input.isEmpty { inPipe.fileHandleForWriting.write(Data(input)) }
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        // Drain stderr concurrently so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }.start()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(status: status, stdout: [UInt8](outData), stderr: [UInt8](errData))
    }
}

/// A fresh temporary folder for one test, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    /// The folder's URL.
    public let url: URL
    /// The folder's path.
    public var path: String { url.path }

    /// Creates a new empty folder under the system's temporary directory.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit {
        // Make read-only files removable (sealed runs are read-only) before removing.
        if let enumerator = FileManager.default.enumerator(atPath: url.path) {
            for case let relative as String in enumerator {
                chmod(url.appendingPathComponent(relative).path, 0o755)
            }
        }
        try? FileManager.default.removeItem(at: url)
    }
}
