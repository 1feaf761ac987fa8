#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parquet

/// Turns legacy (format version 0) specimens into the runs layout, safely.
///
/// The sequence is resumable and each step is durable before the next:
///
/// ```
/// 1. plan      read the legacy manifest and metrics; choose the run ID    (nothing written)
/// 2. stage     <specimen>/.migrating-<id>/: metrics.parquet (run_id first), other result
///              files hard-linked, manifest.msgpack (migrated_from), all fsynced, read-only
/// 3. verify    re-read the staged metrics: row count and every value against the legacy table;
///              every staged file against the manifest's size and SHA-256
/// 4. commit    rename .migrating-<id> → runs/<id> without replacing    ← the one switch-over
/// 5. finish    specimen manifest → specimen/1 (atomic replace), then remove the legacy files
///              whose size and SHA-256 match the run manifest's migrated_from, empty strata/
/// ```
///
/// Readers treat a specimen as legacy only while `runs/` holds no run, so before step 4 they see
/// the legacy layout and from step 4 on the run. A process killed before 4 leaves a hidden
/// staging folder that the next `migrate` removes and rebuilds; killed after 4, the next
/// `migrate` finds the committed run (its `migrated_from`) and finishes step 5.
///
/// ```swift
/// let report = SpecimenMigrator.migrate("specimens/mnist")
/// print(report.outcome, report.runID ?? "-", report.message)
/// ```
public enum SpecimenMigrator {
    static let stagingPrefix = ".migrating-"
    static let lockName = ".migrate.lock"
    /// Specimen-level keys copied from a legacy run manifest into the specimen manifest.
    static let specimenKeys = ["name", "description", "tags", "protocol", "project", "author", "owner", "title"]

    /// Migrates (or, with `dryRun`, plans) the specimen at `path`. Never throws: a specimen that
    /// cannot be migrated comes back as `.failed` with the reason, untouched.
    public static func migrate(_ path: String, dryRun: Bool = false) -> MigrationReport {
        let path = Specimen.trimmed(path)
        do {
            return try migrateThrowing(path, dryRun: dryRun)
        } catch let error as SpecimenError {
            return MigrationReport(specimenPath: path, outcome: .failed, plan: nil, runID: nil, message: error.description, warnings: [])
        } catch {
            return MigrationReport(specimenPath: path, outcome: .failed, plan: nil, runID: nil, message: "\(error)", warnings: [])
        }
    }

    /// The specimen folders under `root` (visible subfolders), sorted by name.
    public static func specimens(under root: String) throws -> [String] {
        let root = Specimen.trimmed(root)
        guard LocalStorage.shared.isFolder(root) else {
            throw SpecimenError(.notFound, "no folder of specimens at \(root)", path: root, recovery: "Pass --root with the folder that holds your specimens")
        }
        return (LocalStorage.shared.list(root) ?? []).filter { !$0.hasPrefix(".") && LocalStorage.shared.isFolder(root + "/" + $0) }.sorted()
            .map { root == "." ? $0 : root + "/" + $0 }
    }

    /// Whether the specimen at `path` still needs migrating (legacy, or interrupted).
    public static func needsMigration(_ path: String) -> Bool {
        let path = Specimen.trimmed(path)
        return committedRun(path) != nil || (LegacyLayout.detect(path) != nil)
    }

