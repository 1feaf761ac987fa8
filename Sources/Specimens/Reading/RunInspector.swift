import Foundation
import MessagePack
import Parquet

/// Works out a run's state and details from its files: the manifest when sealed; else the
/// marker (is the writer alive?) and the journals (params, live row count).
enum RunInspector {
    /// Folders younger than this without a marker are taken as being created.
    static let creationGrace = 60.0

    static func inspect(folder: String, id: RunID, specimenName: String) -> RunInfo {
        inspectKeepingRows(folder: folder, id: id, specimenName: specimenName).info
    }

    /// `inspect`, also returning the rows read from an unsealed run's journals and
    /// `metrics.jsonl` (`step`, `time`, metrics; nil for a sealed run), so that a live view reads
    /// them once.
    static func inspectKeepingRows(folder: String, id: RunID, specimenName: String) -> (info: RunInfo, rows: Table?) {
        var tails: [String: JournalTail] = [:]
        return inspectKeepingRows(folder: folder, id: id, specimenName: specimenName, tails: &tails)
    }

    /// `inspectKeepingRows`, keeping the journals' readers in `tails` from one call to the next
    /// (``RunSources/load(folder:own:ownLines:tails:)``); they are dropped once the run is sealed.
    static func inspectKeepingRows(folder: String, id: RunID, specimenName: String,
                                   tails: inout [String: JournalTail]) -> (info: RunInfo, rows: Table?)
    {
        var info = RunInfo(id: id, path: folder, state: .running, params: .map([]), startedAt: nil, endedAt: nil,
                           rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil)
        let manifestPath = folder + "/" + RunFolder.manifest
        if LocalStorage.shared.exists(manifestPath) {
            readManifest(manifestPath, id: id, into: &info)
            tails = [:]
            return (info, nil)
        }
        let now = Double(currentMicroseconds()) / 1e6
        let names = LocalStorage.shared.list(folder) ?? []
        if names.contains(RunFolder.marker) {
            if let bytes = try? LocalStorage.shared.read(folder + "/" + RunFolder.marker, limit: 1 << 16), let marker = RunMarker(decoding: bytes) {
                info.state = marker.deathReason(now: now).map { .crashed(reason: $0) } ?? .running
            } else {
                info.state = .crashed(reason: "its marker cannot be read")
            }
        } else if names.contains(RunFolder.sealingLock) {
            info.state = .running   // being sealed (a dead sealer's lock is taken over by recovery)
        } else if names.contains(where: { $0.hasPrefix(RunFolder.journal) }) || names.contains(RunFolder.metrics) {
            info.state = .crashed(reason: "it has a journal but no writer")
        } else {
            let age = now - (LocalStorage.shared.entry(folder)?.modified ?? 0)
            info.state = age < creationGrace ? .running : .crashed(reason: "its folder was created but no writer ever started")
        }
        let sources = RunSources.load(folder: folder, tails: &tails)
        info.rows = sources.table.rowCount
        info.columns = sources.table.columns.map { MetricColumnInfo(name: $0.name, typeName: RunSealer.typeName($0.type)) }
        info.summary = MetricSummaries.summaries(sources.table)
        if let header = sources.header {
            info.params = RunSealer.mergedParams(header, sources.joinedHeaders)
            if let started = header["started_at"]?.intValue { info.startedAt = Date(timeIntervalSince1970: Double(started) / 1e6) }
        } else if let seconds = id.seconds {
            info.startedAt = Date(timeIntervalSince1970: Double(seconds))
        }
        for update in sources.updates {
            if let notes = update["notes"]?.stringValue { info.notes = notes }
            if let tags = update["tags"]?.arrayValue { info.tags = tags.compactMap(\.stringValue) }
        }
        return (info, sources.table)
    }

    static func readManifest(_ path: String, id: RunID, into info: inout RunInfo) {
        let manifest: RunManifest
        do {
            manifest = try RunManifest(decoding: try LocalStorage.shared.read(path, limit: 256 << 20), file: RunFolder.manifest)
        } catch let error as SpecimenError where error.code == .damaged {
            info.state = .damaged(reason: error.message)
            return
        } catch {
            info.state = .damaged(reason: "\(RunFolder.manifest) cannot be read: \(error)")
            return
        }
        guard manifest.runID == id else {
            info.state = .damaged(reason: "\(RunFolder.manifest) belongs to run \(manifest[RunManifest.Key.runID]?.stringValue ?? "?"), not \(id)")
            return
        }
        guard let status = manifest.status else {
            info.state = .damaged(reason: "\(RunFolder.manifest) has no known status")
            return
        }
        info.state = .sealed(status)
        info.manifest = manifest.value
        info.params = manifest.params
        if let text = manifest.startedAt, let micros = Timestamps.microseconds(iso: text) {
            info.startedAt = Date(timeIntervalSince1970: Double(micros) / 1e6)
        }
        if let text = manifest.endedAt, let micros = Timestamps.microseconds(iso: text) {
            info.endedAt = Date(timeIntervalSince1970: Double(micros) / 1e6)
        }
        info.rows = manifest.rows
        info.columns = manifest.columns
        info.summary = manifest.summary
        info.notes = manifest.notes
        info.tags = manifest.tags
    }
}
