#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack

/// A scratch folder of specimens for CLI tests: specimens with protocols, the CLI started in
/// the background, waits for marker files, JSON output parsed.
final class SpecimenFixture {
    let folder: TemporaryFolder
    var root: String { folder.path + "/specimens" }

    init() throws {
        folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// `specimen new <name>` then the protocol file `protocol.<ext>` replaced by `text`.
    @discardableResult
    func specimen(_ name: String, protocolFile: String? = "protocol.py", _ text: String = "") throws -> String {
        let result = try run(["new", name, "--protocol", "none"])
        guard result.status == 0 else { throw FixtureError("specimen new failed: \(result.stderrText)") }
        let path = root + "/" + name
        if let protocolFile { try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + protocolFile)) }
        return path
    }

    /// Runs `specimen arguments… --root <root>` in the scratch folder.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try CLI.run(arguments + ["--root", root], in: folder.path, environment: environment)
    }

    /// Starts `specimen arguments…` in the background, output discarded.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments + ["--root", root]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits up to `seconds` for `path` to exist.
    func waitFor(_ path: String, seconds: Double = 20) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !FileManager.default.fileExists(atPath: path) {
            if Date() > deadline { throw FixtureError("timed out waiting for \(path)") }
            usleep(20_000)
        }
    }

    /// The run IDs of specimen `name`, oldest first.
    func runs(_ name: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/" + name + "/runs").filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The run's manifest.
    func manifest(_ name: String, _ run: String) throws -> MessagePackValue {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(name)/runs/\(run)/manifest.msgpack"))
        return try MessagePackValue(decoding: [UInt8](data))
    }

    /// stdout parsed as one JSON object.
    static func json(_ result: ProcessResult) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] else {
            throw FixtureError("stdout is not a JSON object: \(result.stdoutText)")
        }
        return object
    }
}

/// A fixture's failure.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
