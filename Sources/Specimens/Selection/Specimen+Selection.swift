import Parallel
import Dispatch
import MessagePack
import Parquet

extension Specimen {
    /// The runs selected by an expression, sorted and limited: see `RunQuery` and README's
    /// "Finding runs" for the language.
    ///
    /// ```swift
    /// let best = try specimen.runs(where: "status == 'completed' and params.lr < 1e-3",
    ///                              sort: ["metrics.loss.last"], limit: 10)
    /// ```
    ///
    /// Throws `RunQuerySyntaxError` for a malformed expression or sort key, and `SpecimenError`
    /// when the specimen's runs cannot be listed.
    public func runs(where expression: String?, sort: [String] = [], limit: Int? = nil) throws -> [RunInfo] {
        try select(try RunQuery(where: expression, sort: sort, limit: limit)).runs
    }

    /// The runs a typed query selects.
    public func runs(_ query: RunQuery) throws -> [RunInfo] {
        try select(query).runs
    }

    /// Selects runs with `query`, using the catalog as `catalog` says, and returns them with
    /// the catalog's diagnostics. Every run in `runs/` is considered (running, crashed and
    /// damaged ones too, read live), plus a legacy specimen's results.
    public func select(_ query: RunQuery, catalog mode: RunCatalogMode = .automatic) throws -> RunSelection {
        try select(query, catalog: mode, details: true)
    }

    /// `select(_:catalog:)`; with `details` false, `runs` is left empty and the selected runs
    /// are read through the selection's record accessors (`RunSelection.count`,
    /// `liveInfo(at:)`, `withCatalogEntry(at:_:)`, `info(at:)`), so a caller that renders
    /// catalog entries itself decodes none of them.
    package func select(_ query: RunQuery, catalog mode: RunCatalogMode = .automatic, details: Bool) throws -> RunSelection {
        let writable = mode == .automatic && RunCatalog.isWritable(specimenPath: path)
        let folder = RunCatalog.folder(of: path)
        // Listing `runs/` (mostly the kernel's time: ~30 ms for 100,000 entries) and reading the
        // catalog are independent: done on two threads at once.
        // When `runs/` has not changed since a listing was recorded, that listing is used.
        let listing = Slots<Result<(ids: [RunID], legacy: RunID?, note: String?), any Error>>(count: 1)
        let catalogRead = Slots<RunCatalog.Snapshot>(count: 1)
        Parallel.forEach(mode == .bypass ? 1 : 2) { part in
            if part == 0 {
                listing.set(0, Result { try runIDs(catalog: folder, mode: mode, writable: writable) })
            } else {
                catalogRead.set(0, RunCatalog.read(folder, removeDamaged: writable))
            }
        }
        let (ids, legacy, listingNote) = try (listing.values[0] ?? Result { try runIDs(catalog: folder, mode: mode, writable: writable) }).get()
        var snapshot = catalogRead.values[0] ?? RunCatalog.Snapshot()
        if let listingNote { snapshot.notes.append(listingNote) }

        // Join the listing (sorted) with the catalog (sorted): catalogued runs are taken as they
        // are; the others are read now.
        var records: [RunRecord] = []
        records.reserveCapacity(ids.count)
        var missing: [Int] = []
        var live = 0
        var cursor = 0
        let entries = snapshot.entries
        for (order, id) in ids.enumerated() {
            while cursor < entries.count && entries[cursor].key < id.key { cursor += 1 }
            if cursor < entries.count, entries[cursor].key == id.key, id != legacy {
                records.append(RunRecord(id: id, record: entries[cursor], order: order, liveInfo: nil))
                live += 1
                cursor += 1
            } else {
                records.append(RunRecord(id: id, record: Self.emptyRecord, order: order, liveInfo: nil))
                missing.append(order)
            }
        }
        let legacyInfo = legacy == nil ? nil : legacyRunInfo
        let toRead = missing
        let read = Slots<(info: RunInfo, record: CatalogRecord)>(count: missing.count)
        if !isLocal && legacy == nil {
            // Object storage: every manifest fetched at once (parallel GETs, the sealed-file cache).
            for (slot, info) in SealedRunReader.infos(toRead.map { ids[$0] }, of: self).enumerated() {
                read.set(slot, (info, CatalogRecord(key: info.id.key, entry: CatalogEntry.make(info))))
            }
        } else {
            DispatchQueue.concurrentPerform(iterations: toRead.count) { slot in
                let id = ids[toRead[slot]]
                let info: RunInfo
                if id == legacy, let legacyInfo { info = legacyInfo } else {
                    info = RunInspector.inspect(folder: runPath(id), id: id, specimenName: name, storage: storage)
                }
                read.set(slot, (info, CatalogRecord(key: id.key, entry: CatalogEntry.make(info))))
            }
        }
        var fresh: [CatalogRecord] = []
        for (slot, item) in read.values.enumerated() {
            guard let item else { continue }
            let order = missing[slot]
            records[order].record = item.record
            records[order].liveInfo = item.info
            if item.info.state.isSealed && !item.info.isLegacy { fresh.append(item.record) }
        }

        if writable {
            let dropped = entries.count - live
            do {
                if snapshot.segments.count + (fresh.isEmpty ? 0 : 1) > RunCatalog.segmentLimit || dropped > 64 + live / 4 {
                    var merged = fresh
                    for record in records where record.liveInfo == nil { merged.append(record.record) }
                    merged.sort { $0.key < $1.key }
                    if try !RunCatalog.merge(merged, replacing: snapshot.segments, in: folder) {
                        try RunCatalog.add(fresh, to: folder)
                    }
                } else {
                    try RunCatalog.add(fresh, to: folder)
                }
            } catch {
                snapshot.notes.append("the catalog in \(folder) could not be written (\(error)); the answer is right, only slower")
            }
        }

        var selected = query.filter.map { filter in Self.filter(records, filter) } ?? records
        selected = RunSorter.sort(selected, by: query.sort)
        if let limit = query.limit { selected = Array(selected.prefix(max(0, limit))) }
        let infos = details ? selected.map(info) : []
        var selection = RunSelection(runs: infos, totalRuns: ids.count, notes: snapshot.notes)
        selection.records = selected
        selection.specimen = self
        return selection
    }

