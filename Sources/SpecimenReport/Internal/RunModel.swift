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
            table = try specimen.readMetrics(run: info.id)
        } catch {
            model.readError = "\(error)"
            return model
        }
        model.rows = table.rowCount
        let steps = table["step"].flatMap(ColumnNumbers.doubles) ?? (0 ..< table.rowCount).map { Double($0) }
        let times = table["time"].flatMap(ColumnNumbers.seconds)
        model.firstTime = times?.first { $0 != nil } ?? nil
        for column in table.columns where !["run_id", "step", "time"].contains(column.name) {
            if let numbers = ColumnNumbers.doubles(column) {
                model.series.append(series(column.name, numbers, steps: steps, times: times, first: model.firstTime, budget: budget))
            } else {
                model.textMetrics.append((column.name, ColumnNumbers.lastText(column)))
            }
        }
        return model
    }

    private static func series(_ name: String, _ numbers: [Double?], steps: [Double?], times: [Double?]?, first: Double?,
                               budget: Int) -> RunSeries {
        var series = RunSeries(metric: name)
        var xs: [Double] = [], ys: [Double] = [], ts: [Double] = []
        xs.reserveCapacity(numbers.count)
        ys.reserveCapacity(numbers.count)
        for (row, number) in numbers.enumerated() {
            guard let value = number else { continue }
            series.last = value
            if !value.isNaN {
                series.min = Swift.min(series.min ?? value, value)
                series.max = Swift.max(series.max ?? value, value)
            }
            guard value.isFinite else {
                series.nonFiniteCount += 1
                continue
            }
            guard let step = steps[row] else { continue }
            xs.append(step)
            ys.append(value)
            if let times, let first { ts.append((times[row] ?? first) - first) }
        }
        series.finiteCount = ys.count
        let kept = Downsampler.select(ys, budget: budget)
        series.steps = kept.map { xs[$0] }
        series.values = kept.map { ys[$0] }
        if times != nil, first != nil { series.elapsed = kept.map { ts[$0] } }
        return series
    }
}

/// Reading a column's values as numbers or text without boxing each value.
enum ColumnNumbers {
    /// The values as doubles (nil where null), or nil when the column is not numeric.
    static func doubles(_ column: Column) -> [Double?]? {
        switch (column.type, column.values) {
        case (.timestamp, _), (.date, _), (.decimal, _): return nil
        case (_, .double(let values)): return values.indices.map { column.isNull($0) ? nil : values[$0] }
        case (_, .float(let values)): return values.indices.map { column.isNull($0) ? nil : Double(values[$0]) }
        case (.uint64, .int64(let values)): return values.indices.map { column.isNull($0) ? nil : Double(UInt64(bitPattern: values[$0])) }
        case (_, .int64(let values)): return values.indices.map { column.isNull($0) ? nil : Double(values[$0]) }
        case (_, .int32(let values)): return values.indices.map { column.isNull($0) ? nil : Double(values[$0]) }
        default: return nil
        }
    }

    /// A timestamp column as Unix seconds (nil where null), or nil for other columns.
    static func seconds(_ column: Column) -> [Double?]? {
        guard case .timestamp(let unit, _) = column.type, case .int64(let values) = column.values else { return nil }
        let scale: Double = switch unit {
        case .milliseconds: 1e3
        case .microseconds: 1e6
        case .nanoseconds: 1e9
        }
        return values.indices.map { column.isNull($0) ? nil : Double(values[$0]) / scale }
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
