#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack
import Testing

@Suite("specimen view, recover and verify")
struct ViewCommandTests {
    static let waitingProtocol = """
        import json, os, time
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            f.write(json.dumps({"loss": 2.0}) + "\\n")
            f.write(json.dumps({"loss": 1.0}) + "\\n")
        with open(os.environ["SPECIMEN_RUN_ID"] + ".pid", "w") as f:
            f.write(str(os.getpid()))
        if json.loads(os.environ["SPECIMEN_PARAMS"]).get("wait"):
            time.sleep(60)

        """

    /// A specimen with a completed, a crashed (specimen run SIGKILLed), a damaged and a running run.
    @Test func runningCrashedAndDamagedRunsAreShownAsSuch() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("mixed", Self.waitingProtocol)
        #expect(try fixture.run(["run", "mixed"]).status == 0)

        // Killed: SIGKILL `specimen run` itself, then the orphaned protocol.
        let killed = try fixture.start(["run", "mixed", "--param", "wait=true"])
        var runs = try fixture.runs("mixed")
        for _ in 0 ..< 1000 where runs.count < 2 { usleep(10_000); runs = try fixture.runs("mixed") }
        let killedRun = runs[1]
        try fixture.waitFor("\(path)/\(killedRun).pid")
        kill(killed.processIdentifier, SIGKILL)
        if let pid = Int32(try String(contentsOfFile: "\(path)/\(killedRun).pid", encoding: .utf8)) { kill(pid, SIGKILL) }
        killed.waitUntilExit()

        // Damaged: a run folder whose manifest is not MessagePack.
        let damagedRun = "20000101_000000"
        try FileManager.default.createDirectory(atPath: "\(path)/runs/\(damagedRun)", withIntermediateDirectories: true)
        try Data("not msgpack".utf8).write(to: URL(fileURLWithPath: "\(path)/runs/\(damagedRun)/manifest.msgpack"))

        // Running: a protocol still waiting.
        let running = try fixture.start(["run", "mixed", "--param", "wait=true"])
        defer { running.interrupt(); running.waitUntilExit() }
        for _ in 0 ..< 1000 where runs.count < 4 { usleep(10_000); runs = try fixture.runs("mixed") }
        let runningRun = try #require(runs.last)
        try fixture.waitFor("\(path)/\(runningRun).pid")

