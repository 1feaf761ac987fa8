#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack
import Testing

@Suite("specimen rerun, sources and compare diffs")
struct RerunCommandTests {
    /// A deterministic protocol; `scale` is what the edit changes.
    static func protocolText(scale: String) -> String {
        """
        import json, os
        params = json.loads(os.environ["SPECIMEN_PARAMS"])
        scale = \(scale)
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for step in range(params.get("steps", 4)):
                f.write(json.dumps({"step": step, "loss": scale * params.get("lr", 0.1) / (step + 1), "tag": "s%d" % step}) + "\\n")

        """
    }

    /// The run's metrics as JSON lines, without the columns that differ between runs by nature.
    static func metrics(_ fixture: SpecimenFixture, _ specimen: String, _ run: String) throws -> [[String: String]] {
        let result = try fixture.run(["export", specimen, "--run", run, "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderrText)")
        return try result.stdoutText.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var row: [String: String] = [:]
            for (key, value) in object where key != "time" && key != "run_id" { row[key] = "\(value)" }
            return row
        }
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func fileMode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    @Test func anEditedProtocolIsKeptPerRunDiffedAndRerunExactly() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("exp", Self.protocolText(scale: "1.0"))
        #expect(try fixture.run(["run", "exp", "--param", "steps=5", "--param", "lr=0.3"]).status == 0)
        try Data(Self.protocolText(scale: "2.0").utf8).write(to: URL(fileURLWithPath: path + "/protocol.py"))
        #expect(try fixture.run(["run", "exp", "--param", "steps=5", "--param", "lr=0.3"]).status == 0)
        let (a, b) = try { let runs = try fixture.runs("exp"); return (runs[0], runs[1]) }()
        #expect(try Self.text("\(path)/runs/\(a)/source/protocol.py") == Self.protocolText(scale: "1.0"))
        #expect(try Self.text("\(path)/runs/\(b)/source/protocol.py") == Self.protocolText(scale: "2.0"))
        #expect(try fixture.manifest("exp", a)["files"]?["source/protocol.py"]?["sha256"] != nil)

        let compare = try fixture.run(["compare", "exp", a, b])
        #expect(compare.status == 0, "\(compare.stderrText)")
        #expect(compare.stdoutText.contains("""
            sources that differ (\(a) → \(b))
              modified  protocol.py
            --- a/protocol.py
            +++ b/protocol.py
            @@ -1,6 +1,6 @@
             import json, os
             params = json.loads(os.environ["SPECIMEN_PARAMS"])
            -scale = 1.0
            +scale = 2.0
            """), "\(compare.stdoutText)")
        let hidden = try fixture.run(["compare", "exp", a, b, "--no-diff"])
        #expect(hidden.stdoutText.contains("modified  protocol.py"))
        #expect(!hidden.stdoutText.contains("+scale"))
        let json = try SpecimenFixture.json(try fixture.run(["compare", "exp", a, b, "--json"]))
        #expect(json["format"] as? String == "specimen.compare/1")
        let sources = try #require(json["sources"] as? [[String: Any]])
        let changed = try #require(sources.first?["changed"] as? [[String: Any]])
        #expect(changed.map { $0["path"] as? String } == ["protocol.py"])
        #expect(changed.first?["change"] as? String == "modified")
        #expect((changed.first?["diff"] as? String)?.contains("-scale = 1.0\n+scale = 2.0\n") == true)

        // Rerun the first run: its own protocol, its params, while protocol.py is the edited one.
        let rerun = try fixture.run(["rerun", "exp", a])
        #expect(rerun.status == 0, "\(rerun.stderrText)")
        let c = try fixture.runs("exp")[2]
        let manifest = try fixture.manifest("exp", c)
        #expect(manifest["rerun_of"]?.stringValue == a)
        #expect(manifest["params"] == (try fixture.manifest("exp", a))["params"])
        #expect(manifest["metrics"]?["rows"]?.intValue == 5)
        #expect(try Self.metrics(fixture, "exp", c) == (try Self.metrics(fixture, "exp", a)))
        #expect(try Self.metrics(fixture, "exp", c) != (try Self.metrics(fixture, "exp", b)))
        #expect(try Self.text(path + "/protocol.py") == Self.protocolText(scale: "2.0"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix(".rerun") }.isEmpty)
        let same = try SpecimenFixture.json(try fixture.run(["compare", "exp", a, c, "--json"]))
        let sameSources = try #require((same["sources"] as? [[String: Any]])?.first)
        #expect((sameSources["changed"] as? [Any])?.isEmpty == true)
        #expect(try fixture.run(["compare", "exp", a, c]).stdoutText.contains("sources: the same (\(a) → \(c))"))

        // --param overrides one param and keeps the others.
        let overridden = try fixture.run(["rerun", "exp", a, "--param", "steps=2"])
        #expect(overridden.status == 0, "\(overridden.stderrText)")
        let d = try fixture.runs("exp")[3]
        let dManifest = try fixture.manifest("exp", d)
        #expect(dManifest["params"]?["steps"]?.intValue == 2)
        #expect(dManifest["params"]?["lr"]?.doubleValue == 0.3)
        #expect(Array(try Self.metrics(fixture, "exp", d)) == Array(try Self.metrics(fixture, "exp", a).prefix(2)))

        // view --run lists the snapshot; --json carries it.
        let view = try fixture.run(["view", "exp", "--run", c])
        #expect(view.stdoutText.contains("source/protocol.py"), "\(view.stdoutText)")
        #expect(view.stdoutText.contains("rerun of \(a)"))
        let viewJSON = try SpecimenFixture.json(try fixture.run(["view", "exp", "--run", c, "--json"]))
        let run = try #require(viewJSON["run"] as? [String: Any])
        #expect((run["source"] as? [String: Any])?["files"] as? [String] == ["protocol.py"])
        #expect(run["rerun_of"] as? String == a)
    }

    @Test func anExecutableProtocolIsRerunFromItsSnapshot() throws {
        let fixture = try SpecimenFixture()
        func script(_ value: Int) -> String { "#!/bin/sh\necho '{\"value\": \(value)}' >> \"$SPECIMEN_METRICS\"\n" }
        let path = try fixture.specimen("exe", protocolFile: "protocol", script(1))
        #expect(chmod(path + "/protocol", 0o755) == 0)
        #expect(try fixture.run(["run", "exe"]).status == 0)
        try Data(script(2).utf8).write(to: URL(fileURLWithPath: path + "/protocol"))
        let first = try fixture.runs("exe")[0]
        let rerun = try fixture.run(["rerun", "exe", first])
        #expect(rerun.status == 0, "\(rerun.stderrText)")
        let again = try fixture.runs("exe")[1]
        #expect(try Self.metrics(fixture, "exe", again) == [["step": "0", "value": "1"]])
        #expect(try Self.text(path + "/protocol") == script(2))
        #expect(Self.fileMode(path + "/protocol") == 0o755)
    }

    @Test func runsWithoutASnapshotNeedCurrentProtocol() throws {
        let testbed = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("specimen-testbed").path
        try #require(FileManager.default.isExecutableFile(atPath: testbed), "specimen-testbed is not built beside specimen")
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("old", Self.protocolText(scale: "1.0"))
        // A run made through the library without sources, as every run before snapshots.
        let made = try ProcessResult.run(testbed, ["create", path, "3"])
        #expect(made.status == 0, "\(made.stderrText)")
        let old = try fixture.runs("old")[0]
        let refused = try fixture.run(["rerun", "old", old])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("run \(old) of old cannot be rerun from its own protocol: it was made without a protocol snapshot"))
        #expect(refused.stderrText.contains("add --current-protocol"))
        #expect(try fixture.runs("old").count == 1)
        let current = try fixture.run(["rerun", "old", old, "--current-protocol"])
        #expect(current.status == 0, "\(current.stderrText)")
        let new = try fixture.runs("old")[1]
        let manifest = try fixture.manifest("old", new)
        #expect(manifest["rerun_of"]?.stringValue == old)
        #expect(manifest["source"]?["files"] == .array(["protocol.py"]))

        // A command given after -- without --source keeps no files: nothing to rerun from.
        #expect(try fixture.run(["run", "old", "--", "sh", "-c", "echo '{\"v\": 1}' >> \"$SPECIMEN_METRICS\""]).status == 0)
        let bare = try fixture.runs("old")[2]
        // (The fixture appends `--root <root>`, which lands after the command.)
        let command = try fixture.manifest("old", bare)["source"]?["command"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(command.prefix(3) == ["sh", "-c", "echo '{\"v\": 1}' >> \"$SPECIMEN_METRICS\""])
        let noFiles = try fixture.run(["rerun", "old", bare])
        #expect(noFiles.status == 1)
        #expect(noFiles.stderrText.contains("it kept no source files"))
        let missing = try fixture.run(["rerun", "old", "20200101_000000"])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("has no run 20200101_000000"))
        #expect(try fixture.run(["rerun", "old", "not-a-run"]).status == 64)
    }

    @Test func migratedLegacyRunsNeedCurrentProtocol() throws {
        let fixture = try SpecimenFixture()
        let path = fixture.root + "/legacy"
        try Python.run("migration_legacy.py", [path, "root"])
        #expect(try fixture.run(["migrate", "legacy"]).status == 0)
        let migrated = try fixture.runs("legacy")[0]
        let refused = try fixture.run(["rerun", "legacy", migrated])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("migrated from the legacy layout"), "\(refused.stderrText)")
        try Data(Self.protocolText(scale: "1.0").utf8).write(to: URL(fileURLWithPath: path + "/protocol.py"))
        let current = try fixture.run(["rerun", "legacy", migrated, "--current-protocol"])
        #expect(current.status == 0, "\(current.stderrText)")
        let new = try fixture.runs("legacy").last!
        #expect(try fixture.manifest("legacy", new)["rerun_of"]?.stringValue == migrated)
        let compare = try fixture.run(["compare", "legacy", migrated, new])
        #expect(compare.stdoutText.contains("sources: \(migrated) has no snapshot"), "\(compare.stdoutText)")
        #expect(compare.stdoutText.contains("added  protocol.py"))
    }

    @Test func manifestSourcesSourceGlobsAndTheLimit() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("globs", Self.protocolText(scale: "1.0"))
        try FileManager.default.createDirectory(atPath: path + "/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: true)
        try Data("X = 1\n".utf8).write(to: URL(fileURLWithPath: path + "/lib/util.py"))
        try Data(String(repeating: "1,2,3\n", count: 1000).utf8).write(to: URL(fileURLWithPath: path + "/data/big.csv"))
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: path + "/data/small.csv"))
        let manifest: MessagePackValue = .map([("format", "specimen/1"), ("name", "globs"), ("sources", .array(["protocol.py", "lib/*.py"]))])
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: path + "/manifest.msgpack"))
        let result = try fixture.run(["run", "globs", "--source", "data/*.csv", "--source", "nothing/*.txt", "--source-limit", "2k"])
        #expect(result.status == 0, "\(result.stderrText)")
        let warnings = result.stderrText.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1, "\(result.stderrText)")
        #expect(warnings.first?.contains("and 1 more") == true)
        let run = try fixture.runs("globs")[0]
        let recorded = try fixture.manifest("globs", run)
        #expect(recorded["source"]?["files"] == .array(["data/small.csv", "lib/util.py", "protocol.py"]))
        let skipped = recorded["source"]?["skipped"]?.arrayValue ?? []
        #expect(skipped.contains { $0["path"]?.stringValue == "data/big.csv" && $0["reason"]?.stringValue?.contains("2000-byte source limit") == true })
        #expect(skipped.contains { $0["path"]?.stringValue == "nothing/*.txt" && $0["reason"]?.stringValue == "matched no file" })
        #expect(recorded["status"]?.stringValue == "completed")
        let bad = try fixture.run(["run", "globs", "--source-limit", "lots"])
        #expect(bad.status == 64)
        #expect(bad.stderrText.contains("--source-limit lots"))
    }

    @Test func compareShowsAChangedCommitWithItsLogAndPatchDifferences() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("git", Self.protocolText(scale: "1.0"))
        let repository = fixture.folder.path
        func git(_ arguments: [String]) throws {
            let result = try ProcessResult.run("/usr/bin/env", ["git", "-C", repository] + arguments)
            #expect(result.status == 0, "git \(arguments): \(result.stderrText)")
        }
        try git(["init", "-q", "."])
        try git(["config", "user.name", "Specimen Tests"])
        try git(["config", "user.email", "tests@specimen.invalid"])
        try git(["config", "commit.gpgsign", "false"])
        try Data("specimens/*/runs/\n".utf8).write(to: URL(fileURLWithPath: repository + "/.gitignore"))
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "scale one"])
        #expect(try fixture.run(["run", "git"]).status == 0)
        try Data(Self.protocolText(scale: "3.0").utf8).write(to: URL(fileURLWithPath: path + "/protocol.py"))
        try git(["commit", "-q", "-am", "scale three"])
        try Data(Self.protocolText(scale: "4.0").utf8).write(to: URL(fileURLWithPath: path + "/protocol.py"))
        #expect(try fixture.run(["run", "git"]).status == 0)
        let runs = try fixture.runs("git")
        let second = try fixture.manifest("git", runs[1])
        #expect(second["git"]?["dirty"] == .bool(true))
        #expect(second["files"]?["git.patch"] != nil)
        let compare = try fixture.run(["compare", "git"])
        #expect(compare.status == 0, "\(compare.stderrText)")
        #expect(compare.stdoutText.contains("git commit: "))
        #expect(compare.stdoutText.contains(" scale three\n"), "\(compare.stdoutText)")
        #expect(compare.stdoutText.contains("git.patch differs (uncommitted changes)"))
        #expect(compare.stdoutText.contains("++scale = 4.0"))
        let json = try SpecimenFixture.json(try fixture.run(["compare", "git", "--json"]))
        let gitPart = try #require((json["sources"] as? [[String: Any]])?.first?["git"] as? [String: Any])
        #expect(gitPart["commit_changed"] as? Bool == true)
        #expect((gitPart["log"] as? [String])?.first?.hasSuffix(" scale three") == true)
        #expect(gitPart["patch_changed"] as? Bool == true)
        let view = try fixture.run(["view", "git", "--run", runs[1]])
        #expect(view.stdoutText.contains("dirty (changes in git.patch)"), "\(view.stdoutText)")
    }
}