    static func migrateThrowing(_ path: String, dryRun: Bool) throws -> MigrationReport {
        _ = try Specimen(at: path)
        // An interrupted migration past its commit: finish it.
        if let (id, manifest) = committedRun(path) {
            if dryRun {
                return MigrationReport(specimenPath: path, outcome: .wouldFinish, plan: nil, runID: id,
                                       message: "an interrupted migration committed run \(id); its legacy files would be removed", warnings: [])
            }
            let lock = try MigrationLock(path + "/" + lockName)
            defer { lock.release() }
            let warnings = try finish(path, runID: id, manifest: manifest)
            return MigrationReport(specimenPath: path, outcome: .finished, plan: nil, runID: id,
                                   message: "finished an interrupted migration into run \(id)", warnings: warnings)
        }
        guard let layout = LegacyLayout.detect(path) else {
            if !dryRun { MigrationLock.removeIfStale(path + "/" + lockName) }
            let runs = (try? Specimen(unchecked: path).runFolderIDs()) ?? []
            if !runs.isEmpty {
                return MigrationReport(specimenPath: path, outcome: .alreadyMigrated, plan: nil, runID: nil,
                                       message: "already in the runs layout (\(runs.count) run\(runs.count == 1 ? "" : "s")); nothing to do", warnings: [])
            }
            return MigrationReport(specimenPath: path, outcome: .notLegacy, plan: nil, runID: nil,
                                   message: "not a legacy specimen: no metrics.parquet with manifest.msgpack at its root or in strata/; nothing to do", warnings: [])
        }
        let plan = try makePlan(path, layout: layout)
        if dryRun {
            return MigrationReport(specimenPath: path, outcome: .wouldMigrate, plan: plan, runID: plan.runID,
                                   message: "would migrate into run \(plan.runID)", warnings: [])
        }
        MigrationFault.check("planned")
        let lock = try MigrationLock(path + "/" + lockName)
        defer { lock.release() }
        removeStaging(path)
        var id = plan.runID
        var reason = plan.runIDReason
        var manifest: MessagePackValue = .nil
        while true {
            do {
                manifest = try stageAndCommit(plan, runID: id)
                break
            } catch let error as SpecimenError where error.code == .alreadyExists {
                // Another run took this ID between the plan and the commit: the next free one.
                guard let next = nextFreeID(path, seconds: plan.seconds, after: id) else { throw error }
                id = next
                reason = plan.runIDReason + "; \(next) because the earlier IDs of that second were taken"
            }
        }
        MigrationFault.check("committed")
        let warnings = try finish(path, runID: id, manifest: manifest)
        return MigrationReport(specimenPath: path, outcome: .migrated, plan: plan, runID: id,
                               message: "migrated into run \(id) (\(reason))", warnings: warnings)
    }

    // MARK: - Planning

