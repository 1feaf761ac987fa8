#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
public import MessagePack
public import Parquet
import Parallel

/// A specimen on disk (or in any ``StorageBackend``, e.g. an S3 bucket through `SpecimenS3`),
/// opened for reading: its runs, their details and their metrics. Opening one creates nothing.
///
/// ```swift
/// let specimen = try Specimen(at: "specimens/mnist")
/// for id in try specimen.listRuns() {
///     let info = specimen.runInfo(id)
///     print(id, info.status, info.rows ?? 0)
/// }
/// let everything = try specimen.readAllRuns()   // run_id first, columns unioned
/// ```
public struct Specimen: Sendable {
    /// The specimen's folder, as given.
    public let path: String
    /// The specimen's name: its folder's name.
    public let name: String
    /// Where the specimen is kept: ``LocalStorage/shared`` for a folder on disk. Every read
    /// and write of its runs goes through it.
    public let storage: any StorageBackend

    /// Opens an existing specimen in `storage` (the local disk by default); throws
    /// `.notFound` when the folder does not exist and `.notAFolder` when a file stands there.
    /// Nothing is created.
    public init(at path: String, storage: any StorageBackend = LocalStorage.shared) throws {
        let trimmed = Specimen.trimmed(path)
        guard let entry = try storage.lookUp(trimmed) else {
            throw SpecimenError(.notFound, "no specimen at \(trimmed)", path: trimmed,
                                recovery: "Create it with `specimen new` or by starting a run with SpecimenStorage(at:)")
        }
        guard entry.kind == .folder || storage.isFolder(trimmed) else {
            throw SpecimenError(.notAFolder, "\(trimmed) is a file, not a specimen folder", path: trimmed, recovery: "Pass the specimen's folder")
        }
        self.init(unchecked: trimmed, storage: storage)
    }

    init(unchecked path: String, storage: any StorageBackend = LocalStorage.shared) {
        self.path = path
        self.storage = storage
        let resolved = storage is LocalStorage ? LocalStorage.shared.resolved(path) : path
        name = String(resolved.split(separator: "/").last ?? Substring(resolved))
    }

    /// Whether the specimen is on the local disk (legacy layouts, protocols and source
    /// snapshots are local-only features).
    var isLocal: Bool { storage is LocalStorage }