    /// `runIDs()`, taking the folder IDs from the catalog's recorded listing of `runs/` when
    /// the folder is unchanged since (see `RunListing`), and recording the listing read
    /// otherwise when the catalog is writable and the folder has been quiet long enough. A
    /// damaged listing file gives a note (and is replaced or removed when writable).
    func runIDs(catalog folder: String, mode: RunCatalogMode, writable: Bool) throws -> (ids: [RunID], legacy: RunID?, note: String?) {
        guard isLocal, mode != .bypass else {
            let (ids, legacy) = try runIDs()
            return (ids, legacy, nil)
        }
        let statTime = RunListing.now()
        var note: String?
        var ids: [RunID]
        if let stamp = RunListing.Stamp.of(runsPath) {
            switch RunListing.read(folder, current: stamp) {
            case .success(let keys)?:
                ids = keys.map(RunID.init(key:))
            case let other:
                if case .failure(let damage)? = other {
                    let path = folder + "/" + RunListing.fileName
                    note = "catalog listing \(path) is damaged: \(damage.reason); ignored, and runs/ is listed instead"
                    if writable { LocalStorage.shared.remove(path) }
                }
                ids = try runFolderIDs()
                // Only when every ID is its key's text (an unusual `…_00` name is not).
                if writable, RunListing.mayRecord(stamp, statTime: statTime),
                   !ids.contains(where: { $0.key % 100 == 0 && $0.rawValue.utf8.count != 15 }) {
                    try? RunListing.write(ids.map(\.key), stamp: stamp, to: folder)
                }
            }
        } else {
            ids = try runFolderIDs()
        }
        guard LegacyLayout.detect(path) != nil, let legacy = legacyRunID(folderIDs: ids) else { return (ids, nil, note) }
        ids.append(legacy)
        ids.sort()
        return (ids, legacy, note)
    }

    /// The records that meet `filter`, in their order: tested in chunks on every processor
    /// when there are many.
    static func filter(_ records: [RunRecord], _ filter: RunFilter) -> [RunRecord] {
        let chunk = 8192
        let chunks = (records.count + chunk - 1) / chunk
        guard chunks > 1 else { return records.filter { $0.matches(filter) } }
        let matches = Slots<[Int32]>(count: chunks)
        Parallel.forEach(chunks) { part in
            var found: [Int32] = []
            // Through the buffer, so each record is tested in place (not copied and released).
            records.withUnsafeBufferPointer { buffer in
                for index in part * chunk ..< min(buffer.count, (part + 1) * chunk) where buffer[index].matches(filter) {
                    found.append(Int32(truncatingIfNeeded: index))
                }
            }
            matches.set(part, found)
        }
        var result: [RunRecord] = []
        for found in matches.values { for index in found ?? [] { result.append(records[Int(index)]) } }
        return result
    }

    /// A selected run's details: as read live, or decoded from its catalog entry.
    func info(_ record: RunRecord) -> RunInfo {
        if let info = record.liveInfo { return info }
        guard let entry = record.record.decoded else {
            return RunInfo(id: record.id, path: runPath(record.id), state: .damaged(reason: "its catalog entry cannot be read"), params: .map([]),
                           startedAt: nil, endedAt: nil, rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil)
        }
        return CatalogEntry.info(entry, id: record.id, folder: runPath(record.id))
    }

    /// The record of a run not read yet (no fields).
    private static let emptyRecord = CatalogRecord(key: 0, entry: .array([]))

    /// The metrics of the sealed runs `ids`, stacked as `readAllRuns` stacks every run: `run_id`
    /// first, columns unioned, in the order given. Unsealed and unreadable runs are reported in
    /// ``RunsTable/skipped``.
    public func readRunsTable(_ ids: [RunID]) throws -> RunsTable {
        var skipped: [RunsTable.Skipped] = []
        if !isLocal {   // object storage: fetched in parallel batches (and cached once sealed)
            let table = try readFetched(ids, everyRun: false, skipped: &skipped, reportUnsealed: true)
            return RunsTable(table: table, skipped: skipped)
        }
        var parts: [(id: RunID, table: Table)] = []
        for id in ids {
            let folder = runPath(id)
            if id == legacyRunID {
                do { parts.append((id, try RunStacker.dropRunID(readLegacyMetrics()))) } catch { skipped.append(RunsTable.Skipped(run: id, reason: "\(error)")) }
                continue
            }
            guard storage.exists(folder + "/" + RunFolder.manifest) else {
                skipped.append(RunsTable.Skipped(run: id, reason: "not sealed yet"))
                continue
            }
            do { parts.append((id, try readStackable(folder + "/" + RunFolder.metrics, runID: id))) } catch {
                skipped.append(RunsTable.Skipped(run: id, reason: (error as? SpecimenError)?.message ?? "\(error)"))
            }
        }
        return RunsTable(table: try RunStacker.stack(parts), skipped: skipped)
    }
}
