#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parquet

/// The rows of one run held in memory as typed columns, and the journal records that make
/// them durable.
///
/// `append` is the logging hot path: it resolves the row's names to column indices (a cached
/// mapping makes a row with the same names as the previous one cost one string comparison per
/// value), checks every value's type before changing anything, then appends to the columns
/// and encodes the row into the journal buffer. No allocation per value.
struct MetricBuffers {
    private(set) var columns: [MetricColumnBuffer] = []
    /// Each column's type (nil: only nulls so far), kept beside `columns` so that checking a
    /// row reads one small array instead of touching the column buffers.
    private var types: [MetricType?] = []
    private var index: [String: Int] = [:]
    private(set) var steps: [Int64] = []
    private(set) var times: [Int64] = []
    /// Which rows have a time (nil: all); rows from `metrics.jsonl` may have none.
    private(set) var timeValidity: Validity?
    /// The step given to the next row logged without one.
    var nextStep: Int64 = 0
    private var cachedNames: [String] = []
    private var cachedIndices: [Int] = []
    private var scratch: [Int] = []
    private var newNames: [String] = []
    private var stamp = 0

    var rowCount: Int { steps.count }
    var columnNames: [String] { columns.map(\.name) }
    static let reservedNames: Set<String> = ["run_id", "step", "time"]

    /// Appends one row; when `encode` is set, `journal` receives the records (a column
    /// definition for each new name, then the row). Throws, changing nothing, on a type clash, a
    /// reserved or empty name, or a name given twice.
    mutating func append<C: Collection>(step: Int64?, time: Int64?, values: C, journal: inout MessagePackBuffer, encode: Bool) throws
    where C.Element == (key: String, value: MetricValue) {
        let row = steps.count
        let n = values.count
        var hit = n == cachedNames.count
        if hit {
            var i = 0
            for pair in values {
                if pair.key != cachedNames[i] { hit = false; break }
                i += 1
            }
        }
        if hit {
            try cachedIndices.withUnsafeBufferPointer { indices in
                try types.withUnsafeBufferPointer { types in
                    var i = 0
                    for pair in values {
                        let column = indices[i]
                        if let clash = MetricBuffers.clash(types[column], pair.value) { throw mismatch(column, clash) }
                        i &+= 1
                    }
                }
            }
        } else {
            try resolve(values, row: row)
        }
        // Everything checked: apply.
        if !hit {
            for name in newNames {
                let column = columns.count
                columns.append(MetricColumnBuffer(name: name))
                types.append(nil)
                index[name] = column
                if encode {
                    JournalRecord.writeColumn(number: column, name: name, into: &journal)
                }
            }
            cachedNames = values.map(\.key)
            cachedIndices = scratch.map { $0 >= 0 ? $0 : columns.count - newNames.count + (-$0 - 1) }
        }
        let stepValue = step ?? nextStep
        nextStep = stepValue &+ 1
        steps.append(stepValue)
        if let time {
            times.append(time)
            timeValidity?.append(true)
        } else {
            if timeValidity == nil {
                var all = Validity(count: 0)
                all.append(repeating: true, count: times.count)
                timeValidity = all
            }
            times.append(0)
            timeValidity!.append(false)
        }
        if encode {
            JournalRecord.writeRowStart(valueCount: n, step: stepValue, time: time ?? 0, into: &journal)
        }
        cachedIndices.withUnsafeBufferPointer { indices in
            columns.withUnsafeMutableBufferPointer { columns in
                types.withUnsafeMutableBufferPointer { types in
                    var i = 0
                    for pair in values {
                        let column = indices[i]
                        columns[column].pad(to: row)
                        columns[column].append(pair.value)
                        if let incoming = pair.value.type, types[column] != incoming {
                            types[column] = types[column].map { $0.merged(with: incoming) ?? $0 } ?? incoming
                        }
                        if encode {
                            JournalRecord.writeValue(column: column, pair.value, into: &journal)
                        }
                        i &+= 1
                    }
                }
            }
        }
    }

    /// Maps names to columns for a row that missed the cache: existing columns as their index,
    /// new names as −(position in `newNames`) − 1, into `scratch`; checks types and duplicates.
    private mutating func resolve<C: Collection>(_ values: C, row: Int) throws where C.Element == (key: String, value: MetricValue) {
        scratch.removeAll(keepingCapacity: true)
        newNames.removeAll(keepingCapacity: true)
        stamp += 1
        for pair in values {
            if let column = index[pair.key] {
                if columns[column].lastRow == stamp {
                    throw SpecimenError(.invalidName, "column '\(pair.key)' is given twice in one row")
                }
                if let clash = MetricBuffers.clash(types[column], pair.value) { throw mismatch(column, clash) }
                scratch.append(column)
                columns[column].lastRow = stamp
            } else {
                if newNames.contains(pair.key) {
                    throw SpecimenError(.invalidName, "column '\(pair.key)' is given twice in one row")
                }
                if pair.key.isEmpty { throw SpecimenError(.invalidName, "a metric name is empty") }
                if MetricBuffers.reservedNames.contains(pair.key) {
                    throw SpecimenError(.invalidName, "'\(pair.key)' is a reserved column name", recovery: "Pass the step as log(step:…) and let the store record the time; choose another name for the metric")
                }
                newNames.append(pair.key)
                scratch.append(-newNames.count)
            }
        }
    }

    /// The incoming type when `value` cannot go into a column of `type`; nil when it can.
    @inline(__always) static func clash(_ type: MetricType?, _ value: MetricValue) -> MetricType? {
        guard let type, let incoming = value.type, type != incoming else { return nil }
        if (type == .int64 && incoming == .double) || (type == .double && incoming == .int64) { return nil }
        return incoming
    }

    private func mismatch(_ index: Int, _ incoming: MetricType) -> SpecimenError {
        let column = columns[index]
        return SpecimenError(.typeMismatch, "column '\(column.name)' holds \(column.type.map { "\($0)" } ?? "no") values and cannot take a \(incoming) value",
                      recovery: "Log one type per metric (an int64 column accepts doubles and becomes double), or use another name")
    }

    /// The rows as a table: `step`, `time`, then the metric columns in first-seen order.
    func table() -> Table {
        var table = Table(rowCount: rowCount)
        try? table.append(Column(name: "step", type: .int64, values: .int64(steps)))
        try? table.append(Column(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true), values: .int64(times), validity: timeValidity))
        for column in columns { try? table.append(column.column(rows: rowCount)) }
        return table
    }

    /// The metric columns and their types (nil type: only nulls so far).
    var schema: [(name: String, type: MetricType?)] { columns.map { ($0.name, $0.type) } }
}

/// Microseconds since 1970, from the real-time clock.
@inline(__always) func currentMicroseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) &* 1_000_000 &+ Int64(spec.tv_nsec) / 1000
}
