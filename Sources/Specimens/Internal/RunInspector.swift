import Foundation
import MessagePack

/// Works out a run's state and details from its files: the manifest when sealed; else the
/// marker (is the writer alive?) and the journals (params, live row count).
enum RunInspector {
    /// Folders younger than this without a marker are taken as being created.
    static let creationGrace = 60.0

    static func inspect(folder: String, id: RunID, specimenName: String) -> RunInfo {
        var info = RunInfo(id: id, path: folder, state: .running, params: .map([]), startedAt: nil, endedAt: nil,
                           rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil)
        let manifestPath = folder + "/" + RunSealer.manifestName
        if FileIO.exists(manifestPath) {
            readManifest(manifestPath, id: id, into: &info)
            return info
        }
        let now = Double(currentMicroseconds()) / 1e6
        let names = FileIO.names(in: folder) ?? []
        if names.contains(RunMarker.fileName) {
            if let bytes = try? FileIO.readFile(folder + "/" + RunMarker.fileName, limit: 1 << 16), let marker = RunMarker(decoding: bytes) {
                info.state = marker.deathReason(now: now).map { .crashed(reason: $0) } ?? .running
            } else {
                info.state = .crashed(reason: "its marker cannot be read")
            }
        } else if names.contains(RunSealer.sealingName) {
            info.state = .running   // being sealed (a dead sealer's lock is taken over by recovery)
        } else if names.contains(where: { $0.hasPrefix(Journal.mainName) }) || names.contains(MetricsFile.fileName) {
            info.state = .crashed(reason: "it has a journal but no writer")
        } else {
            let age = now - (FileIO.modificationTime(folder) ?? 0)
            info.state = age < creationGrace ? .running : .crashed(reason: "its folder was created but no writer ever started")
        }
        let sources = RunSources.load(folder: folder)
        info.rows = sources.table.rowCount
        info.columns = sources.table.columns.map { MetricColumnInfo(name: $0.name, type: RunSealer.typeName($0.type)) }
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
        return info
    }

    static func readManifest(_ path: String, id: RunID, into info: inout RunInfo) {
        let value: MessagePackValue
        do {
            value = try MessagePackValue(decoding: try FileIO.readFile(path, limit: 256 << 20))
        } catch {
            info.state = .damaged(reason: "manifest.msgpack cannot be read: \(error)")
            return
        }
        guard value.mapValue != nil else {
            info.state = .damaged(reason: "manifest.msgpack is not a map")
            return
        }
        guard value["format"]?.stringValue == "specimen.run/1" else {
            info.state = .damaged(reason: "manifest.msgpack has format \(value["format"].map { "\($0)" } ?? "none"), not specimen.run/1")
            return
        }
        guard value["run_id"]?.stringValue == id.rawValue else {
            info.state = .damaged(reason: "manifest.msgpack belongs to run \(value["run_id"]?.stringValue ?? "?"), not \(id)")
            return
        }
        guard let statusText = value["status"]?.stringValue, let status = RunStatus(rawValue: statusText) else {
            info.state = .damaged(reason: "manifest.msgpack has no known status")
            return
        }
        info.state = .sealed(status)
        info.manifest = value
        info.params = value["params"] ?? .map([])
        if let text = value["started_at"]?.stringValue, let micros = Timestamps.microseconds(iso: text) {
            info.startedAt = Date(timeIntervalSince1970: Double(micros) / 1e6)
        }
        if let text = value["ended_at"]?.stringValue, let micros = Timestamps.microseconds(iso: text) {
            info.endedAt = Date(timeIntervalSince1970: Double(micros) / 1e6)
        }
        if let metrics = value["metrics"] {
            info.rows = metrics["rows"]?.intValue.map { Int($0) }
            info.columns = (metrics["columns"]?.arrayValue ?? []).compactMap { column in
                guard let name = column["name"]?.stringValue, let type = column["type"]?.stringValue else { return nil }
                return MetricColumnInfo(name: name, type: type)
            }
            info.summary = (metrics["summary"]?.mapValue ?? [:]).compactMap { pair in
                guard let name = pair.key.stringValue else { return nil }
                return ColumnSummary(name: name, last: pair.value["last"]?.doubleValue, min: pair.value["min"]?.doubleValue,
                                     max: pair.value["max"]?.doubleValue, count: Int(pair.value["count"]?.intValue ?? 0))
            }
        }
        info.notes = value["notes"]?.stringValue
        info.tags = (value["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
