import MessagePack
import Parquet

/// The manifest's `metrics` entry — `{rows, columns: [{name, type}], summary: {name: {last,
/// min, max, count}}}` — gathered from a table given whole or in batches of rows (sealing a
/// long run row group by row group): both give the same entry.
struct MetricsSummary {
    /// One summarized column: a double or int64 metric.
    private struct Entry {
        var name: String
        var isDouble: Bool
        var count = 0
        var lastDouble: Double?, minDouble: Double?, maxDouble: Double?
        var lastInt: Int64?, minInt: Int64?, maxInt: Int64?

        /// Adds doubles none of which is null (what the per-row loop does, in one pass with
        /// no optionals: NaN counts and can be last, but is never a minimum or maximum; among equal
        /// values such as 0 and -0, the first stays).
        mutating func addDoubles(_ values: [Double]) {
            guard let last = values.last else { return }
            var low = Double.infinity, high = -Double.infinity
            var numbers = 0
            values.withUnsafeBufferPointer { values in
                for v in values where !v.isNaN {
                    if v < low { low = v }   // ties keep the first, as the per-row loop does
                    if v > high { high = v }
                    numbers &+= 1
                }
            }
            count += values.count
            lastDouble = last
            guard numbers > 0 else { return }
            if minDouble == nil || low < minDouble! { minDouble = low }
            if maxDouble == nil || high > maxDouble! { maxDouble = high }
        }
    }

    private var rows = 0
    private var columns: [MessagePackValue]?
    /// Per column of the table: its entry's index, or nil when it is not summarized.
    private var slots: [Int?] = []
    private var entries: [Entry] = []

    /// Adds the rows of `batch`; every batch after the first has the first one's columns.
    mutating func add(_ batch: Table) {
        typealias Key = RunManifest.MetricsKey
        if columns == nil {
            columns = batch.columns.map { column in
                .map([(.string(Key.name), .string(column.name)), (.string(Key.type), .string(RunSealer.typeName(column.type)))])
            }
            for column in batch.columns {
                guard !["run_id", "step", "time"].contains(column.name) else { slots.append(nil); continue }
                switch column.values {
                case .double:
                    slots.append(entries.count)
                    entries.append(Entry(name: column.name, isDouble: true))
                case .int64 where column.type == .int64:
                    slots.append(entries.count)
                    entries.append(Entry(name: column.name, isDouble: false))
                default:
                    slots.append(nil)
                }
            }
        }
        rows += batch.rowCount
        for (index, column) in batch.columns.enumerated() where index < slots.count {
            guard let slot = slots[index] else { continue }
            switch column.values {
            case .double(let values) where column.validity == nil:
                entries[slot].addDoubles(values)
            case .double(let values):
                var entry = entries[slot]
                for row in 0 ..< values.count where !column.isNull(row) {
                    let v = values[row]
                    entry.count += 1
                    entry.lastDouble = v
                    if v.isNaN { continue }
                    if entry.minDouble == nil || v < entry.minDouble! { entry.minDouble = v }
                    if entry.maxDouble == nil || v > entry.maxDouble! { entry.maxDouble = v }
                }
                entries[slot] = entry
            case .int64(let values):
                var entry = entries[slot]
                for row in 0 ..< values.count where !column.isNull(row) {
                    let v = values[row]
                    entry.count += 1
                    entry.lastInt = v
                    if entry.minInt == nil || v < entry.minInt! { entry.minInt = v }
                    if entry.maxInt == nil || v > entry.maxInt! { entry.maxInt = v }
                }
                entries[slot] = entry
            default:
                continue
            }
        }
    }

    /// The manifest's `metrics` value.
    var value: MessagePackValue {
        typealias Key = RunManifest.MetricsKey
        let summary: [(key: MessagePackValue, value: MessagePackValue)] = entries.map { entry in
            let pairs: [(key: MessagePackValue, value: MessagePackValue)]
            if entry.isDouble {
                pairs = [(.string(Key.last), entry.lastDouble.map { .float64($0) } ?? .nil), (.string(Key.min), entry.minDouble.map { .float64($0) } ?? .nil),
                         (.string(Key.max), entry.maxDouble.map { .float64($0) } ?? .nil), (.string(Key.count), .int(Int64(entry.count)))]
            } else {
                pairs = [(.string(Key.last), entry.lastInt.map { .int($0) } ?? .nil), (.string(Key.min), entry.minInt.map { .int($0) } ?? .nil),
                         (.string(Key.max), entry.maxInt.map { .int($0) } ?? .nil), (.string(Key.count), .int(Int64(entry.count)))]
            }
            return (.string(entry.name), .map(pairs))
        }
        return .map([(.string(Key.rows), .int(Int64(rows))), (.string(Key.columns), .array(columns ?? [])), (.string(Key.summary), .map(summary))])
    }
}
