#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parquet

extension SpecimenMigrator {
    /// Keys the migration writes into the run manifest; legacy keys with these names (and
    /// different values) move under `legacy`.
    static let ownKeys: Set<String> = Set(RunManifest.Key.required + [RunManifest.Key.durationSeconds, RunManifest.Key.migratedFrom,
                                                                       RunManifest.Key.legacy])

    /// Builds the run in `.migrating-<id>`, verifies it, and renames it into `runs/<id>`.
    /// Throws `.alreadyExists` when `runs/<id>` appeared meanwhile (the staging is removed).
    static func stageAndCommit(_ plan: MigrationPlan, runID id: RunID) throws -> MessagePackValue {
        let path = plan.specimenPath
        let staging = path + "/" + stagingPrefix + id.rawValue
        removeTree(staging)
        try LocalStorage.shared.createFolder(staging)   // made durable with its contents, before the commit
        MigrationFault.check("staging")
        // Moved files are hard-linked into the run and sealing makes them read-only, which the
        // legacy names share until they are removed: remember their modes to restore on failure.
        let modes: [(String, Int)] = plan.files.filter { $0.action == .moved }.compactMap { move in
            guard let info = LocalStorage.shared.entry(path + "/" + move.source), info.kind == .file, let permissions = info.permissions else { return nil }
            return (path + "/" + move.source, permissions)
        }
        do {
            let manifest = try stage(plan, runID: id, into: staging)
            if try LocalStorage.shared.createFolder(path + "/" + RunFolder.runs) { LocalStorage.shared.syncFolder(path) }
            let target = path + "/" + RunFolder.runs + "/" + id.rawValue
            try LocalStorage.shared.moveWithoutReplacing(staging, target)
            LocalStorage.shared.syncFolder(path + "/" + RunFolder.runs)
            LocalStorage.shared.syncFolder(path)
            return manifest
        } catch {
            removeTree(staging)
            for (file, mode) in modes { LocalStorage.shared.setPermissions(file, mode) }
            throw error
        }
    }

    static func stage(_ plan: MigrationPlan, runID id: RunID, into staging: String) throws -> MessagePackValue {
        let path = plan.specimenPath
        let legacyFolder = plan.layout == .root ? path : path + "/strata"
        var migrated: [(key: MessagePackValue, value: MessagePackValue)] = []

        // 1. metrics.parquet: run_id first, every legacy column as it was.
        let table = MetricsFile.withRunID(plan.table, id)
        var options = ParquetWriter.Options()
        var kv: [(key: String, value: String)] = []
        for entry in plan.keyValueMetadata {
            switch entry.key {
            case "ARROW:schema", "specimen.run_id": continue
            case "pandas":
                if let rewritten = PandasMetadata.addingRunID(to: entry.value) { kv.append((entry.key, rewritten)) }
            default: kv.append(entry)
            }
        }
        kv.append(("specimen.run_id", id.rawValue))
        kv.append(("specimen.migrated_from", plan.layout.relative(RunFolder.metrics)))
        options.keyValueMetadata = kv
        let bytes: [UInt8]
        do {
            bytes = try ParquetWriter.encode(table, options: options)
        } catch {
            throw SpecimenError(.metrics, "cannot write the migrated metrics of \(path): \(error)", path: path)
        }
        try LocalStorage.shared.create(staging + "/" + RunFolder.metrics, bytes)
        let legacyMetrics = try FileDigest.sha256(legacyFolder + "/" + RunFolder.metrics)
        migrated.append((.string(plan.layout.relative(RunFolder.metrics)), .map([
            ("size", .int(Int64(legacyMetrics.size))), ("sha256", .string(legacyMetrics.hex)), ("to", .string(RunFolder.metrics)),
            ("action", "rewritten with run_id"),
        ])))
        let legacyManifest = try FileDigest.sha256(legacyFolder + "/" + RunFolder.manifest)
        migrated.append((.string(plan.layout.relative(RunFolder.manifest)), .map([
            ("size", .int(Int64(legacyManifest.size))), ("sha256", .string(legacyManifest.hex)), ("to", .string(RunFolder.manifest)),
            ("action", .string(plan.layout == .root ? "keys into the run manifest; became the specimen/1 manifest" : "keys into the run manifest")),
        ])))
        MigrationFault.check("metrics")

        // 2. Other result files: hard links (copies where links are refused), unchanged.
        var linkedFolders: Set<String> = []
        for move in plan.files where move.action == .moved {
            let inRun = String(move.destination.dropFirst("runs/\(plan.runID)/".count))
            let source = path + "/" + move.source
            let target = staging + "/" + inRun
            var folder = staging
            for component in inRun.split(separator: "/").dropLast() {
                folder += "/" + component
                try LocalStorage.shared.createFolder(folder)
            }
            if link(source, target) != 0 {
                try copyFile(source, target)
            }
            let digest: (size: Int, hex: String)
            if let info = LocalStorage.shared.entry(source), info.kind == .symlink {
                digest = (info.size, "")
            } else {
                digest = try FileDigest.sha256(source)
            }
            migrated.append((.string(move.source), .map([
                ("size", .int(Int64(digest.size))), ("sha256", .string(digest.hex)), ("to", .string(inRun)), ("action", "moved"),
            ])))
            if folder != staging { linkedFolders.insert(folder) }
        }
        for folder in linkedFolders { LocalStorage.shared.syncFolder(folder) }
        LocalStorage.shared.syncFolder(staging)
        MigrationFault.check("files")

        // 3. Verify the metrics: row count and every value.
        try verifyMetrics(staging + "/" + RunFolder.metrics, legacy: plan.table, runID: id)

        // 4. The manifest (sealing): every legacy key, ours, files with sizes and digests.
        var files: [(key: MessagePackValue, value: MessagePackValue)] = []
        for relative in FileDigest.visibleFiles(in: staging, excludingTopLevel: [RunFolder.manifest]) {
            let file = staging + "/" + relative
            if let info = LocalStorage.shared.entry(file), info.kind == .symlink {
                files.append((.string(relative), RunManifest.symlinkEntry(target: LocalStorage.shared.symlinkTarget(file) ?? "")))
                continue
            }
            let digest = try FileDigest.sha256(file)
            files.append((.string(relative), RunManifest.fileEntry(size: digest.size, sha256: digest.hex)))
        }
        let manifest = runManifest(plan, runID: id, table: table, files: files, migrated: migrated)
        try LocalStorage.shared.create(staging + "/" + RunFolder.manifest, manifest.encoded())
        for (key, _) in files {
            if let relative = key.stringValue, let info = LocalStorage.shared.entry(staging + "/" + relative), info.kind == .file {
                LocalStorage.shared.makeReadOnly(staging + "/" + relative)
            }
        }
        LocalStorage.shared.makeReadOnly(staging + "/" + RunFolder.manifest)
        MigrationFault.check("manifest")

        // 5. Verify every staged file against the manifest.
        for (key, value) in files {
            guard let relative = key.stringValue, let sha = value["sha256"]?.stringValue else { continue }
            let digest = try FileDigest.sha256(staging + "/" + relative)
            guard digest.hex == sha, Int64(digest.size) == value["size"]?.intValue else {
                throw SpecimenError(.damaged, "the staged file \(relative) changed while it was being migrated", path: staging + "/" + relative,
                                    recovery: "Nothing was removed; migrate again")
            }
        }
        MigrationFault.check("verified")
        return manifest
    }

