import Foundation
import InteropSupport

/// Runs the built `specimen` binary, which sits beside the test bundle in the build folder.
enum CLI {
    /// The `specimen` executable of this build.
    static let binary: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = folder.appendingPathComponent("specimen").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Python.repositoryRoot.appendingPathComponent(".build/debug/specimen").path
    }()

    /// Runs `specimen arguments…` and returns status, stdout and stderr.
    static func run(_ arguments: [String], in folder: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = nil
        for (key, value) in environment { env[key] = value }
        return try ProcessResult.run(binary, arguments, environment: env, currentDirectory: folder)
    }
}
