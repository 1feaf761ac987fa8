import Foundation
import InteropSupport
import MessagePack
import Parquet
@testable import Specimens
import Testing

/// A snapshot of a folder tree: every entry's path, kind, bytes and modification time (ns).
struct TreeSnapshot: Equatable, CustomStringConvertible {
    var entries: [String: String] = [:]

    init(_ root: String) {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return }
        for case let relative as String in enumerator {
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let mtime = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            if (info.st_mode & S_IFMT) == S_IFDIR {
                entries[relative] = "dir \(mtime)"
            } else {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
                entries[relative] = "file \(mtime) \(data.count) \(data.hashValue) \(data.base64EncodedString().prefix(64))"
            }
        }
    }

    var description: String { entries.keys.sorted().joined(separator: "\n") }
}

/// Legacy specimens written by pandas/pyarrow/msgpack (`migration_legacy.py`).
enum LegacyFixture {
    static func make(_ kind: String, in folder: TemporaryFolder, name: String? = nil) throws -> String {
        let path = folder.file(name ?? kind)
        try Python.run("migration_legacy.py", [path, kind])
        return path
    }

    /// What pyarrow, pandas and msgpack see in a migrated run, compared with the legacy frame.
    static func check(run: String, pickle: String) throws -> [String: Any] {
        let out = try Python.run("migration_check.py", [run, pickle])
        return try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any] ?? [:]
    }
}

