import Foundation
import MessagePack
import Parquet

/// Works out a run's state and details from its files: the manifest when sealed; else the
/// marker (is the writer alive?) and the journals (params, live row count).
enum RunInspector {
    /// Folders younger than this without a marker are taken as being created.
    static let creationGrace = 60.0

    static func inspect(folder: String, id: RunID, specimenName: String, storage: any StorageBackend = LocalStorage.shared) -> RunInfo {
        inspectKeepingRows(folder: folder, id: id, specimenName: specimenName, storage: storage).info
    }

    /// `inspect`, also returning the rows read from an unsealed run's journals and
    /// `metrics.jsonl` (`step`, `time`, metrics; nil for a sealed run), so that a live view reads
    /// them once.
    static func inspectKeepingRows(folder: String, id: RunID, specimenName: String,
                                   storage: any StorageBackend = LocalStorage.shared) -> (info: RunInfo, rows: Table?) {
        var tails: [String: JournalTail] = [:]
        return inspectKeepingRows(folder: folder, id: id, specimenName: specimenName, tails: &tails, storage: storage)
    }

    /// `inspectKeepingRows`, keeping the journals' readers in `tails` from one call to the next
    /// (``RunSources/load(folder:own:ownLines:tails:storage:)``); they are dropped once the run is sealed.
    static func inspectKeepingRows(folder: String, id: RunID, specimenName: String,
                                   tails: inout [String: JournalTail],
                                   storage: any StorageBackend = LocalStorage.shared) -> (info: RunInfo, rows: Table?)
    {
        var info = RunInfo(id: id, path: folder, state: .running, params: .map([]), startedAt: nil, endedAt: nil,
                           rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil)
        let manifestPath = folder + "/" + RunFolder.manifest
        if storage.exists(manifestPath) {
            readManifest(manifestPath, id: id, into: &info, storage: storage)
            tails = [:]
            return (info, nil)
        }
        let now = Double(currentMicroseconds()) / 1e6
        let names = storage.list(folder) ?? []
        if names.contains(RunFolder.marker) {
            if let bytes = try? storage.read(folder + "/" + RunFolder.marker, limit: 1 << 16), var marker = RunMarker(decoding: bytes) {
                marker.heartbeat = heartbeat(of: marker, folder: folder, storage: storage)
                info.state = marker.deathReason(now: now).map { .crashed(reason: $0) } ?? .running
            } else {
                info.state = .crashed(reason: "its marker cannot be read")
            }
        } else if names.contains(RunFolder.sealingLock) {
            info.state = .running   // being sealed (a dead sealer's lock is taken over by recovery)
        } else if names.contains(where: { $0.hasPrefix(RunFolder.journal) }) || names.contains(RunFolder.metrics) {
            info.state = .crashed(reason: "it has a journal but no writer")
        } else {
            let age = now - (storage.entry(folder)?.modified ?? 0)
            info.state = age < creationGrace ? .running : .crashed(reason: "its folder was created but no writer ever started")
        }
        let sources = RunSources.load(folder: folder, tails: &tails, storage: storage)
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

    /// The newest sign of life of a run's writer: its marker's heartbeat where the backend
    /// replaces the marker at every flush; where it cannot (object storage, whose marker is
    /// written once), the time of the journal's newest write (chunk) when that is later.
    static func heartbeat(of marker: RunMarker, folder: String, storage: any StorageBackend) -> Double {
        guard !storage.canReplace, let written = storage.entry(folder + "/" + RunFolder.journal)?.modified else { return marker.heartbeat }
        return Swift.max(marker.heartbeat, written)
    }

    static func readManifest(_ path: String, id: RunID, into info: inout RunInfo, storage: any StorageBackend = LocalStorage.shared) {
        readManifest(Result { try storage.read(path, limit: 256 << 20) }, id: id, into: &info)
    }

    /// A sealed run's details from its manifest's bytes (or the error reading them), read by
    /// the caller (many at once, `StorageBackend.readSealed`).
    static func sealed(_ bytes: [UInt8], folder: String, id: RunID) -> RunInfo {
        var info = RunInfo(id: id, path: folder, state: .running, params: .map([]), startedAt: nil, endedAt: nil,
                           rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil)
        readManifest(.success(bytes), id: id, into: &info)
        return info
    }

    /// `readManifest` of bytes already read (or the error reading them).
    static func readManifest(_ read: Result<[UInt8], any Error>, id: RunID, into info: inout RunInfo) {
        let manifest: RunManifest
        do {
            manifest = try RunManifest(decoding: try read.get(), file: RunFolder.manifest)
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