        let text = try fixture.run(["view", "mixed"])
        #expect(text.status == 0, "\(text.stderrText)")
        #expect(text.stderrText.isEmpty)
        let lines = text.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "specimen  mixed")
        #expect(lines[2] == "current   \(runningRun)  running")
        #expect(lines[3] == "runs      4")
        let width = runs.map(\.count).max() ?? 15
        func pad(_ text: String) -> String { text + String(repeating: " ", count: width - text.count) }
        #expect(lines[5] == "  \(pad("run"))  status     started (UTC)        duration  rows")
        #expect(lines[6] == "  \(pad(damagedRun))  damaged    -                           -     -")
        #expect(text.stdoutText.contains("\(pad(killedRun))  crashed  "))
        #expect(text.stdoutText.contains("\(pad(runningRun))  running  "))
        #expect(text.stdoutText.contains("\(killedRun) crashed: "))
        #expect(text.stdoutText.contains("seal it with `specimen recover mixed`"))
        #expect(text.stdoutText.contains("\(damagedRun) damaged: "))
        #expect(text.stdoutText.contains("run \(runningRun)  running"))
        #expect(text.stdoutText.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("folder ") }, "\(text.stdoutText)")

        let document = try SpecimenFixture.json(try fixture.run(["view", "mixed", "--json"]))
        #expect(document["current_run"] as? String == runningRun)
        let listed = try #require(document["runs"] as? [[String: Any]])
        #expect(listed.map { $0["status"] as? String } == ["damaged", "completed", "crashed", "running"])
        #expect(listed[0]["reason"] is String)
        #expect(listed[2]["rows"] as? Int == 2)
        let detail = try #require(document["run"] as? [String: Any])
        #expect(detail["status"] as? String == "running")
        let metrics = try #require(detail["metrics"] as? [[String: Any]])
        #expect(metrics.first { $0["name"] as? String == "loss" }?["last"] as? Double == 1.0)

        let all = try SpecimenFixture.json(try fixture.run(["view", "--all", "--json"]))
        #expect(all["format"] as? String == "specimen.view-all/1")
        #expect(all["total_runs"] as? Int == 4)
        let specimens = try #require(all["specimens"] as? [[String: Any]])
        #expect((specimens.first?["latest"] as? [String: Any])?["status"] as? String == "running")
        let allText = try fixture.run(["view", "--all"])
        let latestWidth = max(runningRun.count, "latest run".count)
        func padLatest(_ text: String) -> String { text + String(repeating: " ", count: latestWidth - text.count) }
        #expect(allText.stdoutText.hasPrefix("specimen  runs  \(padLatest("latest run"))  status   started (UTC)\nmixed        4  \(padLatest(runningRun))  running  "))
        #expect(allText.stdoutText.hasSuffix("\n1 specimen, 4 runs in \(fixture.root); latest runs: 1 running\n"))

        // Recover seals the crashed run (only it) as crashed, keeping its rows.
        let recovered = try fixture.run(["recover", "mixed", "--json"])
        #expect(recovered.status == 0, "\(recovered.stderrText)")
        let report = try SpecimenFixture.json(recovered)
        let items = try #require(report["recovered"] as? [[String: Any]])
        #expect(items.map { $0["run"] as? String } == [killedRun])
        #expect(items.first?["rows"] as? Int == 2)
        let manifest = try fixture.manifest("mixed", killedRun)
        #expect(manifest["status"]?.stringValue == "crashed")
        #expect(try fixture.run(["recover", "mixed"]).stdoutText == "nothing to recover: no crashed runs\n")

        // Verify: the sealed runs pass, the damaged one fails, the running one is skipped.
        let verify = try fixture.run(["verify", "mixed"])
        #expect(verify.status == 1)
        #expect(verify.stdoutText.contains("ok       mixed/\(pad(runs[1]))  4 files\n"))   // with source/protocol.py
        #expect(verify.stdoutText.contains("ok       mixed/\(pad(killedRun))  "))
        #expect(verify.stdoutText.contains("FAILED   mixed/\(pad(damagedRun))  run \(damagedRun) cannot be verified: "))
        #expect(verify.stdoutText.contains("skipped  mixed/\(pad(runningRun))  running, not sealed\n"))
        #expect(verify.stdoutText.hasSuffix("\n2 intact, 1 failed, 1 skipped\n"))
        let one = try fixture.run(["verify", "\(path)/runs/\(killedRun)", "--json"])
        #expect(one.status == 0)
        let oneDocument = try SpecimenFixture.json(one)
        #expect((oneDocument["runs"] as? [[String: Any]])?.first?["result"] as? String == "ok")
    }

    /// `view` reads sealed runs through the catalog: its output is the same with the catalog,
    /// without it, and after runs are added or removed behind the catalog's back.
    @Test func viewAnswersTheSameWithAndWithoutTheCatalog() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("cat", Self.waitingProtocol)
        for _ in 0 ..< 3 { #expect(try fixture.run(["run", "cat"]).status == 0) }
        func views() throws -> [String] {
            try [["view", "cat"], ["view", "cat", "--json"]].map { arguments in
                let result = try fixture.run(arguments)
                #expect(result.status == 0 && result.stderrText.isEmpty, "\(result.stderrText)")
                return result.stdoutText
            }
        }
        func withoutCatalog() throws -> [String] {
            try? FileManager.default.removeItem(atPath: path + "/.catalog")
            return try views()
        }
        let live = try withoutCatalog()        // builds the catalog
        #expect(FileManager.default.fileExists(atPath: path + "/.catalog"))
        #expect(try views() == live)            // answered from it
        #expect(live[0].contains("runs      3"))

        #expect(try fixture.run(["run", "cat"]).status == 0)   // sealed behind the catalog's back
        let added = try views()
        #expect(added[0].contains("runs      4"))
        #expect(try withoutCatalog() == added)

        _ = try views()
        let removed = try #require(try fixture.runs("cat").first)
        try FileManager.default.removeItem(atPath: "\(path)/runs/\(removed)")   // removed by hand
        let fewer = try views()
        // (Runs of one second share a prefix: `…_HHMMSS` and `…_HHMMSS_01`.)
        #expect(fewer[0].contains("runs      3") && !fewer[0].contains(removed + " ") && !fewer[1].contains("\"" + removed + "\""), "\(fewer[0])")
        #expect(try withoutCatalog() == fewer)
    }

    @Test func verifyFindsAChangedFile() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("v", Self.waitingProtocol)
        #expect(try fixture.run(["run", "v"]).status == 0)
        let run = try fixture.runs("v")[0]
        let log = "\(path)/runs/\(run)/output.log"
        chmod(log, 0o644)
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: log))
        let result = try fixture.run(["verify", "v"])
        #expect(result.status == 1)
        #expect(result.stdoutText == "FAILED  v/\(run)  changed: output.log\n\n0 intact, 1 failed, 0 skipped\n")
        #expect(result.stderrText.contains("make a new run"))
    }

    @Test func newScaffoldsASpecimen() throws {
        let fixture = try SpecimenFixture()
        let result = try fixture.run(["new", "fresh"])
        #expect(result.status == 0, "\(result.stderrText)")
        let path = fixture.root + "/fresh"
        for name in ["manifest.msgpack", "field_notes.md", "protocol.py", "runs"] {
            #expect(FileManager.default.fileExists(atPath: path + "/" + name), "\(name)")
        }
        let manifest = try MessagePackValue(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/manifest.msgpack"))))
        #expect(manifest["format"]?.stringValue == "specimen/1")
        #expect(manifest["name"]?.stringValue == "fresh")
        let notes = try String(contentsOfFile: path + "/field_notes.md", encoding: .utf8)
        #expect(notes.hasPrefix("# fresh\n\nCreated 20"))
        // The template runs as it is.
        let run = try fixture.run(["run", "fresh"])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stdoutText == "done: 10 steps\n")
        let again = try fixture.run(["new", "fresh"])
        #expect(again.status == 1)
        #expect(again.stderrText.contains("already exists"))
        let bad = try fixture.run(["new", ".hidden"])
        #expect(bad.status == 64)
    }

    @Test func everyCommandHasHelpWithAnExample() throws {
        for command in ["new", "run", "view", "compare", "verify", "recover", "export"] {
            let result = try CLI.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("Examples:\n  specimen \(command)"), "\(command)")
            for line in result.stdoutText.split(separator: "\n") where !line.hasPrefix("USAGE:") {
                #expect(line.count <= 80, "specimen \(command) --help: \(line)")
            }
        }
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
    }
}