@Suite("Migration from the legacy layout")
struct MigrationTests {
    @Test func rootLayoutWithEveryDtypeBecomesOneVerifiedRun() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("root", in: folder)
        let legacyTable = try ParquetReader(path: path + "/metrics.parquet").read()

        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .migrated, "\(report.message)")
        let id = try RunID("20240305_142201")
        #expect(report.runID == id)
        #expect(report.message.contains("run_timestamp"))

        let specimen = try Specimen(at: path)
        #expect(try specimen.listRuns() == [id])
        let verification = try specimen.verify(run: id)
        #expect(verification.changed.isEmpty && verification.missing.isEmpty && verification.extra.isEmpty)
        #expect(verification.verified == 3)   // metrics.parquet, summary.csv, plots/loss.png (the manifest lists the others)
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 12)

        // Every legacy column, value and type, after run_id.
        let table = try specimen.readMetrics(run: id)
        #expect(table.columnNames == ["run_id"] + legacyTable.columnNames)
        for column in legacyTable.columns { #expect(table[column.name] == column) }

        // The root keeps protocol and notes; the manifest is specimen/1 with specimen-level keys.
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: path))
        #expect(names == ["protocol.py", "field_notes.md", "manifest.msgpack", "runs"])
        let specimenManifest = try #require(specimen.manifest)
        #expect(specimenManifest["format"]?.stringValue == "specimen/1")
        #expect(specimenManifest["description"]?.stringValue == "legacy specimen")
        #expect(specimenManifest["tags"] == .array(["legacy", "test"]))

        // The run manifest: every legacy key, clashing ones under legacy, migrated_from.
        let manifest = try #require(info.manifest)
        #expect(manifest["status"]?.stringValue == "completed")
        #expect(manifest["legacy"]?["status"]?.stringValue == "done")
        #expect(manifest["legacy"]?["run_timestamp"]?.stringValue == "2024-03-05T14:22:01")
        #expect(manifest["params"]?["lr"]?.doubleValue == 0.01)
        #expect(manifest["author"]?.stringValue == "ada")
        #expect(manifest["blob"] == .binary([0, 1]))
        #expect(manifest["nested"]?["a"]?.arrayValue?.count == 3)
        let from = try #require(manifest["migrated_from"]?["files"]?.mapValue)
        #expect(Set(from.compactMap { $0.key.stringValue }) == ["metrics.parquet", "manifest.msgpack", "summary.csv", "plots/loss.png"])
        for pair in from {
            #expect(pair.value["sha256"]?.stringValue?.count == 64 || pair.key.stringValue == nil)
            #expect((pair.value["size"]?.intValue ?? 0) > 0)
        }

        // pyarrow and pandas read it back: dtypes, the named index, every value.
        let seen = try LegacyFixture.check(run: specimen.runPath(id), pickle: path + ".pkl")
        #expect(seen["index_name"] as? String == "row")
        #expect(seen["index_equal"] as? Bool == true)
        #expect(seen["run_ids"] as? [String] == [id.rawValue])
        let equal = try #require(seen["equal"] as? [String: Any])
        for (column, verdict) in equal { #expect(verdict as? Bool == true, "\(column): \(verdict)") }
        let dtypes = try #require(seen["dtypes"] as? [String: String])
        #expect(dtypes["acc32"] == "float32")
        #expect(dtypes["count"] == "Int64")
        #expect(dtypes["when_tz"]?.contains("Europe/Paris") == true)
        #expect((seen["metadata_keys"] as? [String])?.contains("ARROW:schema") == false)
        #expect((seen["arrow_names"] as? [String])?.first == "run_id")
    }

    @Test func legacyDecimalColumnsSurviveExactly() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("decimal", in: folder)
        let legacyTable = try ParquetReader(path: path + "/metrics.parquet").read()
        #expect(legacyTable["price"]?.type == .decimal(precision: 10, scale: 2))
        #expect(legacyTable["big"]?.type == .decimal(precision: 38, scale: 10))

        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .migrated, "\(report.message)")
        let specimen = try Specimen(at: path)
        let id = try #require(try specimen.listRuns().first)
        let table = try specimen.readMetrics(run: id)
        for column in legacyTable.columns { #expect(table[column.name] == column) }
        #expect(table["big"]?[0].description == "-9999999999999999999999999999.9999999999")

        let seen = try LegacyFixture.check(run: specimen.runPath(id), pickle: path + ".pkl")
        let equal = try #require(seen["equal"] as? [String: Any])
        #expect(equal.count == 3)
        for (column, verdict) in equal { #expect(verdict as? Bool == true, "\(column): \(verdict)") }
    }

    @Test func strataLayoutWithoutTimeUsesTheFileTime() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("strata", in: folder)
        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .migrated, "\(report.message)")
        let id = try RunID("20231114_221320")   // the metrics file's mtime, 1700000000
        #expect(report.runID == id)
        #expect(report.message.contains("modification time"))
        #expect(!FileManager.default.fileExists(atPath: path + "/strata"))
        let specimen = try Specimen(at: path)
        let verification = try specimen.verify(run: id)
        #expect(verification.changed.isEmpty && verification.missing.isEmpty && verification.extra.isEmpty)
        #expect(FileManager.default.fileExists(atPath: specimen.runPath(id) + "/checkpoints/model.bin"))
        #expect(FileManager.default.fileExists(atPath: specimen.runPath(id) + "/plot.svg"))
        let manifest = try #require(try specimen.runInfo(id).manifest)
        #expect(manifest["legacy"]?["run_id"]?.stringValue == "legacy-1")
        #expect(manifest["notes"]?.stringValue == "no time here")
        #expect(manifest["params"]?["seed"]?.intValue == 7)
        let root = try #require(specimen.manifest)
        #expect(root["format"]?.stringValue == "specimen/1")
        #expect(root["description"]?.stringValue == "strata specimen")
        let seen = try LegacyFixture.check(run: specimen.runPath(id), pickle: path + ".pkl")
        let equal = try #require(seen["equal"] as? [String: Any])
        for (column, verdict) in equal { #expect(verdict as? Bool == true, "\(column): \(verdict)") }
    }

    @Test(arguments: ["epoch", "msgts"])
    func timeFromEpochSecondsOrMessagePackTimestamp(kind: String) throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make(kind, in: folder)
        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .migrated, "\(report.message)")
        #expect(report.runID?.rawValue == "20240305_142201")
    }

    @Test(arguments: ["corrupt", "nested"])
    func unmigratableSpecimensAreLeftUntouched(kind: String) throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make(kind, in: folder)
        let before = TreeSnapshot(path)
        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .failed)
        #expect(report.message.contains(kind == "corrupt" ? "cannot be read" : "nested"))
        #expect(TreeSnapshot(path) == before)
    }

    @Test func dryRunChangesNothingAndSecondMigrationDoesNothing() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("root", in: folder)
        let before = TreeSnapshot(folder.path)
        let dry = SpecimenMigrator.migrate(path, dryRun: true)
        #expect(dry.outcome == .wouldMigrate)
        #expect(dry.plan?.files.contains { $0.source == "plots/loss.png" && $0.destination == "runs/20240305_142201/plots/loss.png" } == true)
        #expect(TreeSnapshot(folder.path) == before)

        #expect(SpecimenMigrator.migrate(path).outcome == .migrated)
        let after = TreeSnapshot(folder.path)
        let again = SpecimenMigrator.migrate(path)
        #expect(again.outcome == .alreadyMigrated)
        #expect(again.message.contains("nothing to do"))
        #expect(TreeSnapshot(folder.path) == after)
        #expect(SpecimenMigrator.migrate(path, dryRun: true).outcome == .alreadyMigrated)
    }

    @Test func collisionTakesTheNextSuffix() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("root", in: folder)
        try FileManager.default.createDirectory(atPath: path + "/runs/20240305_142201", withIntermediateDirectories: true)
        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .migrated, "\(report.message)")
        #expect(report.runID?.rawValue == "20240305_142201_01")
        #expect(report.message.contains("taken"))
    }

    @Test func fileInTheWayIsReported() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("root", in: folder)
        try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/runs"))
        let before = TreeSnapshot(path)
        let report = SpecimenMigrator.migrate(path)
        #expect(report.outcome == .failed)
        #expect(report.message.contains("in the way"))
        #expect(TreeSnapshot(path) == before)
    }

    @Test func libraryReadsALegacySpecimenAsOneRunWithoutMigrating() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("strata", in: folder)
        let before = TreeSnapshot(path)
        let specimen = try Specimen(at: path)
        #expect(specimen.legacyLayout == .strata)
        #expect(specimen.legacyStrataPath == path + "/strata")
        #expect(specimen.legacyRunID?.rawValue == "20231114_221320")
        let table = try specimen.readLegacyMetrics()
        #expect(table.columnNames.first == "run_id")
        #expect(table.rowCount == 8)
        #expect(specimen.legacyManifest?["params"]?["seed"]?.intValue == 7)
        let info = try #require(specimen.legacyRunInfo)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 8)
        #expect(info.columns.first?.name == "run_id")
        #expect(info.id.rawValue == "20231114_221320")
        // The store's read API sees the legacy results as the specimen's one run.
        let id = try #require(specimen.legacyRunID)
        #expect(try specimen.listRuns() == [id])
        #expect(try specimen.latestRun == id)
        #expect(specimen.strataPath == path + "/strata")
        #expect(try specimen.runInfo(id).isLegacy)
        #expect(try specimen.runInfos().map(\.id) == [id])
        #expect(try specimen.readMetrics(run: id) == table)
        #expect(try specimen.readMetrics() == table)
        #expect(try specimen.readAllRuns() == table)
        #expect(throws: SpecimenError.self) { try specimen.verify(run: id) }
        #expect(try specimen.recover().isEmpty)
        #expect(TreeSnapshot(path) == before)
        #expect(SpecimenMigrator.migrate(path).outcome == .migrated)
        #expect(specimen.legacyLayout == nil)
        #expect(try specimen.listRuns() == [id])
        #expect(try specimen.runInfo(id).isLegacy == false)
        #expect(try specimen.readAllRuns() == table)
        #expect(specimen.strataPath == specimen.runPath(id))
    }

    @Test func runsStartedOnALegacySpecimenListBesideItsLegacyRun() throws {
        let folder = try TemporaryFolder()
        let path = try LegacyFixture.make("strata", in: folder)
        let storage = try SpecimenStorage(at: path)
        try storage.log(step: 0, ["loss": .double(0.5)])
        try storage.finish(status: .completed)
        let specimen = try Specimen(at: path)
        let legacy = try #require(specimen.legacyRunID)
        let runs = try specimen.listRuns()
        #expect(runs.count == 2)
        #expect(runs.contains(legacy) && runs.contains(storage.runID))
        let all = try specimen.readAllRuns()
        #expect(all.rowCount == 9)
        #expect(Set(all.columns[0].boxedValues) == [.string(legacy.rawValue), .string(storage.runID.rawValue)])
        // Once migrated, the legacy run is a run folder like the other, under the same ID.
        #expect(SpecimenMigrator.migrate(path).outcome == .migrated)
        #expect(try specimen.listRuns() == runs)
        #expect(try specimen.readAllRuns().rowCount == 9)
    }

    @Test(arguments: [
        ("2024-03-05T14:22:01", Int64(1_709_648_521)), ("2024-03-05 14:22:01", 1_709_648_521), ("2024-03-05T14:22:01Z", 1_709_648_521),
        ("2024-03-05T15:22:01+01:00", 1_709_648_521), ("2024-03-05T14:22:01.123456", 1_709_648_521), ("2024-03-05", 1_709_596_800),
        ("2024-03-05T16:22:01+0200", 1_709_648_521),
    ])
    func isoTextIsParsed(text: String, seconds: Int64) {
        #expect(LegacyTime.parse(text) == seconds)
    }

    @Test(arguments: ["", "yesterday", "2023-02-30T00:00:00", "2024-13-01", "2024-03-05T25:00:00", "2024-03-05T14:22:01 junk"])
    func nonTimesAreRejected(text: String) {
        #expect(LegacyTime.parse(text) == nil)
    }

    @Test func pandasMetadataGainsRunID() throws {
        let json = #"{"index_columns": ["row"], "columns": [{"name": "step", "field_name": "step", "pandas_type": "int64", "numpy_type": "int64", "metadata": null}]}"#
        let out = try #require(PandasMetadata.addingRunID(to: json))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["field_name"] as? String } == ["run_id", "step"])
        #expect(PandasMetadata.addingRunID(to: "not json") == nil)
    }

    @Test func batchMigratesInTheOrderGivenAndOnceEach() throws {
        let folder = try TemporaryFolder()
        let root = try LegacyFixture.make("root", in: folder)
        let strata = try LegacyFixture.make("strata", in: folder)
        let corrupt = try LegacyFixture.make("corrupt", in: folder)
        let started = StartedPaths()
        let reports = SpecimenMigrator.migrate([root, corrupt, strata, root + "/"]) { _, total, path in
            #expect(total == 4)
            started.add(path)
        }
        #expect(reports.map(\.outcome) == [.migrated, .failed, .migrated, .notLegacy])
        #expect(reports[3].message.contains("twice"))
        #expect(started.count == 4)
        #expect(try Specimen(at: strata).listRuns().map(\.rawValue) == ["20231114_221320"])
    }
}

/// Paths seen by a progress callback, from any thread.
final class StartedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []
    func add(_ path: String) { lock.lock(); paths.append(path); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return paths.count }
}
