import Foundation
import MessagePack
import Parquet
import Specimens

/// One numeric metric of one run, as drawn: the chosen points and the exact summary.
struct RunSeries {
    /// The metric's name.
    var metric: String
    /// The x of each drawn point: step (or row number).
    var steps: [Double] = []
    /// Seconds since the run's first row for each drawn point; nil when the run has no `time`.
    var elapsed: [Double]? = nil
    /// The drawn values (finite).
    var values: [Double] = []
    /// Finite values the series holds.
    var finiteCount = 0
    /// Values that are NaN or ±infinity (not drawable).
    var nonFiniteCount = 0
    /// The last non-null value, exact.
    var last: Double?
    /// The smallest non-NaN value, exact.
    var min: Double?
    /// The largest non-NaN value, exact.
    var max: Double?

    /// Whether fewer points are drawn than the series holds.
    var isDownsampled: Bool { values.count < finiteCount }
}

/// One run as the report sees it: its details, its drawable series and its other metrics.
struct RunModel {
    /// The run's details.
    var info: RunInfo
    /// Its position, oldest first: its colour.
    var index: Int
    /// Numeric metrics, in column order.
    var series: [RunSeries] = []
    /// String, bool and other metrics: name and last value as text.
    var textMetrics: [(name: String, last: String)] = []
    /// Rows read.
    var rows = 0
    /// Unix seconds of the first row's `time`, when there is one.
    var firstTime: Double?
    /// Why the metrics could not be read, if they could not.
    var readError: String?
    /// The last lines of `output.log`.
    var outputTail: [String] = []

    /// Whether the run is drawn dashed: it did not complete normally.
    var isDashed: Bool {
        switch info.state {
        case .sealed(.completed): false
        default: true
        }
    }

    /// The series of `metric`, if the run has it.
    func series(_ metric: String) -> RunSeries? { series.first { $0.metric == metric } }

    /// Reads run `info` of `specimen` and keeps `budget` points per series.
    static func load(_ specimen: Specimen, _ info: RunInfo, index: Int, budget: Int, logLines: Int) -> RunModel {
        var model = RunModel(info: info, index: index)
        model.outputTail = OutputTail.lines(of: info.path + "/output.log", count: logLines)
        let table: Table
        do {
            table = try readTable(specimen, info)
        } catch {
            model.readError = "\(error)"
            return model
        }
        model.rows = table.rowCount
        let steps = table["step"].flatMap(NumericColumn.init)?.filled ?? (0 ..< table.rowCount).map { Double($0) }
        let times = table["time"].flatMap(NumericColumn.seconds)
        model.firstTime = times?.first { $0.isFinite }
        for column in table.columns where !["run_id", "step", "time"].contains(column.name) {
            if let numbers = NumericColumn(column) {
                model.series.append(series(column.name, numbers, steps: steps, times: times, first: model.firstTime, budget: budget))
            } else {
                model.textMetrics.append((column.name, NumericColumn.lastText(column)))
            }
        }
        return model
    }

    /// The run's metrics. A sealed run's `metrics.parquet` is read without its `run_id` column,
    /// which a report does not need; anything unusual (unsealed, legacy, unreadable) goes
    /// through `Specimen.readMetrics`, which reads journals and says what is wrong.
    private static func readTable(_ specimen: Specimen, _ info: RunInfo) throws -> Table {
        if info.state.isSealed, !info.isLegacy,
           let reader = try? ParquetReader(path: info.path + "/metrics.parquet"),
           reader.schema.names.first == "run_id",
           let table = try? reader.read(columns: Array(reader.schema.names.dropFirst())) {
            return table
        }
        return try specimen.readMetrics(run: info.id)
    }

