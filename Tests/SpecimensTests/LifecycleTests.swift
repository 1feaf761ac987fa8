import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

@Suite("Lifecycle")
struct LifecycleTests {
    @Test("a new specimen gets its manifest, field notes and runs folder; opening read-only creates nothing")
    func specimenCreation() throws {
        let folder = try TemporaryFolder()
        #expect(throws: SpecimenError.self) { try Specimen(at: folder.file("missing")) }
        #expect(!FileManager.default.fileExists(atPath: folder.file("missing")))
        let storage = try SpecimenStorage(at: folder.file("deep/er/mnist"), options: testOptions())
        try storage.finish()
        let manifest = try MessagePackValue(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.file("deep/er/mnist/manifest.msgpack")))))
        #expect(manifest["format"] == "specimen/1")
        #expect(manifest["name"] == "mnist")
        #expect(manifest["created_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(FileManager.default.fileExists(atPath: folder.file("deep/er/mnist/field_notes.md")))
        let specimen = try Specimen(at: folder.file("deep/er/mnist"))
        #expect(try specimen.listRuns() == [storage.runID])
        #expect(throws: SpecimenError.self) { _ = try SpecimenStorage(at: folder.file(".hidden"), options: testOptions()) }
    }

    @Test("sealing writes metrics.parquet, then the manifest listing every file with its SHA-256; files become read-only")
    func sealing() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), params: ["seed": 7], options: testOptions())
        try storage.log(["loss": 0.5])
        let run = storage.strataPath
        try Data("model".utf8).write(to: URL(fileURLWithPath: run + "/model.bin"))
        try FileManager.default.createDirectory(atPath: run + "/plots", withIntermediateDirectories: true)
        try Data("png".utf8).write(to: URL(fileURLWithPath: run + "/plots/loss.png"))
        #expect(FileManager.default.fileExists(atPath: run + "/.running"))
        #expect(FileManager.default.fileExists(atPath: run + "/.journal"))
        #expect(try storage.runInfo(storage.runID).state == .running)
        try storage.finish()

        let names = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
        #expect(names == ["manifest.msgpack", "metrics.parquet", "model.bin", "plots"])
        let manifest = try readManifest(run)
        for key in ["format", "run_id", "run_timestamp", "specimen", "status", "started_at", "ended_at", "params", "metrics", "files",
                    "command", "host", "runtime"] {
            #expect(manifest[key] != nil, "manifest lacks \(key)")
        }
        #expect(manifest["format"] == "specimen.run/1")
        #expect(manifest["run_id"]?.stringValue == storage.runID.rawValue)
        #expect(manifest["specimen"] == "s")
        #expect(manifest["status"] == "completed")
        #expect(manifest["params"]?["seed"]?.intValue == 7)
        #expect(manifest["runtime"]?["specimen"]?.stringValue == specimenVersion)
        #expect(manifest["run_timestamp"]?.stringValue?.count == 20)
        #expect(manifest["started_at"]?.stringValue?.contains(".") == true)
        let files = try #require(manifest["files"]?.mapValue)
        #expect(files.map { $0.key.stringValue ?? "" } == ["metrics.parquet", "model.bin", "plots/loss.png"])
        for (key, value) in files {
            let path = run + "/" + key.stringValue!
            let digest = try FileDigest.sha256(path)
            #expect(value["sha256"]?.stringValue == digest.hex)
            #expect(value["size"]?.intValue == Int64(digest.size))
            #expect(fileMode(path) == 0o444)
        }
        // The manifest came last: nothing it lists is newer than it.
        let manifestTime = try #require(LocalStorage.shared.entry(run + "/manifest.msgpack")?.modified)
        #expect(try #require(LocalStorage.shared.entry(run + "/metrics.parquet")?.modified) <= manifestTime)
        #expect(manifest["metrics"]?["rows"]?.intValue == 1)
        #expect(manifest["metrics"]?["columns"]?[0]?["name"] == "run_id")
        #expect(manifest["metrics"]?["summary"]?["loss"]?["last"]?.doubleValue == 0.5)
    }

    @Test("atomic creation never replaces an existing file")
    func atomicCreate() throws {
        let folder = try TemporaryFolder()
        try LocalStorage.shared.create(folder.file("a"), Array("one".utf8))
        #expect { try LocalStorage.shared.create(folder.file("a"), Array("two".utf8)) } throws: { ($0 as? SpecimenError)?.code == .alreadyExists }
        #expect(String(decoding: try LocalStorage.shared.read(folder.file("a"), limit: 1 << 30), as: UTF8.self) == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a"])
    }

    @Test("verify reports changed, missing and extra files")
    func verify() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        try storage.log(["a": 1])
        let run = storage.strataPath
        try Data("one".utf8).write(to: URL(fileURLWithPath: run + "/a.txt"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: run + "/b.txt"))
        try storage.finish()
        let specimen = try Specimen(at: folder.file("s"))
        let clean = try specimen.verify(run: storage.runID)
        #expect(clean.isIntact && clean.verified == 3)

        chmod(run + "/a.txt", 0o644)
        try Data("ONE".utf8).write(to: URL(fileURLWithPath: run + "/a.txt"))   // same size, other content
        chmod(run + "/b.txt", 0o644)
        try FileManager.default.removeItem(atPath: run + "/b.txt")
        try Data("new".utf8).write(to: URL(fileURLWithPath: run + "/c.txt"))
        try Data("hidden".utf8).write(to: URL(fileURLWithPath: run + "/.DS_Store"))
        let report = try specimen.verify(run: storage.runID)
        #expect(report.changed == ["a.txt"])
        #expect(report.missing == ["b.txt"])
        #expect(report.extra == ["c.txt"])
        #expect(report.verified == 1)
        #expect(!report.isIntact)
    }

    @Test("a corrupt or foreign manifest or metrics file marks only that run damaged")
    func damaged() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("s")
        var ids: [RunID] = []
        for (index, value) in [1, 2, 3, 4].enumerated() {
            var options = testOptions()
            options.runID = try RunID("2024010\(index + 1)_000000")
            let storage = try SpecimenStorage(at: path, options: options)
            try storage.log(["v": .int(Int64(value))])
            try storage.finish()
            ids.append(storage.runID)
        }
        let specimen = try Specimen(at: path)
        func overwrite(_ id: RunID, _ name: String, _ bytes: [UInt8]) throws {
            let file = specimen.runPath(id) + "/" + name
            chmod(file, 0o644)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        try overwrite(ids[0], "manifest.msgpack", [0xc1, 0x00, 0xff])                                        // not MessagePack
        try overwrite(ids[1], "manifest.msgpack", MessagePackValue.map([("format", "other/9")]).encoded())   // foreign
        try overwrite(ids[2], "metrics.parquet", Array("PAR1 not really PAR1".utf8))                          // corrupt metrics
        if case .damaged(let reason) = try specimen.runInfo(ids[0]).state { #expect(reason.contains("manifest")) } else { Issue.record("run 0 not damaged") }
        if case .damaged(let reason) = try specimen.runInfo(ids[1]).state { #expect(reason.contains("other/9")) } else { Issue.record("run 1 not damaged") }
        #expect(try specimen.runInfo(ids[3]).state == .sealed(.completed))
        #expect(try specimen.listRuns() == ids)
        #expect { try specimen.readMetrics(run: ids[2]) } throws: { ($0 as? SpecimenError)?.code == .damaged }
        #expect(int64s(try specimen.readMetrics(run: ids[3])["v"]) == [4])
        let runs = try specimen.readRunsTable()
        let all = runs.table
        #expect(runs.skipped.map(\.run) == [ids[2]])
        #expect(int64s(all["v"]) == [1, 2, 4])   // manifests 0 and 1 are damaged but their metrics are intact
        #expect(int64s(try specimen.readMetrics()["v"]) == [4])
        #expect(throws: SpecimenError.self) { try specimen.verify(run: ids[0]) }
    }

    @Test("a file named runs, or a file where the specimen should be, is a clear error")
    func fileInTheWay() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("s"), withIntermediateDirectories: true)
        try Data("oops".utf8).write(to: URL(fileURLWithPath: folder.file("s/runs")))
        #expect { _ = try SpecimenStorage(at: folder.file("s"), options: testOptions()) } throws: { error in
            guard let error = error as? SpecimenError else { return false }
            return error.code == .notAFolder && error.message.contains("s/runs") && error.description.contains("Move or rename")
        }
        #expect { try Specimen(at: folder.file("s")).listRuns() } throws: { ($0 as? SpecimenError)?.code == .notAFolder }
        try Data("file".utf8).write(to: URL(fileURLWithPath: folder.file("f")))
        #expect { _ = try SpecimenStorage(at: folder.file("f"), options: testOptions()) } throws: { ($0 as? SpecimenError)?.code == .notAFolder }
    }

    @Test("an unwritable folder is a clear error naming the path")
    func unwritable() throws {
        guard getuid() != 0 else { return }   // root writes anywhere
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("ro"), withIntermediateDirectories: true)
        chmod(folder.file("ro"), 0o555)
        defer { chmod(folder.file("ro"), 0o755) }
        #expect { _ = try SpecimenStorage(at: folder.file("ro/s"), options: testOptions()) } throws: { error in
            guard let error = error as? SpecimenError else { return false }
            return error.code == .fileSystem && error.message.contains("ro/s") && error.recovery != nil
        }
    }

    @Test("a caller-supplied run ID is used once; taking it again throws")
    func suppliedRunID() throws {
        let folder = try TemporaryFolder()
        var options = testOptions()
        options.runID = try RunID("20200101_120000_05")
        let storage = try SpecimenStorage(at: folder.file("s"), options: options)
        #expect(storage.runID.rawValue == "20200101_120000_05")
        try storage.finish()
        #expect { _ = try SpecimenStorage(at: folder.file("s"), options: options) } throws: { ($0 as? SpecimenError)?.code == .alreadyExists }
    }

    @Test("runs created in the same second get _01, _02 … suffixes; hidden and foreign entries are not runs")
    func collisions() throws {
        let folder = try TemporaryFolder()
        try RunCreator.ensureSpecimen(folder.file("s"))
        let runs = folder.file("s/runs")
        var ids: [RunID] = []
        for _ in 0 ..< 5 { ids.append(try RunCreator.takeNextID(in: runs)) }
        #expect(Set(ids).count == 5)
        try FileManager.default.createDirectory(atPath: runs + "/.tmp-x", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: runs + "/notes", withIntermediateDirectories: true)
        let listed = try Specimen(at: folder.file("s")).listRuns()
        #expect(listed == ids.sorted())
    }
}