    /// Re-reads the written metrics and compares them with the legacy table: row count, run_id
    /// on every row, and every column's name, type, nulls and values (NaN equal to NaN).
    static func verifyMetrics(_ file: String, legacy: Table, runID: RunID) throws {
        func fail(_ what: String) -> SpecimenError {
            SpecimenError(.damaged, "the migrated metrics \(file) do not match the legacy ones: \(what)", path: file,
                          recovery: "Nothing was removed; report this as a bug")
        }
        let written: Table
        do { written = try ParquetReader(path: file).read() } catch { throw fail("they cannot be read back (\(error))") }
        guard written.rowCount == legacy.rowCount else { throw fail("\(written.rowCount) rows instead of \(legacy.rowCount)") }
        guard written.columns.count == legacy.columns.count + 1 else { throw fail("\(written.columns.count) columns instead of \(legacy.columns.count + 1)") }
        let runColumn = written.columns[0]
        guard runColumn.name == "run_id", runColumn.type == .string, runColumn.nullCount == 0 else { throw fail("the first column is not run_id") }
        if case .bytes(let values) = runColumn.values {
            let expected = Array(runID.rawValue.utf8)
            for row in 0 ..< values.count where !values[row].elementsEqual(expected) { throw fail("run_id differs at row \(row)") }
        }
        for (index, column) in legacy.columns.enumerated() where written.columns[index + 1] != column {
            let other = written.columns[index + 1]
            throw fail("column \(column.name) (\(column.type)) came back as \(other.name) (\(other.type)) with different values")
        }
    }

    /// The run manifest: ours first, then every legacy key; legacy keys that clash move under `legacy`.
    static func runManifest(_ plan: MigrationPlan, runID id: RunID, table: Table, files: [(key: MessagePackValue, value: MessagePackValue)],
                            migrated: [(key: MessagePackValue, value: MessagePackValue)]) -> MessagePackValue
    {
        typealias Key = RunManifest.Key
        let legacy = plan.legacyManifest.mapValue ?? [:]
        let time = Timestamps.iso(microseconds: plan.seconds * 1_000_000)
        let params = legacy.first { $0.key.stringValue == Key.params }?.value
        let specimenName = String(LocalStorage.shared.resolved(plan.specimenPath).split(separator: "/").last ?? "")
        var manifest = RunManifest.build(
            runID: id, runTimestamp: Timestamps.iso(seconds: plan.seconds), specimen: specimenName, status: .completed,
            startedAt: time, endedAt: time, durationSeconds: nil, params: params?.mapValue != nil ? params! : .map([]),
            metrics: RunSealer.metricsSummary(table), files: files)
        manifest[Key.migratedFrom] = .map([
            ("format", .string(SpecimenManifest.legacyFormat)),
            ("layout", .string(plan.layout.rawValue)),
            ("migrated_at", .string(Timestamps.iso(microseconds: currentMicroseconds()))),
            ("tool", .string("specimen \(specimenVersion)")),
            ("files", .map(migrated)),
        ])
        let ours = manifest
        var clashing: [(key: MessagePackValue, value: MessagePackValue)] = []
        for pair in legacy {
            guard let key = pair.key.stringValue else { continue }
            if ownKeys.contains(key) {
                if let mine = ours[key], mine == pair.value { continue }
                clashing.append(pair)
            } else {
                manifest.append(key: pair.key, value: pair.value)
            }
        }
        if !clashing.isEmpty { manifest.append(key: .string(Key.legacy), value: .map(clashing)) }
        return manifest.value
    }

    /// Copies a file (used where hard links are refused): created atomically and durably,
    /// never replacing anything.
    static func copyFile(_ source: String, _ target: String) throws {
        try LocalStorage.shared.create(target, try LocalStorage.shared.read(source, limit: Int.max))
    }
}
