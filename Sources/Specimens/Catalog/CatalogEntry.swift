import Foundation
import MessagePack

/// One run's fields as the catalog keeps them (and as queries read them): a MessagePack array,
/// by position, so a segment of 100,000 entries decodes without 100,000 maps' keys.
///
/// ```
/// [0] id          str                [7]  git_commit  str | nil
/// [1] status      str                [8]  git_dirty   bool | nil
/// [2] started_us  int | nil          [9]  tags        array of str
/// [3] ended_us    int | nil          [10] notes       str | nil
/// [4] rows        int | nil          [11] params      map (as the manifest has it)
/// [5] exit_code   int | nil          [12] metrics     map name → [last, min, max, count]
/// [6] host        str | nil
/// ```
///
/// A nil at the top level means the run does not have that field.
enum CatalogEntry {
    static let id = 0, status = 1, started = 2, ended = 3, rows = 4, exitCode = 5, host = 6
    static let gitCommit = 7, gitDirty = 8, tags = 9, notes = 10, params = 11, metrics = 12
    static let width = 13

    /// The entry for a run, from what `Specimen.runInfo` read (and its manifest's extras).
    static func make(_ info: RunInfo) -> MessagePackValue {
        func micros(_ date: Date?) -> MessagePackValue {
            guard let date else { return .nil }
            let value = (date.timeIntervalSince1970 * 1e6).rounded()
            return Int64(exactly: value).map(MessagePackValue.int) ?? .nil
        }
        let manifest = info.manifest
        func present(_ value: MessagePackValue?) -> MessagePackValue { value ?? .nil }
        var metrics: [(key: MessagePackValue, value: MessagePackValue)] = []
        metrics.reserveCapacity(info.summary.count)
        for column in info.summary {
            metrics.append((.string(column.name), .array([
                column.last.map(MessagePackValue.float64) ?? .nil, column.min.map(MessagePackValue.float64) ?? .nil,
                column.max.map(MessagePackValue.float64) ?? .nil, .int(Int64(column.count)),
            ])))
        }
        var exitCode = MessagePackValue.nil
        if let code = manifest?["exit_code"], code.intValue != nil { exitCode = code }
        return .array([
            .string(info.id.rawValue), .string(info.state.name), micros(info.startedAt), micros(info.endedAt),
            info.rows.map { .int(Int64($0)) } ?? .nil, exitCode,
            present(manifest?["host"]?["hostname"]?.stringValue.map(MessagePackValue.string)),
            present(manifest?["git"]?["commit"]?.stringValue.map(MessagePackValue.string)),
            present(manifest?["git"]?["dirty"]?.boolValue.map(MessagePackValue.bool)),
            .array(info.tags.map(MessagePackValue.string)),
            present(info.notes.map(MessagePackValue.string)),
            info.params.mapValue != nil ? info.params : .map([]),
            .map(metrics),
        ])
    }

    /// Whether `value` has the entry's shape (an array of 13 with a valid run ID first);
    /// returns the ID's sort key.
    static func key(of value: MessagePackValue) -> UInt64? {
        guard let array = value.arrayValue, array.count == width, let text = array[id].stringValue else { return nil }
        guard array[status].stringValue != nil, array[tags].arrayValue != nil, array[params].mapValue != nil,
              array[metrics].mapValue != nil else { return nil }
        return RunID.parse(text)
    }

    /// The `RunInfo` a catalogued (sealed) run shows; `manifest` is nil (read the run for it).
    static func info(_ entry: MessagePackArray, id: RunID, folder: String) -> RunInfo {
        let status = entry[status].stringValue.flatMap(RunStatus.init(rawValue:))
        func date(_ index: Int) -> Date? { entry[index].intValue.map { Date(timeIntervalSince1970: Double($0) / 1e6) } }
        var summary: [ColumnSummary] = []
        for pair in entry[metrics].mapValue ?? [:] {
            guard let name = pair.key.stringValue, let stats = pair.value.arrayValue, stats.count == 4 else { continue }
            summary.append(ColumnSummary(name: name, last: stats[0].doubleValue, min: stats[1].doubleValue,
                                         max: stats[2].doubleValue, count: Int(stats[3].intValue ?? 0)))
        }
        return RunInfo(id: id, path: folder, state: status.map(RunState.sealed) ?? .damaged(reason: "catalog entry without a status"),
                       params: entry[params], startedAt: date(started), endedAt: date(ended),
                       rows: entry[rows].intValue.map { Int($0) }, columns: [], summary: summary,
                       notes: entry[notes].stringValue, tags: (entry[tags].arrayValue ?? []).compactMap(\.stringValue),
                       manifest: nil)
    }
}
