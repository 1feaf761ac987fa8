import Foundation
import InteropSupport
import MessagePack
import Parquet
@testable import Specimens

/// Finds and runs the `specimen-testbed` executable built next to the test binary.
enum Testbed {
    /// The testbed's path: next to the test bundle in the build products folder (whatever
    /// `--scratch-path` was), or `$SPECIMEN_TESTBED`.
    static let path: String = {
        if let path = ProcessInfo.processInfo.environment["SPECIMEN_TESTBED"], !path.isEmpty { return path }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var folder = executable.deletingLastPathComponent()
        for _ in 0 ..< 4 {
            candidates.append(folder.appendingPathComponent("specimen-testbed"))
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("specimen-testbed"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
            ?? candidates[0].path
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        env["SPECIMEN_RUN_DIR"] = nil
        for (key, value) in environment { env[key] = value }
        return try ProcessResult.run(path, arguments, environment: env)
    }

    /// Starts the testbed without waiting.
    static func start(_ arguments: [String], environment: [String: String] = [:], stdout: FileHandle? = nil) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestbedMissing(path: path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SPECIMEN_RUN_DIR"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

struct TestbedMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is missing; build it with `swift build --product specimen-testbed` (same --scratch-path)" }
}

/// Options for tests: a short flush interval and no git lookup.
func testOptions(flush: Double = 0.05) -> SpecimenStorage.Options {
    var options = SpecimenStorage.Options()
    options.flushInterval = flush
    options.recordGit = false
    options.joinEnvironmentRun = false
    options.sealAtExit = false
    return options
}

func readManifest(_ runFolder: String) throws -> MessagePackValue {
    try MessagePackValue(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: runFolder + "/manifest.msgpack"))))
}

func int64s(_ column: Column?) -> [Int64?] {
    guard let column else { return [] }
    return (0 ..< column.count).map { index -> Int64? in
        if case .int(let v) = column[index] { return v }
        return nil
    }
}

func doubles(_ column: Column?) -> [Double?] {
    guard let column else { return [] }
    return (0 ..< column.count).map { column[$0].doubleValue }
}

func fileMode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
}

/// A table's columns (`run_id` aside) by name and type, each with its values: for comparing
/// two tables whole.
func tableContents(_ table: Table) -> [String: [Value]] {
    var result: [String: [Value]] = [:]
    for column in table.columns where column.name != "run_id" {
        result[column.name + ":" + column.type.description] = (0 ..< column.count).map { column[$0] }
    }
    return result
}
