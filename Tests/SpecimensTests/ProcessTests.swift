import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// Tests with real child processes (`specimen-testbed`): many writers at once, SIGKILL,
/// joining a run, signals, exit without finish.
@Suite("Processes", .serialized)
struct ProcessTests {
    @Test("64 processes started together in one specimen make 64 distinct sealed runs")
    func sixtyFourProcesses() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("crowd")
        let startAt = Int64(Date().timeIntervalSince1970 * 1e6) + 2_000_000
        var processes: [Process] = []
        for _ in 0 ..< 64 {
            processes.append(try Testbed.start(["create", path, "3", String(startAt)]))
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 && $0.terminationReason == .exit })
        let specimen = try Specimen(at: path)
        let ids = try specimen.listRuns()
        #expect(ids.count == 64)
        #expect(Set(ids).count == 64)
        #expect(ids.contains { $0.collisionIndex > 0 }, "the processes should have collided on at least one second")
        var pids = Set<Int64>()
        for id in ids {
            let info = try specimen.runInfo(id)
            #expect(info.state == .sealed(.completed), "run \(id) is \(info.state)")
            #expect(info.rows == 3)
            if let pid = info.params["pid"]?.intValue { pids.insert(pid) }
        }
        #expect(pids == Set(processes.map { Int64($0.processIdentifier) }))
        let all = try specimen.readAllRuns()
        #expect(all.rowCount == 192)
    }

    @Test("SIGKILL at random moments: readers say crashed, recovery keeps every row older than one flush interval (plus scheduling slack), in order — also when rows left memory for the run's part file")
    func sigkill() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("killed")
        let interval = 0.2
        // The flusher is a thread like any other: on a loaded machine (CI runs tests in
        // parallel) it may wake late, so the durability bound gets this much slack.
        let slack = 0.5
        var generator = SystemRandomNumberGenerator()
        var checkedRunning = false
        for round in 0 ..< 20 {
            let progressPath = folder.file("progress-\(round)")
            let before = Set((try? Specimen(at: path).listRuns()) ?? [])
            // Odd rounds: rows leave memory every 20 rows, into the run's part file.
            let partFile = round % 2 == 1
            let child = try Testbed.start(["log-forever", path, progressPath, String(interval)] + (partFile ? ["60"] : []))
            // Wait until it logs, then a random while longer.
            let deadline = Date().addingTimeInterval(20)
            while (try? String(contentsOfFile: progressPath, encoding: .utf8))?.contains("\n") != true {
                #expect(Date() < deadline, "the child never logged")
                if Date() >= deadline { child.terminate(); return }
                usleep(5_000)
            }
            usleep(UInt32.random(in: 100_000 ... 1_200_000, using: &generator))
            let specimen = try Specimen(at: path)
            let id = try #require(Set(try specimen.listRuns()).subtracting(before).first)
            if !checkedRunning {
                let info = try specimen.runInfo(id)
                #expect(info.state == .running)
                #expect((info.rows ?? 0) >= 0)
                checkedRunning = true
            }
            let hidden = { (try? FileManager.default.contentsOfDirectory(atPath: specimen.runPath(id))) ?? [] }
            if partFile {
                #expect(hidden().contains { $0.hasPrefix(RunFolder.temporaryPrefix + RunFolder.metrics + "-part-") }, "round \(round): no part file")
            }
            let killTime = Int64(Date().timeIntervalSince1970 * 1e6)
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()

            // What the child had logged, and when.
            let text = try String(contentsOfFile: progressPath, encoding: .utf8)
            var logged: [(rows: Int, time: Int64)] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let rows = Int(parts[0]), let time = Int64(parts[1]) else { continue }
                logged.append((rows, time))
            }
            let total = logged.last?.rows ?? 0
            let durable = logged.last { $0.time <= killTime - Int64((interval + slack) * 1e6) }?.rows ?? 0

            let state = try specimen.runInfo(id).state
            guard case .crashed = state else {
                Issue.record("round \(round): run \(id) is \(state), not crashed")
                continue
            }
            #expect(try specimen.recover(run: id))
            #expect(try specimen.runInfo(id).state == .sealed(.crashed))
            let table = try specimen.readMetrics(run: id)
            let rows = table.rowCount
            #expect(rows >= durable, "round \(round): \(rows) rows kept, \(durable) were logged more than \(interval + slack) s before the kill")
            #expect(rows <= total + 1, "round \(round): \(rows) rows kept but only \(total) logged")
            #expect(int64s(table["i"]) == (0 ..< Int64(rows)).map { Optional($0) }, "round \(round): rows out of order or missing")
            #expect(int64s(table["step"]) == (0 ..< Int64(rows)).map { Optional($0) })
            let manifest = try readManifest(specimen.runPath(id))
            #expect(manifest["status"] == "crashed")
            #expect(manifest["params"]?["mode"] == "log-forever")
            #expect(!hidden().contains { $0.hasPrefix(".") }, "round \(round): \(hidden())")
            #expect(try specimen.verify(run: id).isIntact)
        }
        // Recovery again finds nothing to do.
        #expect(try Specimen(at: path).recover().isEmpty)
    }

    @Test("a process inside `specimen run` joins the run; journals and SPECIMEN_METRICS lines are merged at sealing")
    func joinAndMetricsLines() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("joined")
        let owner = try SpecimenStorage(at: path, params: ["lr": 0.1], options: testOptions())
        let run = owner.strataPath
        try owner.log(["parent": 1])
        let lines = """
            {"loss": 0.5, "epoch": 1, "phase": "train", "ok": true, "gap": null}
            {"loss": 0.4, "epoch": oops}
            {"loss": 0.3, "epoch": 2, "step": 7, "time": "2025-12-22T19:46:53.5Z"}

            {"loss": 0.2, "nested": {"a": 1}}
            {"loss": 0.1, "epoch": 3}
            """
        try Data((lines + "\n").utf8).write(to: URL(fileURLWithPath: run + "/metrics.jsonl"))
        let result = try Testbed.run(["join", path, "3"], environment: ["SPECIMEN_RUN_DIR": run])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == owner.runID.rawValue)
        // The joined child did not seal the run, and did not create another.
        #expect(try owner.runInfo(owner.runID).state == .running)
        #expect(try owner.listRuns() == [owner.runID])
        try owner.log(["parent": 2])
        try owner.finish()

        let table = try owner.readMetrics(run: owner.runID)
        #expect(table.rowCount == 2 + 3 + 3)
        #expect(int64s(table["parent"]).compactMap { $0 } == [1, 2])
        #expect(int64s(table["child_i"]).compactMap { $0 } == [0, 1, 2])
        #expect(doubles(table["loss"]).compactMap { $0 } == [0.3, 0.5, 0.1])   // ordered by time; the jsonl rows without time last
        #expect(table["phase"]?.type == .string)
        #expect(table["ok"]?.type == .bool)
        let manifest = try readManifest(run)
        let warnings = manifest["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.contains { $0.contains("metrics.jsonl line 2") })
        #expect(warnings.contains { $0.contains("metrics.jsonl line 5") })
        #expect(manifest["params"]?["lr"]?.doubleValue == 0.1)
        #expect(manifest["params"]?["child"] == "swift")
        #expect(manifest["files"]?["metrics.jsonl"] != nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: run)
        #expect(!names.contains { $0.hasPrefix(".") })
        // A sealed run cannot be joined.
        let late = try Testbed.run(["join", path, "1"], environment: ["SPECIMEN_RUN_DIR": run])
        #expect(late.status != 0)
        #expect(late.stderrText.contains("sealed"))
    }

    @Test("SIGTERM seals the run as interrupted, with the signal and the rows so far")
    func sigterm() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("term")
        let pipe = Pipe()
        let child = try Testbed.start(["wait-for-signal", path, "4"], stdout: pipe.fileHandleForWriting)
        var output = ""
        while !output.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            output += String(decoding: data, as: UTF8.self)
        }
        #expect(output.hasPrefix("ready "))
        kill(child.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while child.isRunning && Date() < deadline { usleep(10_000) }
        if child.isRunning {
            Issue.record("the child ignored SIGTERM")
            kill(child.processIdentifier, SIGKILL)
        }
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGTERM)
        let specimen = try Specimen(at: path)
        let id = try #require(try specimen.latestRun)
        #expect(try specimen.runInfo(id).state == .sealed(.interrupted))
        #expect(try specimen.runInfo(id).rows == 4)
        #expect(try readManifest(specimen.runPath(id))["signal"]?.intValue == Int64(SIGTERM))
    }

    @Test("a process that returns without finish() seals its run as completed, with a warning")
    func exitWithoutFinish() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("exit")
        let result = try Testbed.run(["exit-without-finish", path, "5"])
        #expect(result.status == 0, "\(result.stderrText)")
        let specimen = try Specimen(at: path)
        let id = try #require(try specimen.latestRun)
        #expect(try specimen.runInfo(id).state == .sealed(.completed))
        #expect(try specimen.runInfo(id).rows == 5)
        let warnings = try readManifest(specimen.runPath(id))["warnings"]?.arrayValue ?? []
        #expect(warnings.contains { $0.stringValue?.contains("without finish") == true })
    }
}