    static func trimmed(_ path: String) -> String {
        var path = path.isEmpty ? "." : path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The `runs/` folder.
    public var runsPath: String { path + "/" + RunFolder.runs }

    /// The folder of run `id`.
    public func runPath(_ id: RunID) -> String { runsPath + "/" + id.rawValue }

    /// The specimen's manifest (`format`, `name`, `created_at`, user keys), or nil when it is
    /// missing or unreadable.
    public var manifest: MessagePackValue? {
        guard let bytes = try? storage.read(path + "/" + RunFolder.manifest, limit: 16 << 20) else { return nil }
        return try? MessagePackValue(decoding: bytes)
    }

    /// The IDs of every run, oldest first. Reads the `runs/` folder once (no per-run file
    /// access); entries whose names are not run IDs (hidden files, temporary folders) are
    /// skipped. A specimen without `runs/` has no runs.
    ///
    /// A specimen still in the legacy layout (results at its root or in `strata/`, not yet
    /// migrated) lists its legacy results as one more run, under the ID migration would give
    /// them; `runInfo`, `readMetrics` and `readAllRuns` read that run in place.
    public func listRuns() throws -> [RunID] { try runIDs().ids }

    /// `listRuns()`, and which of the IDs (if any) is the legacy run, which has no folder.
    func runIDs() throws -> (ids: [RunID], legacy: RunID?) {
        var ids = try runFolderIDs()
        guard isLocal, LegacyLayout.detect(path) != nil, let legacy = legacyRunID(folderIDs: ids) else { return (ids, nil) }
        ids.append(legacy)
        ids.sort()
        return (ids, legacy)
    }

    /// The IDs of the runs that have a folder in `runs/`, oldest first (no legacy run).
    func runFolderIDs() throws -> [RunID] {
        guard isLocal else { return try listedRunIDs() }
        guard let dir = opendir(runsPath) else {
            let code = errno
            if code == ENOENT { return [] }
            if code == ENOTDIR {
                throw SpecimenError(.notAFolder, "\(runsPath) is a file, not a folder", path: runsPath,
                                    recovery: "Move or rename that file; the runs of a specimen live in its runs/ folder")
            }
            throw SpecimenError.system("list", runsPath, errno: code)
        }
        defer { closedir(dir) }
        // Keys only while listing and sorting (no strings to move around); the text of an ID
        // is made again from its key, except for the rare `…_00` names, whose key is that of
        // the name without the suffix: those keep their text.
        var keys: [UInt64] = []
        var unusual: [RunID] = []
        while let entry = readdir(dir) {
            withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: 256) { name in
                    let length = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
                    let raw = UnsafeRawBufferPointer(start: name, count: length)
                    guard let key = RunID.parse(bytes: raw) else { return }
                    if length == 18 && key % 100 == 0 {
                        unusual.append(RunID(unchecked: String(decoding: raw, as: UTF8.self), key: key))
                    } else {
                        keys.append(key)
                    }
                }
            }
        }
        keys.sort()
        var ids = keys.map(RunID.init(key:))
        if !unusual.isEmpty {
            ids += unusual
            ids.sort()   // stable: a name without the suffix stays before its `_00` twin
        }
        return ids
    }

    /// `runFolderIDs()` through the storage's listing (any backend but the local disk, which
    /// reads `runs/` with `readdir` directly).
    private func listedRunIDs() throws -> [RunID] {
        guard let names = try storage.listing(runsPath) else {
            if storage.exists(runsPath), !storage.isFolder(runsPath) {
                throw SpecimenError(.notAFolder, "\(runsPath) is a file, not a folder", path: runsPath,
                                    recovery: "Move or rename that file; the runs of a specimen live in its runs/ folder")
            }
            return []
        }
        return names.compactMap { try? RunID($0) }.sorted()
    }

    /// The newest run's ID, or nil when there are none; throws when `runs/` cannot be read.
    public var latestRun: RunID? {
        get throws { try listRuns().last }
    }

    /// The run's details: from its manifest when sealed; from its marker and journals while
    /// unsealed (running, with a live row count, or crashed); `damaged` with the reason when
    /// its manifest is corrupt or foreign. Throws only when the run does not exist.
    public func runInfo(_ id: RunID) throws -> RunInfo {
        let folder = runPath(id)
        guard storage.isFolder(folder) else {
            if let legacy = legacyRunInfo, legacy.id == id { return legacy }
            throw SpecimenError(.notFound, "specimen \(name) has no run \(id)", path: folder, recovery: "List the specimen's runs to see their IDs")
        }
        return RunInspector.inspect(folder: folder, id: id, specimenName: name, storage: storage)
    }

    /// Details of every run, oldest first (read in parallel).
    public func runInfos() throws -> [RunInfo] {
        let (ids, legacy) = try runIDs()
        // Object storage: every manifest fetched at once (parallel GETs, the sealed-file cache).
        if !isLocal && legacy == nil { return SealedRunReader.infos(ids, of: self) }
        let legacyInfo = legacy == nil ? nil : legacyRunInfo
        let results = Slots<RunInfo>(count: ids.count)
        Parallel.forEach(ids.count) { index in
            if let legacyInfo, ids[index] == legacy {
                results.set(index, legacyInfo)
            } else {
                results.set(index, RunInspector.inspect(folder: runPath(ids[index]), id: ids[index], specimenName: name, storage: storage))
            }
        }
        return results.values.compactMap { $0 }
    }

    /// The metrics of run `id`: `metrics.parquet` when sealed; while unsealed (running or
    /// crashed), what its journals and `metrics.jsonl` hold so far. Never another run's.
    public func readMetrics(run id: RunID) throws -> Table {
        let folder = runPath(id)
        guard storage.isFolder(folder) else {
            if legacyRunID == id { return try readLegacyMetrics() }
            throw SpecimenError(.notFound, "specimen \(name) has no run \(id)", path: folder, recovery: "List the specimen's runs to see their IDs")
        }
        if storage.exists(folder + "/" + RunFolder.manifest) {
            return try MetricsFile.read(folder + "/" + RunFolder.metrics, runID: id, storage: storage)
        }
        return MetricsFile.withRunID(RunSources.load(folder: folder, storage: storage).table, id)
    }

    /// The metrics of the latest sealed run that has any rows (running, crashed and damaged
    /// runs are passed over). Throws `.noRuns` when there is none.
    public func readMetrics() throws -> Table {
        let (ids, legacy) = try runIDs()
        for id in ids.reversed() {
            if id == legacy { return try readLegacyMetrics() }
            let info = RunInspector.inspect(folder: runPath(id), id: id, specimenName: name, storage: storage)
            guard info.state.isSealed, (info.rows ?? 0) > 0 else { continue }
            return try MetricsFile.read(runPath(id) + "/" + RunFolder.metrics, runID: id, storage: storage)
        }
        throw SpecimenError(.noRuns, "specimen \(name) has no sealed run with metrics", path: path,
                            recovery: "Finish a run (or recover crashed ones with `specimen recover`) and read again")
    }

    /// Every sealed run's metrics stacked into one table: `run_id` first, columns unioned in
    /// first-seen order (oldest run first), missing values null, int64 widened to double where
    /// runs disagree. Runs are read in parallel. Damaged runs are skipped; see
    /// ``readRunsTable()`` to learn which.
    public func readAllRuns() throws -> Table {
        try readRunsTable().table
    }

    /// `readAllRuns()`, with the sealed runs that could not be read and why.
    public func readRunsTable() throws -> RunsTable {
        var skipped: [RunsTable.Skipped] = []
        let table = try readAllRuns(skipped: &skipped)
        return RunsTable(table: table, skipped: skipped)
    }

    private func readAllRuns(skipped: inout [RunsTable.Skipped]) throws -> Table {
        let (ids, legacy) = try runIDs()
        // A legacy run (no folder) is read whole and stacked with the others in memory.
        // So is every run of a specimen not on the local disk (the stacker reads local files).
        if legacy != nil { return try readRunByRun(ids, legacy: legacy, skipped: &skipped) }
        // Object storage: whole files fetched in parallel batches (and cached once sealed).
        if !isLocal { return try readFetched(ids, everyRun: true, skipped: &skipped, reportUnsealed: false) }
        // Unsealed runs are not part of the history yet.
        let sealed = ids.filter { storage.exists(runPath($0) + "/" + RunFolder.manifest) }
        let files = sealed.map { StackFile(path: runPath($0) + "/" + RunFolder.metrics, constant: $0.rawValue) }
        var options = StackOptions(constantColumn: MetricsFile.runIDColumn)
        options.check = { reader, file in try RunStacker.check(reader, path: file.path, runID: file.constant) }
        do {
            let result = try TableStacker.read(files, options: options)
            for failure in result.failures {
                skipped.append(RunsTable.Skipped(run: sealed[failure.index], reason: RunStacker.reason(failure.error, path: files[failure.index].path)))
            }
            return result.table
        } catch let clash as StackClash {
            throw RunStacker.typeClash(clash.column, clash.known, clash.found, run: sealed[clash.index])
        }
    }

    /// `readAllRuns` one run at a time: each run's table read whole (in parallel), then stacked.
    private func readRunByRun(_ ids: [RunID], legacy: RunID?, skipped: inout [RunsTable.Skipped]) throws -> Table {
        let results = Slots<Result<Table?, SpecimenError>>(count: ids.count)
        Parallel.forEach(ids.count) { index in
            let folder = runPath(ids[index])
            if ids[index] == legacy {
                results.set(index, Result { try RunStacker.dropRunID(readLegacyMetrics()) }.mapError {
                    ($0 as? SpecimenError) ?? SpecimenError(.damaged, "\($0)", path: path)
                })
            } else if !storage.exists(folder + "/" + RunFolder.manifest) {
                results.set(index, .success(nil))   // unsealed: not part of the history yet
            } else {
                results.set(index, Result { try readStackable(folder + "/" + RunFolder.metrics, runID: ids[index]) }.mapError {
                    ($0 as? SpecimenError) ?? SpecimenError(.damaged, "\($0)", path: folder)
                })
            }
        }
        var parts: [(id: RunID, table: Table)] = []
        for (index, outcome) in results.values.enumerated() {
            switch outcome {
            case .success(let table)?: if let table { parts.append((ids[index], table)) }
            case .failure(let error)?: skipped.append(RunsTable.Skipped(run: ids[index], reason: error.message))
            case nil: break
            }
        }
        return try RunStacker.stack(parts)
    }

    /// `readAllRuns` of a specimen not on the local disk (``SealedRunReader``): unsealed runs
    /// are passed over, or reported as skipped when `reportUnsealed`. `everyRun`: `ids` are
    /// all the specimen's runs.
    func readFetched(_ ids: [RunID], everyRun: Bool, skipped: inout [RunsTable.Skipped], reportUnsealed: Bool) throws -> Table {
        var parts: [(id: RunID, table: Table)] = []
        for (id, outcome) in zip(ids, SealedRunReader.tables(ids, of: self, everyRun: everyRun)) {
            switch outcome {
            case .table(let table): parts.append((id, table))
            case .unsealed: if reportUnsealed { skipped.append(RunsTable.Skipped(run: id, reason: "not sealed yet")) }
            case .failed(let error): skipped.append(RunsTable.Skipped(run: id, reason: error.message))
            }
        }
        return try RunStacker.stack(parts)
    }

    /// One sealed run's metrics without `run_id`, checked to be the run's: through the
    /// stacker's reader on disk, through the storage's range reads elsewhere.
    func readStackable(_ path: String, runID: RunID) throws -> Table {
        guard !isLocal else { return try RunStacker.read(path, runID: runID) }
        return try RunStacker.dropRunID(MetricsFile.read(path, runID: runID, storage: storage))
    }
}

