import Foundation
import InteropSupport
import Parquet
import SpecimenS3
import Specimens
import Testing

/// Many processes writing one S3 specimen at once, and a writer killed with SIGKILL then
/// recovered by another process: `specimen-testbed` children with credentials and endpoint
/// from the environment.
@Suite struct S3ProcessTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// The `specimen-testbed` executable of this build, beside the test bundle.
    static let testbed: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = folder.appendingPathComponent("specimen-testbed").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Python.repositoryRoot.appendingPathComponent(".build/debug/specimen-testbed").path
    }()

    /// The environment of a child: the harness's credentials and endpoint, no AWS files.
    func environment(home: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in environment.keys where name.hasPrefix("AWS_") || name.hasPrefix("SPECIMEN_") { environment[name] = nil }
        environment["HOME"] = home
        environment["AWS_ACCESS_KEY_ID"] = harness.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = harness.secretAccessKey
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_ENDPOINT_URL"] = harness.endpoint.absoluteString
        return environment
    }

    @Test func thirtyTwoProcessesWriteThirtyTwoRuns() throws {
        let bucket = try harness.makeBucket("procs")
        let client = try harness.client(bucket)
        let home = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let path = "s3://\(bucket)/lab/many"
        let start = Int64(Date().timeIntervalSince1970 * 1e6) + 1_500_000   // all start within one second
        var children: [Process] = []
        var outputs: [Pipe] = []
        for _ in 0 ..< 32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.testbed)
            process.arguments = ["create", path, "5", String(start)]
            process.environment = environment(home: home)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            children.append(process)
            outputs.append(output)
        }
        var ids: [String] = []
        for (process, output) in zip(children, outputs) {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
            ids.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(Set(ids).count == 32)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let specimen = try Specimen(at: path, storage: storage)
        #expect(try specimen.listRuns().map(\.rawValue) == ids.sorted())
        for info in try specimen.runInfos() {
            #expect(info.state == .sealed(.completed))
            #expect(info.rows == 5)
        }
        for object in try client.list(prefix: "").objects {
            #expect(try harness.versions(bucket, object.key) == 1, "\(object.key)")
        }
    }

    @Test func aKilledWriterIsRecoveredByAnotherProcess() throws {
        let bucket = try harness.makeBucket("kill")
        let client = try harness.client(bucket)
        let home = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let path = "s3://\(bucket)/lab/killed"
        let flush = 0.3
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.testbed)
        process.arguments = ["log-forever", path, home + "/progress", String(flush)]
        process.environment = environment(home: home)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Killed once it has logged for a while (a loaded machine may take seconds to start it).
        let started = Date()
        while (try? String(contentsOfFile: home + "/progress", encoding: .utf8))?.isEmpty ?? true, Date().timeIntervalSince(started) < 60 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let killedAt = Date().timeIntervalSince1970
        let id = try RunID(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let logged = try String(contentsOfFile: home + "/progress", encoding: .utf8).split(separator: "\n").count
        #expect(logged > 0)

        // Another storage (a fresh client, nothing cached) finds it crashed and seals it.
        let storage = try S3Storage(client: try harness.client(bucket), root: try S3Address(bucket: bucket))
        let specimen = try Specimen(at: path, storage: storage)
        guard case .crashed = try specimen.runInfo(id).state else {
            Issue.record("expected crashed, got \(try specimen.runInfo(id).state)")
            return
        }
        #expect(try specimen.recover() == [id])
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.crashed))
        let rows = try #require(info.rows)
        #expect(rows > 0 && rows <= logged)
        let table = try specimen.readMetrics(run: id)
        #expect(table.rowCount == rows)
        // Rows lost are at most those of the last flush interval (plus the kill's own delay).
        if let time = table["time"], case .int64(let times) = time.values, let last = times.max() {
            #expect(Double(last) / 1e6 > killedAt - 2 * flush - 1)
        }
        for object in try client.list(prefix: "").objects {
            #expect(try harness.versions(bucket, object.key) == 1, "\(object.key)")
        }
    }
}