    static func makePlan(_ path: String, layout: LegacyLayout) throws -> MigrationPlan {
        let runsPath = path + "/" + RunFolder.runs
        if LocalStorage.shared.exists(runsPath), !LocalStorage.shared.isFolder(runsPath) {
            throw SpecimenError(.notAFolder, "a file is in the way: \(runsPath) is a file, so runs/ cannot be created", path: runsPath,
                                recovery: "Move or rename that file, then migrate again")
        }
        let legacyFolder = layout == .root ? path : path + "/strata"
        let manifestPath = legacyFolder + "/manifest.msgpack"
        let metricsPath = legacyFolder + "/" + RunFolder.metrics
        let manifest: MessagePackValue
        do {
            manifest = try MessagePackValue(decoding: try LocalStorage.shared.read(manifestPath, limit: 256 << 20))
        } catch {
            throw SpecimenError(.damaged, "the legacy manifest \(manifestPath) cannot be read as MessagePack: \(error)", path: manifestPath,
                                recovery: "Repair or remove it, then migrate again")
        }
        guard let pairs = manifest.mapValue else {
            throw SpecimenError(.damaged, "the legacy manifest \(manifestPath) is not a map", path: manifestPath, recovery: "Repair it, then migrate again")
        }
        if pairs.contains(where: { $0.key.stringValue == nil }) {
            throw SpecimenError(.damaged, "the legacy manifest \(manifestPath) has keys that are not strings", path: manifestPath,
                                recovery: "Run manifests need string keys; repair it, then migrate again")
        }
        let reader: ParquetReader
        let table: Table
        do {
            reader = try ParquetReader(path: metricsPath)
        } catch {
            throw SpecimenError(.damaged, "the legacy metrics \(metricsPath) cannot be read as Parquet: \(error)", path: metricsPath,
                                recovery: "Repair or replace the file, then migrate again")
        }
        if !reader.nestedColumns.isEmpty {
            throw SpecimenError(.metrics, "the legacy metrics \(metricsPath) have a nested schema (\(reader.nestedColumns.joined(separator: ", "))), which a flat metrics table cannot hold",
                                path: metricsPath, recovery: "Flatten those columns with pandas/pyarrow, then migrate again")
        }
        do {
            table = try reader.read()
        } catch {
            throw SpecimenError(.damaged, "the legacy metrics \(metricsPath) cannot be read: \(error)", path: metricsPath,
                                recovery: "Repair or replace the file, then migrate again")
        }
        if table.columnIndex(named: "run_id") != nil {
            throw SpecimenError(.metrics, "the legacy metrics \(metricsPath) already have a run_id column, which the migrated file needs for the run's ID",
                                path: metricsPath, recovery: "Rename that column, then migrate again")
        }
        guard let time = LegacyTime.resolve(manifest: manifest, metricsPath: metricsPath) else {
            throw SpecimenError(.damaged, "no time for \(path): the legacy manifest has none and \(metricsPath) has no modification time", path: path)
        }
        guard let id = nextFreeID(path, seconds: time.seconds, after: nil) else {
            throw SpecimenError(.alreadyExists, "every run ID of the second \(Timestamps.iso(seconds: time.seconds)) is taken in \(runsPath)", path: runsPath)
        }
        var reason = "\(Timestamps.iso(seconds: time.seconds)) \(time.reason)"
        if id.collisionIndex > 0 { reason += "; suffix _\(id.rawValue.suffix(2)) because \(RunID(seconds: time.seconds, index: 0)) is taken" }

        var files: [MigrationFileMove] = [
            MigrationFileMove(source: layout.relative(RunFolder.metrics), destination: "runs/\(id)/\(RunFolder.metrics)", action: .rewritten),
            MigrationFileMove(source: layout.relative(RunFolder.manifest), destination: "\(RunFolder.runs)/\(id)/\(RunFolder.manifest)",
                              action: layout == .root ? .specimenManifest : .manifest),
        ]
        for relative in otherFiles(path, layout: layout) {
            let inRun = layout == .root ? relative : String(relative.dropFirst("strata/".count))
            files.append(MigrationFileMove(source: relative, destination: "runs/\(id)/\(inRun)", action: .moved))
        }
        for name in (LocalStorage.shared.list(path) ?? []).sorted() where isKeptAtRoot(name) {
            files.append(MigrationFileMove(source: name, destination: name, action: .kept))
        }
        if layout == .strata, LocalStorage.shared.exists(path + "/manifest.msgpack") {
            files.append(MigrationFileMove(source: RunFolder.manifest, destination: RunFolder.manifest, action: .kept))
        }
        var notes: [String] = []
        let kv = (reader.keyValueMetadata).map { (key: $0.key, value: $0.value ?? "") }
        if kv.contains(where: { $0.key == "ARROW:schema" }) {
            notes.append("ARROW:schema dropped: it is a serialized Arrow schema without run_id; pyarrow rebuilds the schema from the Parquet types and the pandas entry")
        }
        if let pandas = kv.first(where: { $0.key == "pandas" }), PandasMetadata.addingRunID(to: pandas.value) == nil {
            notes.append("pandas metadata dropped: it is not the JSON object pandas writes, so it cannot be extended with run_id")
        }
        return MigrationPlan(specimenPath: path, layout: layout, runID: id, runIDReason: reason, rows: table.rowCount,
                             columns: table.columns.map { MetricColumnInfo(name: $0.name, typeName: RunSealer.typeName($0.type)) },
                             files: files, notes: notes, table: table, legacyManifest: manifest, keyValueMetadata: kv, seconds: time.seconds)
    }

    /// Protocol files and field notes stay at the specimen root.
    static func isKeptAtRoot(_ name: String) -> Bool {
        name == RunFolder.fieldNotes || name.hasPrefix("protocol.")
    }

