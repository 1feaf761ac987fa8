public import Parquet

/// Last, minimum, maximum and count of the numeric metrics of a table: what a sealed run's
/// manifest records (`metrics.summary`), computed the same way for runs that are not sealed
/// yet, and for any table read from a run.
public enum MetricSummaries {
    /// The columns that describe rows rather than measure anything: not summarized.
    static let rowColumns: Set<String> = [MetricsFile.runIDColumn, "step", "time"]

    /// The summary of every numeric column of `table` but `run_id`, `step` and `time`, in
    /// column order. NaN counts as a value and can be the last one, but is never the minimum
    /// or maximum.
    public static func summaries(_ table: Table) -> [ColumnSummary] {
        table.columns.compactMap { column in
            guard !rowColumns.contains(column.name) else { return nil }
            let values = numbers(column)
            guard !values.isEmpty else { return nil }
            var minimum: Double?, maximum: Double?
            for value in values where !value.isNaN {
                if minimum.map({ value < $0 }) ?? true { minimum = value }
                if maximum.map({ value > $0 }) ?? true { maximum = value }
            }
            return ColumnSummary(name: column.name, last: values.last, min: minimum, max: maximum, count: values.count)
        }
    }

    /// The column's numeric values in row order (nulls and non-numbers left out; decimals as
    /// their nearest double); empty for a column that is not numeric.
    public static func numbers(_ column: Column) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(column.count)
        for row in 0 ..< column.count {
            switch column[row] {
            case .int(let v): result.append(Double(v))
            case .uint(let v): result.append(Double(v))
            case .double(let v): result.append(v)
            case .float(let v): result.append(Double(v))
            case .decimal(let v): result.append(v.doubleValue)   // the nearest double: summaries are for display
            default: continue
            }
        }
        return result
    }
}
