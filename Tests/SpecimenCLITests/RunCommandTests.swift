#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack
import Testing

@Suite("specimen run")
struct RunCommandTests {
    static let loggingProtocol = """
        import json, os, sys
        params = json.loads(os.environ["SPECIMEN_PARAMS"])
        assert os.getcwd() == os.environ["SPECIMEN_SPECIMEN"], os.getcwd()
        assert os.environ["SPECIMEN_RUN_DIR"].endswith("/runs/" + os.environ["SPECIMEN_RUN_ID"])
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for step in range(params.get("steps", 3)):
                f.write(json.dumps({"step": step, "loss": 1.0 / (step + 1), "ok": step % 2 == 0}) + "\\n")
        # One write per line: unbuffered, print("params", x) writes its pieces separately, and
        # a stderr line copied in between would split "params {" in output.log.
        print("params " + json.dumps(params, sort_keys=True))
        print("to stderr", file=sys.stderr)

        """

    @Test func pythonProtocolLogsThroughMetricsFile() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("py", Self.loggingProtocol)
        let result = try fixture.run(["run", "py", "--param", "steps=4", "--param", "lr=0.5", "--param", "fast=true", "--param", "name=adam"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == #"params {"fast": true, "lr": 0.5, "name": "adam", "steps": 4}"# + "\n")
        #expect(result.stderrText.contains("to stderr\n"))
        let runs = try fixture.runs("py")
        #expect(runs.count == 1)
        let manifest = try fixture.manifest("py", runs[0])
        #expect(manifest["status"]?.stringValue == "completed")
        #expect(manifest["exit_code"]?.intValue == 0)
        #expect(manifest["params"]?["steps"]?.intValue == 4)
        #expect(manifest["params"]?["lr"]?.doubleValue == 0.5)
        #expect(manifest["params"]?["fast"] == .bool(true))
        #expect(manifest["params"]?["name"]?.stringValue == "adam")
        #expect(manifest["metrics"]?["rows"]?.intValue == 4)
        #expect(manifest["files"]?["output.log"] != nil)
        let log = try String(contentsOfFile: "\(fixture.root)/py/runs/\(runs[0])/output.log", encoding: .utf8)
        #expect(log.contains("params {") && log.contains("to stderr"), "output.log: \(log.debugDescription)\nstderr: \(result.stderrText)")

        let view = try fixture.run(["view", "py", "--json"])
        #expect(view.status == 0)
        let document = try SpecimenFixture.json(view)
        #expect(document["format"] as? String == "specimen.view/1")
        #expect(document["total_runs"] as? Int == 1)
        let run = try #require(document["run"] as? [String: Any])
        let metrics = try #require(run["metrics"] as? [[String: Any]])
        let loss = try #require(metrics.first { $0["name"] as? String == "loss" })
        #expect(loss["last"] as? Double == 0.25)
        #expect(loss["max"] as? Double == 1.0)
    }

    @Test func failingProtocolSealsFailedAndPassesItsStatus() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("bad", protocolFile: "protocol.sh", "echo '{\"x\": 1}' >> \"$SPECIMEN_METRICS\"\necho broken >&2\nexit 7\n")
        let result = try fixture.run(["run", "bad"])
        #expect(result.status == 7)
        #expect(result.stderrText.contains("broken"))
        #expect(result.stderrText.contains("failed"))
        let runs = try fixture.runs("bad")
        let manifest = try fixture.manifest("bad", runs[0])
        #expect(manifest["status"]?.stringValue == "failed")
        #expect(manifest["exit_code"]?.intValue == 7)
        #expect(manifest["metrics"]?["rows"]?.intValue == 1)
    }

    @Test func explicitCommandAndMissingProtocol() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("none", protocolFile: nil)
        let missing = try fixture.run(["run", "none"])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("specimens/none has no protocol"))
        #expect(missing.stderrText.contains("specimen run none -- <command>"))
        #expect(try fixture.runs("none").isEmpty)
        let given = try fixture.run(["run", "none", "--", "sh", "-c", "pwd; echo '{\"v\": 2}' >> $SPECIMEN_METRICS"])
        #expect(given.status == 0, "\(given.stderrText)")
        #expect(given.stdoutText.hasSuffix("/specimens/none\n"))
        let noSuchSpecimen = try fixture.run(["run", "nope"])
        #expect(noSuchSpecimen.status == 1)
        #expect(noSuchSpecimen.stderrText.contains("specimens/nope"))
        let badParam = try fixture.run(["run", "none", "--param", "novalue"])
        #expect(badParam.status == 64)
        #expect(badParam.stderrText.contains("--param novalue: expected key=value"))
    }

    @Test func swiftProtocolJoinsTheRun() throws {
        let testbed = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("specimen-testbed").path
        try #require(FileManager.default.isExecutableFile(atPath: testbed), "specimen-testbed is not built beside specimen")
        let fixture = try SpecimenFixture()
        try fixture.specimen("swift", protocolFile: nil)
        let result = try fixture.run(["run", "swift", "--param", "size=3", "--", testbed, "join", ".", "5"])
        #expect(result.status == 0, "\(result.stderrText)")
        let runs = try fixture.runs("swift")
        #expect(runs.count == 1)
        let manifest = try fixture.manifest("swift", runs[0])
        #expect(manifest["status"]?.stringValue == "completed")
        #expect(manifest["metrics"]?["rows"]?.intValue == 5)
        #expect(manifest["params"]?["size"]?.intValue == 3)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalIsForwardedAndTheRunSealedInterrupted(signal: Int32) throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("slow", """
            import json, os, signal, sys, time
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                f.write(json.dumps({"loss": 0.5}) + "\\n")
            open("started.marker", "w").close()
            try:
                time.sleep(60)
            except KeyboardInterrupt:
                open("interrupted.marker", "w").close()
                sys.exit(130)

            """)
        let process = try fixture.start(["run", "slow"])
        try fixture.waitFor(path + "/started.marker")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        // Python turns SIGINT into KeyboardInterrupt (the protocol exits 130); SIGTERM kills it.
        #expect(process.terminationStatus == (signal == SIGINT ? 130 : 128 + SIGTERM))
        #expect(FileManager.default.fileExists(atPath: path + "/interrupted.marker") == (signal == SIGINT))
        let runs = try fixture.runs("slow")
        let manifest = try fixture.manifest("slow", runs[0])
        #expect(manifest["status"]?.stringValue == "interrupted")
        if signal == SIGTERM { #expect(manifest["signal"]?.intValue == Int64(SIGTERM)) }
        #expect(manifest["metrics"]?["rows"]?.intValue == 1)
    }
}
