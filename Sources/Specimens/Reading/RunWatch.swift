import Foundation
public import Parquet

/// Follows the runs of one specimen as they happen, for live views (`specimen view --follow`):
/// each `refresh()` looks at every run folder and re-reads only the runs whose journals,
/// `metrics.jsonl`, manifest or liveness changed, and of their journals only the frames
/// appended since (``JournalTail``). Sealed runs are read once: they never change.
///
/// ```swift
/// let watch = RunWatch(specimen: try Specimen(at: "specimens/mnist"))
/// while !watch.isSettled {
///     if try watch.refresh() { draw(watch.runs) }
///     sleep(1)
/// }
/// ```
///
/// The runs it follows to the end (``followed``) are those running at the first refresh and any
/// that start later, or only the run given to `init`. `isSettled` says when the ones running
/// at the first refresh (or the given run) have all been sealed or found crashed.
public final class RunWatch {
    /// The specimen watched.
    public let specimen: Specimen
    /// The run given to watch alone, if any.
    public let only: RunID?
    /// Every run of the specimen, oldest first, as last read.
    public private(set) var runs: [RunInfo] = []
    /// The IDs of the runs followed: running at the first refresh, started since, or `only`.
    public private(set) var followed: [RunID] = []
    private var initial: Set<RunID> = []
    private var entries: [RunID: Entry] = [:]
    private var refreshed = false

    private struct Entry {
        var info: RunInfo
        var fingerprint: [Int]
        var rows: Table?
        var rowsLoaded = false
        /// The journals' readers: each refresh reads only what they gained.
        var tails: [String: JournalTail] = [:]
    }

    /// Watches `specimen`; with `only`, follows that run alone.
    public init(specimen: Specimen, only: RunID? = nil) {
        self.specimen = specimen
        self.only = only
    }

    /// Reads what changed since the last call; returns whether anything did (always true the
    /// first time). Throws when the specimen's `runs/` folder cannot be listed, or `only` is
    /// not one of its runs.
    @discardableResult
    public func refresh() throws -> Bool {
        let ids = try specimen.listRuns()
        var changed = !refreshed
        var infos: [RunInfo] = []
        infos.reserveCapacity(ids.count)
        for id in ids {
            let folder = specimen.runPath(id)
            if var entry = entries[id] {
                if entry.info.state.isSealed || entry.info.isLegacy {
                    infos.append(entry.info)
                    continue
                }
                let print = Self.fingerprint(folder, storage: specimen.storage)
                if print != entry.fingerprint {
                    entries[id] = nil   // the readers are appended to in place, not copied
                    entry.rows = nil
                    let inspected = RunInspector.inspectKeepingRows(folder: folder, id: id, specimenName: specimen.name,
                                                                    tails: &entry.tails, storage: specimen.storage)
                    entry = Entry(info: inspected.info, fingerprint: print, rows: inspected.rows, rowsLoaded: inspected.rows != nil,
                                  tails: entry.tails)
                    entries[id] = entry
                    changed = true
                }
                infos.append(entry.info)
            } else {
                let entry: Entry
                if specimen.storage.isFolder(folder) {
                    let print = Self.fingerprint(folder, storage: specimen.storage)
                    var tails: [String: JournalTail] = [:]
                    let inspected = RunInspector.inspectKeepingRows(folder: folder, id: id, specimenName: specimen.name,
                                                                    tails: &tails, storage: specimen.storage)
                    entry = Entry(info: inspected.info, fingerprint: print, rows: inspected.rows, rowsLoaded: inspected.rows != nil,
                                  tails: tails)
                } else {
                    entry = Entry(info: try specimen.runInfo(id), fingerprint: [])   // the legacy layout's results, read in place
                }
                entries[id] = entry
                infos.append(entry.info)
                changed = true
                if refreshed, only == nil, !followed.contains(id) { followed.append(id) }   // started while watched
            }
        }
        runs = infos
        if !refreshed {
            refreshed = true
            if let only {
                guard ids.contains(only) else {
                    throw SpecimenError(.notFound, "specimen \(specimen.name) has no run \(only)", path: specimen.runsPath,
                                        recovery: "See its runs with `specimen view \(specimen.path)`")
                }
                followed = [only]
            } else {
                followed = infos.filter { $0.state == .running }.map(\.id)
            }
            initial = Set(followed)
        }
        return changed
    }

    /// Whether the runs followed from the first refresh have all been sealed or found crashed
    /// (true at once when none was running).
    public var isSettled: Bool {
        runs.allSatisfy { !initial.contains($0.id) || $0.state != .running }
    }

    /// The info of run `id`, as last read.
    public func info(_ id: RunID) -> RunInfo? { entries[id]?.info }

    /// The rows of run `id` read so far (`step`, `time`, then the metrics; no `run_id`): live
    /// from its journals while unsealed, from `metrics.parquet` once sealed (read once).
    public func metrics(_ id: RunID) -> Table? {
        guard var entry = entries[id] else { return nil }
        if !entry.rowsLoaded {
            entry.rows = try? specimen.readMetrics(run: id)
            entry.rowsLoaded = true
            entries[id] = entry
        }
        return entry.rows
    }

    /// What changes when a run changes: the sizes of its journals, `metrics.jsonl` and
    /// manifest, whether its marker or sealing lock is there, and whether its writer is alive.
    static func fingerprint(_ folder: String, storage: any StorageBackend = LocalStorage.shared) -> [Int] {
        var print: [Int] = []
        let names = (storage.list(folder) ?? []).sorted()
        for name in names {
            if name.hasPrefix(RunFolder.journal) || name == RunFolder.metricsLines || name == RunFolder.manifest {
                print.append(name.hashValue)
                print.append(storage.entry(folder + "/" + name)?.size ?? -1)
            } else if name == RunFolder.sealingLock {
                print.append(1)
            } else if name == RunFolder.marker {
                let now = Double(currentMicroseconds()) / 1e6
                let alive = (try? storage.read(folder + "/" + name, limit: 1 << 16)).flatMap(RunMarker.init(decoding:))
                    .map { marker in
                        var marker = marker
                        marker.heartbeat = RunInspector.heartbeat(of: marker, folder: folder, storage: storage)
                        return marker.deathReason(now: now) == nil
                    } ?? false
                print.append(alive ? 2 : 3)
            }
        }
        return print
    }
}
