import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing

@Suite("specimen migrate")
struct MigrateCommandTests {
    /// Every fault-injection step of the library, in order.
    static let steps = ["planned", "staging", "metrics", "files", "manifest", "verified",
                        "committed", "specimen-manifest", "removed-one", "removed", "done"]

    /// Contents (not times) of every file under `root`, by relative path.
    static func contents(_ root: String) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return result }
        for case let relative as String in enumerator {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            result[relative] = try? Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))
        }
        return result
    }

    static func visible(_ path: String) -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") })
    }

    @Test(arguments: [("root", "20240305_142201"), ("strata", "20231114_221320")])
    func killedAtEveryStepTheSpecimenStaysReadableAndTheNextRunFinishes(kind: String, id: String) throws {
        let folder = try TemporaryFolder()
        let template = folder.file("template/\(kind)")
        try Python.run("migration_legacy.py", [template, kind])
        let original = Self.contents(template)
        let originalNames = Self.visible(template)
        for step in Self.steps {
            let root = folder.file("kill-\(step)")
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let path = root + "/" + kind
            try FileManager.default.copyItem(atPath: template, toPath: path)
            if kind == "strata" {   // the run ID comes from this file's time: keep it
                try Python.run(code: "import os,sys; os.utime(sys.argv[1], (1700000000, 1700000000))", [path + "/strata/metrics.parquet"])
            }
            let killed = try CLI.run(["migrate", path], environment: ["SPECIMEN_MIGRATE_FAIL_AT": step])
            #expect(killed.status == 99, "step \(step): \(killed.stderrText)")

            // Readable as legacy (nothing committed: every legacy file as it was) or as migrated.
            let runFolder = path + "/runs/" + id
            let committed = FileManager.default.fileExists(atPath: runFolder + "/manifest.msgpack")
            if committed {
                #expect(Self.steps.firstIndex(of: step)! >= Self.steps.firstIndex(of: "committed")!, "step \(step)")
                let verify = try CLI.run(["verify", path])
                #expect(verify.status == 0, "step \(step): \(verify.stdoutText) \(verify.stderrText)")
            } else {
                #expect(Self.steps.firstIndex(of: step)! < Self.steps.firstIndex(of: "committed")!, "step \(step)")
                let now = Self.contents(path)
                for (relative, data) in original { #expect(now[relative] == data, "step \(step): \(relative) changed") }
                #expect(Self.visible(path).subtracting(["runs"]) == originalNames, "step \(step)")
                #expect(Self.visible(path + "/runs").isEmpty, "step \(step): a half-made run is visible")
            }
            // Either way, `view` shows exactly one run, under the same ID, with every row.
            let view = try CLI.run(["view", path, "--json"])
            #expect(view.status == 0, "step \(step): \(view.stderrText)")
            let shown = try JSONSerialization.jsonObject(with: Data(view.stdoutText.utf8)) as? [String: Any]
            let runs = shown?["runs"] as? [[String: Any]] ?? []
            #expect(runs.map { $0["id"] as? String } == [id], "step \(step): \(view.stdoutText)")
            #expect(runs.first?["rows"] as? Int == (kind == "root" ? 12 : 8), "step \(step): \(view.stdoutText)")

            // The next migrate finishes the job.
            let resumed = try CLI.run(["migrate", path])
            #expect(resumed.status == 0, "step \(step): \(resumed.stdoutText) \(resumed.stderrText)")
            #expect(Self.visible(path) == ["protocol.py", "field_notes.md", "manifest.msgpack", "runs"], "step \(step): \(Self.visible(path))")
            #expect(Self.visible(path + "/runs") == [id], "step \(step)")
            let verify = try CLI.run(["verify", path])
            #expect(verify.status == 0, "step \(step): \(verify.stdoutText)")
            let rows = try ParquetReader(path: runFolder + "/metrics.parquet").read()
            #expect(rows.rowCount == (kind == "root" ? 12 : 8), "step \(step)")
            #expect(rows.columnNames.first == "run_id")
            let manifest = try MessagePackValue(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: path + "/manifest.msgpack"))))
            #expect(manifest["format"]?.stringValue == "specimen/1", "step \(step)")
            // No leftovers of the migration; `.catalog` is the run catalog `view` keeps (a cache).
            let hidden = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix(".") && $0 != ".catalog" }
            #expect(hidden.isEmpty, "step \(step): \(hidden)")

            let again = try CLI.run(["migrate", path])
            #expect(again.status == 0)
            #expect(again.stdoutText.contains("nothing to do"), "step \(step): \(again.stdoutText)")
        }
    }

    @Test func migratesTheOthersWhenOneFailsAndExitsNonZero() throws {
        let folder = try TemporaryFolder()
        let root = folder.file("specimens")
        for kind in ["root", "corrupt", "strata"] { try Python.run("migration_legacy.py", [root + "/" + kind, kind]) }
        let corruptBefore = Self.contents(root + "/corrupt")
        let dry = try CLI.run(["migrate", "--root", root, "--dry-run", "--json"])
        #expect(dry.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout)) as? [String: Any])
        #expect(document["format"] as? String == "specimen.migrate/1")
        let entries = try #require(document["specimens"] as? [[String: Any]])
        #expect(entries.map { $0["outcome"] as? String } == ["failed", "would-migrate", "would-migrate"])
        #expect((entries[1]["run_id_reason"] as? String)?.contains("run_timestamp") == true)
        #expect(dry.stderrText.contains("[3/3]"))
        #expect(!FileManager.default.fileExists(atPath: root + "/root/runs"))

        let result = try CLI.run(["migrate", "--root", root])
        #expect(result.status == 1)
        #expect(result.stdoutText.contains("root: migrated into run 20240305_142201"))
        #expect(result.stdoutText.contains("plots/loss.png"))
        #expect(result.stdoutText.contains("corrupt: not migrated, left untouched"))
        #expect(result.stdoutText.contains("2 migrated, 1 failed"))
        #expect(result.stderrText.contains("corrupt"))
        #expect(Self.contents(root + "/corrupt") == corruptBefore)

        let again = try CLI.run(["migrate", "root", "strata", "--root", root])
        #expect(again.status == 0)
        #expect(again.stdoutText.contains("2 already-migrated"))
    }

    @Test func dryRunLeavesBytesAndTimesAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("specimens/root")
        try Python.run("migration_legacy.py", [path, "root"])
        func times() -> [String: String] {
            var result: [String: String] = [:]
            for relative in (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? [] {
                var info = stat()
                lstat(folder.path + "/" + relative, &info)
                result[relative] = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size) \(info.st_mode)"
            }
            return result
        }
        let before = (times(), Self.contents(folder.path))
        let result = try CLI.run(["migrate", "--dry-run"], in: folder.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("would migrate into run 20240305_142201"))
        #expect(times() == before.0)
        #expect(Self.contents(folder.path) == before.1)
    }

    @Test func dryRunOnAnInterruptedMigrationSaysItWouldFinishIt() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("specimens/root")
        try Python.run("migration_legacy.py", [path, "root"])
        let killed = try CLI.run(["migrate", path], environment: ["SPECIMEN_MIGRATE_FAIL_AT": "specimen-manifest"])
        #expect(killed.status == 99)
        let before = Self.contents(folder.path)
        let dry = try CLI.run(["migrate", path, "--dry-run", "--json"])
        #expect(dry.status == 0)
        #expect(dry.stdoutText.contains(#""outcome":"would-finish""#), "\(dry.stdoutText)")
        #expect(Self.contents(folder.path) == before)
        let finished = try CLI.run(["migrate", path])
        #expect(finished.status == 0)
        #expect(finished.stdoutText.contains("finished an interrupted migration into run 20240305_142201"), "\(finished.stdoutText)")
        #expect(!FileManager.default.fileExists(atPath: path + "/metrics.parquet"))
    }
}
