import Parquet
import Specimens

/// Per-column last/min/max of a metrics table, for runs whose manifest has no summary yet
/// (running or crashed), and the column's history for sparklines.
enum MetricSummary {
    /// The column's numeric values in row order (nulls and non-numbers left out; decimals as
    /// their nearest double).
    static func numbers(_ column: Column) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(column.count)
        for row in 0 ..< column.count {
            switch column[row] {
            case .int(let v): result.append(Double(v))
            case .uint(let v): result.append(Double(v))
            case .double(let v): result.append(v)
            case .float(let v): result.append(Double(v))
            case .decimal(let v): result.append(v.doubleValue)  // the nearest double: summaries are for display
            default: continue
            }
        }
        return result
    }

    /// Summaries of every numeric column but `run_id` and `time`.
    static func summaries(_ table: Table) -> [ColumnSummary] {
        table.columns.compactMap { column in
            guard column.name != "run_id", column.name != "time" else { return nil }
            let values = numbers(column)
            guard !values.isEmpty else { return nil }
            let finite = values.filter { !$0.isNaN }
            return ColumnSummary(name: column.name, last: values.last, min: finite.min(), max: finite.max(), count: values.count)
        }
    }
}
