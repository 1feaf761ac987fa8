import MessagePack
import Parquet

/// Everything an unsealed run holds: the owner's rows (in memory or from `.journal`), the
/// journals of processes that joined it (`.journal-<pid>`), and `metrics.jsonl`, merged into
/// one table; plus the headers and metadata records of the journals.
struct RunSources {
    /// `step`, `time`, metric columns (no `run_id` yet).
    var table: Table
    var header: MessagePackValue?
    var joinedHeaders: [MessagePackValue] = []
    var updates: [MessagePackValue] = []
    var warnings: [String] = []
    /// The latest row time seen, in microseconds.
    var lastTime: Int64?

    /// Loads a run folder. `own` replaces `.journal` when the owner seals from memory, and
    /// `ownLines` says how much of `metrics.jsonl` it holds already.
    ///
    /// Rows `specimen run` ingested from `metrics.jsonl` come through `.journal`, with their
    /// arrival times (in it, or parsed from the file where a lines batch refers to them); only
    /// the part of the file after the journal's last lines record is read from the
    /// file itself (rows that arrived after the last flush), so no row is counted twice.
    static func load(folder: String, own: MetricBuffers? = nil, ownLines: LinesProgress? = nil,
                     storage: any StorageBackend = LocalStorage.shared) -> RunSources {
        var tails: [String: JournalTail] = [:]
        return load(folder: folder, own: own, ownLines: ownLines, tails: &tails, storage: storage)
    }

    /// `load`, keeping each journal's reader in `tails` (by file name) from one call to the
    /// next: a live view that loads a running run again reads only what its journals gained.
    static func load(folder: String, own: MetricBuffers? = nil, ownLines: LinesProgress? = nil,
                     tails: inout [String: JournalTail], storage: any StorageBackend = LocalStorage.shared) -> RunSources
    {
        var ingested = ownLines ?? LinesProgress()
        var tables: [(tag: String, table: Table)] = []
        var result = RunSources(table: Table())
        let names = (storage.list(folder) ?? []).sorted()
        func note(_ rows: MetricBuffers) {
            if let last = rows.times.max(), last > (result.lastTime ?? .min) { result.lastTime = last }
        }
        if let own {
            tables.append(("journal", own.table()))
            note(own)
        } else if names.contains(RunFolder.journal),
                  let contents = Self.advance(&tails, folder: folder, name: RunFolder.journal, storage: storage, unreadable: { _ in })
        {
            tables.append(("journal", contents.rows.table()))
            note(contents.rows)
            result.header = contents.header
            result.updates += contents.updates
            result.warnings += contents.warnings
            if let lines = contents.lines { ingested = lines }
        }
        for name in names where name.hasPrefix(RunFolder.journal + "-") {
            guard let contents = Self.advance(&tails, folder: folder, name: name, storage: storage, unreadable: { _ in
                result.warnings.append("\(name) could not be read; its rows are missing")
            }) else { continue }
            tables.append((String(name.dropFirst(RunFolder.journal.count + 1)), contents.rows.table()))
            note(contents.rows)
            if let header = contents.header { result.joinedHeaders.append(header) }
            result.updates += contents.updates
            result.warnings += contents.warnings
        }
        let linesPath = folder + "/" + RunFolder.metricsLines
        if names.contains(RunFolder.metricsLines), let size = storage.entry(linesPath)?.size, size > ingested.offset,
           size - Int(ingested.offset) <= 1 << 30,
           let bytes = try? storage.read(linesPath, range: Int(ingested.offset) ..< size)
        {
            let lines = MetricLines.read(bytes, name: RunFolder.metricsLines, after: ingested)
            tables.append(("jsonl", lines.rows.table()))
            note(lines.rows)
            result.warnings += lines.warnings
        }
        result.table = merge(tables, warnings: &result.warnings)
        for name in tails.keys where !names.contains(name) { tails[name] = nil }
        return result
    }

    /// Reads what journal `name` gained into its reader in `tails`; nil (after `unreadable`)
    /// when it could not be read and no earlier call read any of it.
    private static func advance(_ tails: inout [String: JournalTail], folder: String, name: String,
                                storage: any StorageBackend, unreadable: (any Error) -> Void) -> JournalReader.Contents?
    {
        var tail = tails.removeValue(forKey: name) ?? JournalTail()   // moved out: appended in place
        defer { tails[name] = tail }
        do {
            try tail.advance(path: folder + "/" + name, name: name, storage: storage)
        } catch {
            guard tail.offset > 0 else { unreadable(error); return nil }
        }
        return tail.contents
    }

    /// Stacks the sources' tables. A column whose type clashes with the same name in an
    /// earlier source is renamed `<name>.<source>` (with a warning) so nothing is lost. When
    /// more than one source holds rows, rows are ordered by time (stable; rows without a time
    /// keep their place after the timed ones of their source).
    static func merge(_ sources: [(tag: String, table: Table)], warnings: inout [String]) -> Table {
        let nonEmpty = sources.filter { $0.table.rowCount > 0 }
        if nonEmpty.isEmpty { return sources.first?.table ?? MetricBuffers().table() }
        if nonEmpty.count == 1 { return nonEmpty[0].table }
        var types: [String: ColumnType] = [:]
        var renamed: [Table] = []
        for (tag, table) in nonEmpty {
            var copy = Table(rowCount: table.rowCount)
            for var column in table.columns {
                if let known = types[column.name], ColumnType.common(known, column.type) == nil {
                    let newName = column.name + "." + tag
                    warnings.append("column '\(column.name)' is \(column.type) in \(tag) but \(known) elsewhere; its \(tag) values are kept as '\(newName)'")
                    column.name = newName
                }
                if types[column.name] == nil { types[column.name] = column.type }
                else if let common = ColumnType.common(types[column.name]!, column.type) { types[column.name] = common }
                try? copy.append(column)
            }
            renamed.append(copy)
        }
        guard let stacked = try? Table.concatenate(renamed) else { return nonEmpty[0].table }
        // Stable order by time, untimed rows after timed ones.
        guard let time = stacked["time"], case .int64(let times) = time.values else { return stacked }
        let order = (0 ..< stacked.rowCount).sorted { a, b in
            let ta = time.isNull(a) ? Int64.max : times[a]
            let tb = time.isNull(b) ? Int64.max : times[b]
            return ta != tb ? ta < tb : a < b
        }
        if order == Array(0 ..< stacked.rowCount) { return stacked }
        var sorted = Table(rowCount: stacked.rowCount)
        for column in stacked.columns {
            var builder = ColumnBuilder(name: column.name, type: column.type, capacity: column.count)
            for row in order { try? builder.append(column, rows: row ..< row + 1) }
            try? sorted.append(builder.finish())
        }
        return sorted
    }
}