    /// The legacy result files other than metrics and manifest, relative to the specimen,
    /// sorted (hidden names skipped at every level).
    static func otherFiles(_ path: String, layout: LegacyLayout) -> [String] {
        switch layout {
        case .strata:
            return FileDigest.visibleFiles(in: path + "/strata", excludingTopLevel: [RunFolder.metrics, RunFolder.manifest]).map { "strata/" + $0 }
        case .root:
            let excluded: Set<String> = Set([RunFolder.metrics, RunFolder.manifest, RunFolder.runs, "strata"])
                .union((LocalStorage.shared.list(path) ?? []).filter(isKeptAtRoot))
            return FileDigest.visibleFiles(in: path, excludingTopLevel: excluded)
        }
    }

    /// The first ID of the second `seconds` after `after` (or from the start) not in `runs/`.
    static func nextFreeID(_ path: String, seconds: Int64, after: RunID?) -> RunID? {
        let start = after.map { $0.collisionIndex + 1 } ?? 0
        guard start <= 99 else { return nil }
        for index in start ... 99 {
            let id = RunID(seconds: seconds, index: index)
            if !LocalStorage.shared.exists(path + "/" + RunFolder.runs + "/" + id.rawValue) { return id }
        }
        return nil
    }

    // MARK: - Committed migrations

    /// The newest run whose manifest records a migration that is not finished yet (legacy
    /// files still in place, or the specimen manifest not yet `specimen/1`).
    static func committedRun(_ path: String) -> (RunID, MessagePackValue)? {
        let specimen = Specimen(unchecked: path)
        guard let ids = try? specimen.runFolderIDs() else { return nil }
        for id in ids.reversed() {
            let manifestPath = specimen.runPath(id) + "/manifest.msgpack"
            guard let bytes = try? LocalStorage.shared.read(manifestPath, limit: 256 << 20), let manifest = try? MessagePackValue(decoding: bytes),
                  let from = manifest["migrated_from"], from["files"]?.mapValue != nil
            else { continue }
            if isPending(path, runFolder: specimen.runPath(id), from: from) { return (id, manifest) }
        }
        return nil
    }

    static func isPending(_ path: String, runFolder: String, from: MessagePackValue) -> Bool {
        if !LegacyLayout.isSpecimenManifest(path + "/manifest.msgpack") { return true }
        for pair in from["files"]?.mapValue ?? [:] {
            guard let relative = pair.key.stringValue else { continue }
            if relative == RunFolder.manifest { continue }   // became the specimen manifest
            if isLegacyCopy(path + "/" + relative, entry: pair.value, runFolder: runFolder) { return true }
        }
        return false
    }

    /// Whether `file` is still the legacy file `entry` describes (same size and SHA-256, or the
    /// same inode as its copy in the run).
    static func isLegacyCopy(_ file: String, entry: MessagePackValue, runFolder: String) -> Bool {
        guard let info = LocalStorage.shared.entry(file), info.kind == .file || info.kind == .symlink else { return false }
        if let to = entry["to"]?.stringValue, let copy = LocalStorage.shared.entry(runFolder + "/" + to), copy.inode != nil, copy.inode == info.inode, copy.device == info.device {
            return true
        }
        guard let size = entry["size"]?.intValue, Int64(info.size) == size, let sha = entry["sha256"]?.stringValue else { return false }
        return (try? FileDigest.sha256(file))?.hex == sha
    }

    /// Removes leftover staging folders (from a migration killed before its commit).
    static func removeStaging(_ path: String) {
        var removed = false
        for name in LocalStorage.shared.list(path) ?? [] where name.hasPrefix(stagingPrefix) {
            removeTree(path + "/" + name)
            removed = true
        }
        if removed { LocalStorage.shared.syncFolder(path) }
    }

    /// `rm -r` without following symbolic links.
    static func removeTree(_ path: String) {
        guard let info = LocalStorage.shared.entry(path) else { return }
        if info.kind == .folder {
            for name in LocalStorage.shared.list(path) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            LocalStorage.shared.remove(path)
        }
    }
}