    /// One metric's summary (exact, over every row) and its drawn points.
    static func series(_ name: String, _ column: NumericColumn, steps: [Double], times: [Double]?, first: Double?,
                       budget: Int) -> RunSeries {
        var series = RunSeries(metric: name)
        let values = column.values
        var low = Double.infinity, high = -Double.infinity, seen = false
        var last = 0.0, hasLast = false, finite = 0, nonFinite = 0
        var allDrawable = values.count <= steps.count
        values.withUnsafeBufferPointer { values in
            steps.withUnsafeBufferPointer { steps in
                let rows = Swift.min(values.count, steps.count)
                if !column.hasNulls {
                    // The common case: no nulls; one pass, no per-row optional checks.
                    for row in 0 ..< rows {
                        let value = values[row]
                        last = value
                        if value.isNaN { nonFinite += 1; allDrawable = false; continue }
                        seen = true
                        low = Swift.min(low, value)
                        high = Swift.max(high, value)
                        if value.isInfinite { nonFinite += 1; allDrawable = false; continue }
                        if steps[row].isFinite { finite += 1 } else { allDrawable = false }
                    }
                    hasLast = rows > 0
                    for row in rows ..< values.count {   // rows without a step (never in practice)
                        last = values[row]
                        hasLast = true
                    }
                    return
                }
                for row in 0 ..< values.count {
                    if column.isNull(row) { allDrawable = false; continue }
                    let value = values[row]
                    last = value
                    hasLast = true
                    if value.isNaN { nonFinite += 1; allDrawable = false; continue }
                    seen = true
                    low = Swift.min(low, value)
                    high = Swift.max(high, value)
                    if value.isInfinite { nonFinite += 1; allDrawable = false; continue }
                    if row < rows, steps[row].isFinite { finite += 1 } else { allDrawable = false }
                }
            }
        }
        if hasLast { series.last = last }
        series.finiteCount = finite
        series.nonFiniteCount = nonFinite
        if seen { series.min = low; series.max = high }
        let kept: [Int]
        if allDrawable {
            kept = Downsampler.select(values, budget: budget)
        } else {
            let rows = (0 ..< values.count).filter { row in
                !column.isNull(row) && values[row].isFinite && row < steps.count && steps[row].isFinite
            }
            kept = Downsampler.select(rows.map { values[$0] }, budget: budget).map { rows[$0] }
        }
        series.steps = kept.map { steps[$0] }
        series.values = kept.map { values[$0] }
        if let times, let first { series.elapsed = kept.map { row in row < times.count && times[row].isFinite ? times[row] - first : .nan } }
        return series
    }
}

/// A numeric column as doubles, read from the column's storage without boxing: a double
/// column's array is shared, not copied. Null rows hold a placeholder; `isNull` tells them.
struct NumericColumn {
    /// One value per row (placeholders under nulls).
    var values: [Double]
    /// The column, for its validity.
    private var validity: Column?

    /// The column as doubles, or nil when it is not numeric (string, bool, timestamp, …).
    init?(_ column: Column) {
        switch (column.type, column.values) {
        case (.timestamp, _), (.date, _), (.decimal, _): return nil
        case (_, .double(let values)): self.values = values
        case (_, .float(let values)): self.values = values.map { Double($0) }
        case (.uint64, .int64(let values)): self.values = values.map { Double(UInt64(bitPattern: $0)) }
        case (_, .int64(let values)): self.values = values.map { Double($0) }
        case (_, .int32(let values)): self.values = values.map { Double($0) }
        default: return nil
        }
        validity = column.nullCount > 0 ? column : nil
    }

    /// Whether row `row` is null.
    @inline(__always) func isNull(_ row: Int) -> Bool { validity?.isNull(row) ?? false }

    /// Whether any row is null.
    var hasNulls: Bool { validity != nil }

    /// The values with NaN where a row is null.
    var filled: [Double] {
        guard let validity else { return values }
        return values.indices.map { validity.isNull($0) ? .nan : values[$0] }
    }

    /// A timestamp column as Unix seconds (NaN where null), or nil for other columns.
    static func seconds(_ column: Column) -> [Double]? {
        guard case .timestamp(let unit, _) = column.type, case .int64(let values) = column.values else { return nil }
        let scale: Double = switch unit {
        case .milliseconds: 1e3
        case .microseconds: 1e6
        case .nanoseconds: 1e9
        }
        return values.indices.map { column.isNull($0) ? .nan : Double(values[$0]) / scale }
    }

    /// The last non-null value of a column as text (empty when every value is null).
    static func lastText(_ column: Column) -> String {
        var index = column.count - 1
        while index >= 0 {
            if !column.isNull(index) {
                switch column[index] {
                case .string(let text): return text
                case .bool(let flag): return flag ? "true" : "false"
                case let other: return "\(other)"
                }
            }
            index -= 1
        }
        return ""
    }
}

/// The last lines of a text file, read from its end.
enum OutputTail {
    /// Up to `count` last lines of `path` (each cut at 500 characters), or none when the file
    /// is missing or unreadable. Reads at most the last 64 KiB.
    static func lines(of path: String, count: Int) -> [String] {
        guard count > 0, let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return [] }
        let start = size > 65_536 ? size - 65_536 : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return [] }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if start > 0, !lines.isEmpty { lines.removeFirst() }   // a partial line
        if lines.last == "" { lines.removeLast() }
        return lines.suffix(count).map { $0.count > 500 ? String($0.prefix(500)) + "…" : $0 }
    }
}
