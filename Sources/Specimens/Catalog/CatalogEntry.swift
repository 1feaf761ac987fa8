import Foundation
import MessagePack

/// One run's fields as the catalog keeps them (and as queries read them): a MessagePack array,
/// by position, so a segment of 100,000 entries decodes without 100,000 maps' keys.
///
/// ```
/// [0] id          str                [7]  exit_code   int | nil
/// [1] status      str                [8]  host        str | nil
/// [2] params      map (as given)     [9]  git_commit  str | nil
/// [3] metrics     map name → [last, min, max, count]
/// [4] started_us  int | nil          [10] git_dirty   bool | nil
/// [5] ended_us    int | nil          [11] tags        array of str
/// [6] rows        int | nil          [12] notes       str | nil
/// ```
///
/// The fields queries test most come first, so reaching them skips the least.
/// A nil at the top level means the run does not have that field.
package enum CatalogEntry {
    /// The fields' positions in the array.
    package static let id = 0, status = 1, params = 2, metrics = 3, started = 4, ended = 5, rows = 6
    /// The fields' positions in the array (continued).
    package static let exitCode = 7, host = 8, gitCommit = 9, gitDirty = 10, tags = 11, notes = 12
    /// The array's length.
    package static let width = 13

    /// The entry for a run, from what `Specimen.runInfo` read (and its manifest's extras).
    static func make(_ info: RunInfo) -> MessagePackValue {
        func micros(_ date: Date?) -> MessagePackValue {
            guard let date else { return .nil }
            let value = (date.timeIntervalSince1970 * 1e6).rounded()
            return Int64(exactly: value).map(MessagePackValue.int) ?? .nil
        }
        let manifest = info.manifest
        func present(_ value: MessagePackValue?) -> MessagePackValue { value ?? .nil }
        var metricPairs: [(key: MessagePackValue, value: MessagePackValue)] = []
        metricPairs.reserveCapacity(info.summary.count)
        for column in info.summary {
            metricPairs.append((.string(column.name), .array([
                column.last.map(MessagePackValue.float64) ?? .nil, column.min.map(MessagePackValue.float64) ?? .nil,
                column.max.map(MessagePackValue.float64) ?? .nil, .int(Int64(column.count)),
            ])))
        }
        var exitValue = MessagePackValue.nil
        if let code = manifest?["exit_code"], code.intValue != nil { exitValue = code }
        var fields = [MessagePackValue](repeating: .nil, count: width)
        fields[id] = .string(info.id.rawValue)
        fields[status] = .string(info.state.name)
        fields[params] = info.params.mapValue != nil ? info.params : .map([])
        fields[metrics] = .map(metricPairs)
        fields[started] = micros(info.startedAt)
        fields[ended] = micros(info.endedAt)
        fields[rows] = info.rows.map { .int(Int64($0)) } ?? .nil
        fields[exitCode] = exitValue
        fields[host] = present(manifest?["host"]?["hostname"]?.stringValue.map(MessagePackValue.string))
        fields[gitCommit] = present(manifest?["git"]?["commit"]?.stringValue.map(MessagePackValue.string))
        fields[gitDirty] = present(manifest?["git"]?["dirty"]?.boolValue.map(MessagePackValue.bool))
        fields[tags] = .array(info.tags.map(MessagePackValue.string))
        fields[notes] = present(info.notes.map(MessagePackValue.string))
        return .array(fields)
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
