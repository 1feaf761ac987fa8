import Foundation
public import MessagePack
public import Parquet

extension Specimen {
    /// The legacy layout this specimen is in, read-only: non-nil when it keeps results in the
    /// legacy place (root or `strata/`) that no run in `runs/` was migrated from. A specimen
    /// whose migration was committed (even if its legacy files are not removed yet) is not
    /// legacy; one where runs were started before migrating still is.
    public var legacyLayout: LegacyLayout? {
        guard let layout = LegacyLayout.detect(path) else { return nil }
        return hasMigratedRun(folderIDs: (try? runFolderIDs()) ?? []) ? nil : layout
    }

    /// Whether a run among `ids` records a migration (`migrated_from` in its manifest).
    func hasMigratedRun(folderIDs ids: [RunID]) -> Bool {
        ids.contains { id in
            guard let bytes = try? LocalStorage.shared.read(runPath(id) + "/" + RunFolder.manifest, limit: 256 << 20),
                  let manifest = try? MessagePackValue(decoding: bytes) else { return false }
            return manifest[RunManifest.Key.migratedFrom] != nil
        }
    }

    /// The folder where legacy code expects its files: the legacy folder while the specimen is
    /// in the legacy layout, else the latest run's folder; nil when there is neither.
    public var strataPath: String? {
        if let legacy = legacyStrataPath { return legacy }
        return (try? runFolderIDs())?.last.map(runPath)
    }

    /// The folder where legacy code expects its files: the specimen folder or its `strata/`;
    /// nil when the specimen is not legacy.
    public var legacyStrataPath: String? {
        legacyLayout.map { $0 == .root ? path : path + "/strata" }
    }

    /// The run ID the legacy results would get if migrated now (nothing is written).
    public var legacyRunID: RunID? {
        guard LegacyLayout.detect(path) != nil else { return nil }
        return legacyRunID(folderIDs: (try? runFolderIDs()) ?? [])
    }

    /// `legacyRunID`, given the run folders already listed.
    func legacyRunID(folderIDs ids: [RunID]) -> RunID? {
        guard let layout = LegacyLayout.detect(path), !hasMigratedRun(folderIDs: ids) else { return nil }
        let folder = layout == .root ? path : path + "/strata"
        let manifest = (try? LocalStorage.shared.read(folder + "/manifest.msgpack", limit: 256 << 20)).flatMap { try? MessagePackValue(decoding: $0) }
        guard let time = LegacyTime.resolve(manifest: manifest, metricsPath: folder + "/" + RunFolder.metrics) else { return nil }
        return SpecimenMigrator.nextFreeID(path, seconds: time.seconds, after: nil)
    }

    /// The legacy metrics read as one run, without migrating: `run_id` (the ID migration would
    /// give) first, then every legacy column. Throws `.notFound` when the specimen is not legacy
    /// and `.damaged` when the file cannot be read.
    public func readLegacyMetrics() throws -> Table {
        guard let folder = legacyStrataPath, let id = legacyRunID else {
            throw SpecimenError(.notFound, "specimen \(name) is not in the legacy layout", path: path,
                                recovery: "Read its runs with readMetrics(run:) instead")
        }
        let file = folder + "/" + RunFolder.metrics
        do {
            let reader = try ParquetReader(path: file)
            return MetricsFile.withRunID(try reader.read(), id)
        } catch {
            throw SpecimenError(.damaged, "\(file) cannot be read as Parquet", path: file, underlying: error)
        }
    }

    /// The legacy run manifest (keys as the legacy writer left them), or nil.
    public var legacyManifest: MessagePackValue? {
        guard let folder = legacyStrataPath,
              let bytes = try? LocalStorage.shared.read(folder + "/manifest.msgpack", limit: 256 << 20) else { return nil }
        return try? MessagePackValue(decoding: bytes)
    }

    /// The legacy results described as one sealed, completed run (from the legacy manifest and
    /// the metrics file's footer; nothing is written), or nil when the specimen is not legacy.
    /// For the store's `listRuns`/`runInfo` to show a legacy specimen as its one run.
    public var legacyRunInfo: RunInfo? {
        guard let folder = legacyStrataPath, let id = legacyRunID else { return nil }
        let manifest = legacyManifest ?? .map([])
        let legacy = RunManifest(pairs: Array(manifest.mapValue ?? [:]))   // keys read as a run manifest's; not checked for its format
        var info = RunInfo(id: id, path: folder, state: .sealed(.completed), params: legacy.params.mapValue != nil ? legacy.params : .map([]),
                           startedAt: nil, endedAt: nil, rows: nil, columns: [], summary: [], notes: legacy.notes,
                           tags: legacy.tags, manifest: manifest)
        info.isLegacy = true
        if let seconds = id.seconds {
            info.startedAt = Date(timeIntervalSince1970: Double(seconds))
            info.endedAt = info.startedAt
        }
        if let reader = try? ParquetReader(path: folder + "/" + RunFolder.metrics) {
            info.rows = reader.rowCount
            info.columns = [MetricColumnInfo(name: "run_id", type: .string)]
                + reader.schema.fields.map { MetricColumnInfo(name: $0.name, typeName: RunSealer.typeName($0.type)) }
        } else {
            info.state = .damaged(reason: "\(RunFolder.metrics) cannot be read as Parquet")
        }
        return info
    }
}
