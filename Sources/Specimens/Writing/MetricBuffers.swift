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
///
/// With ``retainLimit`` set (a run's own rows), the rows leave memory once they hold more
/// values than that, in one of two ways:
/// - handed over (``handsOverRows``): the rows so far become a table in ``released``, which
///   the run's owner writes to its part file (``MetricsPart``), and the columns start again
///   empty, keeping their types — sealing then appends the rows still in memory and the footer;
/// - let go: the columns are emptied and from then on only the schema (names, types) and the
///   row count are kept, while the journal goes on receiving every row. Such buffers are
///   ``isSpilled``; sealing streams their rows back from the journal (``JournalBatches``).
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
    /// Whether every column of the cached names is a double column: a row of doubles with
    /// those names then needs no type check nor promotion (``appendDoubles``). Types only
    /// change towards double for such columns, so it stays true until the cache changes.
    private var cachedAllDouble = false
    private var scratch: [Int] = []
    private var newNames: [String] = []
    private var stamp = 0
    /// Rows appended so far (also those that left memory).
    private(set) var rowCount = 0
    /// The most values kept in memory before the rows leave it (nil: keep every row).
    var retainLimit: Int?
    /// Values held in the columns now.
    private var retainedValues = 0
    /// Whether rows left memory (the journal holds them): columns, steps and times are empty
    /// and stay so; only the schema and the row count go on.
    private(set) var isSpilled = false
    /// Whether rows past ``retainLimit`` are handed over as tables (``released``) instead of
    /// let go; turned off by ``stopHandingOver()``.
    private(set) var handsOverRows = false
    /// Batches of rows handed over and not taken yet (``takeReleased()``), oldest first: each
    /// a table of `step`, `time` and the metric columns, as ``table()`` gives.
    private(set) var released: [Table] = []
    /// Rows handed over so far (taken or not).
    private(set) var handedOverRows = 0

    var columnNames: [String] { columns.map(\.name) }
    /// How many metric columns the rows have named.
    var columnCount: Int { columns.count }
    static let reservedNames: Set<String> = ["run_id", "step", "time"]

    /// Appends one row; when `encode` is set, `journal` receives the records (a column
    /// definition for each new name, then the row). Throws, changing nothing, on a type clash, a
    /// reserved or empty name, or a name given twice.
    mutating func append<C: Collection>(step: Int64?, time: Int64?, values: C, journal: inout MessagePackBuffer, encode: Bool) throws
    where C.Element == (key: String, value: MetricValue) {
        let row = steps.count
        let n = values.count
        let retaining = !isSpilled
        // One pass: the names against the cached row's, and each value's type against its
        // column's; a name that differs sends the row to `resolve`.
        var hit = n == cachedNames.count
        if hit {
            var clashing: (column: Int, type: MetricType)?
            cachedNames.withUnsafeBufferPointer { names in
                cachedIndices.withUnsafeBufferPointer { indices in
                    types.withUnsafeBufferPointer { types in
                        var i = 0
                        for pair in values {
                            if pair.key != names[i] { hit = false; return }
                            if clashing == nil, let clash = MetricBuffers.clash(types[indices[i]], pair.value) { clashing = (indices[i], clash) }
                            i &+= 1
                        }
                    }
                }
            }
            if hit, let clashing { throw mismatch(clashing.column, clashing.type) }
        }
        if !hit {
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
            cachedAllDouble = false
        }
        let stepValue = step ?? nextStep
        nextStep = stepValue &+ 1
        rowCount &+= 1
        if !retaining {
            // Only the types and the journal: the rows are in the journal alone.
            if encode {
                JournalRecord.writeRowStart(valueCount: n, step: stepValue, time: time ?? 0, into: &journal)
            }
            cachedIndices.withUnsafeBufferPointer { indices in
                types.withUnsafeMutableBufferPointer { types in
                    var i = 0
                    for pair in values {
                        let column = indices[i]
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
            return
        }
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
        retainedValues &+= n
        if let retainLimit, retainedValues > retainLimit { releaseRows() }
    }

    /// `append` for a row of doubles named `names` (the `log(names, values)` path), journaled:
    /// the same rules and results, with the per-value work cut to a store into the column and
    /// two scalars into the journal when the names are the previous row's and their columns
    /// are double already. Any other row goes through `append`.
    @inline(__always)
    mutating func appendDoubles(step: Int64?, time: Int64, names: UnsafeBufferPointer<String>, values: UnsafeBufferPointer<Double>,
                                journal: inout MessagePackBuffer) throws {
        let n = names.count
        var hit = cachedAllDouble && n == cachedNames.count
        if hit {
            cachedNames.withUnsafeBufferPointer { cached in
                for i in 0 ..< n where names[i] != cached[i] { hit = false; return }
            }
        }
        guard hit else {
            try append(step: step, time: time, values: NamedDoubles(names: names, values: values), journal: &journal, encode: true)
            cachedAllDouble = cachedIndices.allSatisfy { types[$0] == .double }
            return
        }
        let stepValue = step ?? nextStep
        nextStep = stepValue &+ 1
        rowCount &+= 1
        JournalRecord.writeRowStart(valueCount: n, step: stepValue, time: time, into: &journal)
        if isSpilled {
            cachedIndices.withUnsafeBufferPointer { indices in
                for i in 0 ..< n { JournalRecord.writeDouble(column: indices[i], values[i], into: &journal) }
            }
            return
        }
        let row = steps.count
        steps.append(stepValue)
        times.append(time)
        timeValidity?.append(true)
        cachedIndices.withUnsafeBufferPointer { indices in
            columns.withUnsafeMutableBufferPointer { columns in
                for i in 0 ..< n {
                    let column = indices[i]
                    columns[column].appendDouble(values[i], row: row)
                    JournalRecord.writeDouble(column: column, values[i], into: &journal)
                }
            }
        }
        retainedValues &+= n
        if let retainLimit, retainedValues > retainLimit { releaseRows() }
    }

    /// `append` for consecutive rows whose names are, in order, those of the last row `append`
    /// took without throwing (the caller knows: ``ParsedLines`` rows of one layout), journaled:
    /// the same rules and results without comparing a single name — per value one type check
    /// against the cached column, the store and the journal record — and the arrays taken
    /// once for the whole run of rows, not per row. `row(k)` gives row k's step (nil: the
    /// next), time and values, for k in `0 ..< count`; a row refused (a type clash, or not as
    /// many values as names) changes nothing and goes to `refused` with its error. Without
    /// `encode`, nothing goes to `journal`.
    @inline(__always)
    mutating func appendCached(rows count: Int, journal: inout MessagePackBuffer, encode: Bool = true,
                               row: (Int) -> (step: Int64?, time: Int64, values: UnsafeBufferPointer<MetricValue>),
                               refused: (Int, SpecimenError) -> Void) {
        var k = 0
        while k < count {
            k = appendCached(from: k, count, journal: &journal, encode: encode, row: row, refused: refused)
            if let retainLimit, retainedValues > retainLimit { releaseRows() }
        }
    }

    /// `appendCached(rows:…)` from row `first` on, until the rows are all in or hold more than
    /// `retainLimit` values; returns the next row. The types and the columns are moved out of
    /// `self` for the loop (so that it holds their storage once, and an error message may
    /// still read `self`), and back.
    @inline(__always)
    private mutating func appendCached(from first: Int, _ count: Int, journal: inout MessagePackBuffer, encode: Bool,
                                       row: (Int) -> (step: Int64?, time: Int64, values: UnsafeBufferPointer<MetricValue>),
                                       refused: (Int, SpecimenError) -> Void) -> Int {
        var types: [MetricType?] = []
        var columns: [MetricColumnBuffer] = []
        swap(&types, &self.types)
        swap(&columns, &self.columns)
        defer {
            swap(&types, &self.types)
            swap(&columns, &self.columns)
        }
        let cachedIndices = self.cachedIndices
        let retaining = !isSpilled
        var k = first
        cachedIndices.withUnsafeBufferPointer { indices in
            types.withUnsafeMutableBufferPointer { types in
                columns.withUnsafeMutableBufferPointer { columns in
                    let n = indices.count
                    while k < count {
                        let (step, time, values) = row(k)
                        k &+= 1
                        guard values.count == n else {
                            refused(k - 1, SpecimenError(.invalidName, "a row of \(values.count) values was given as one of the previous row's \(n) names"))
                            continue
                        }
                        var clashing = -1
                        for i in 0 ..< n where MetricBuffers.clash(types[indices[i]], values[i]) != nil { clashing = i; break }
                        if clashing >= 0 {
                            let column = indices[clashing]
                            refused(k - 1, MetricBuffers.mismatch(columns[column].name, types[column], values[clashing].type ?? .double))
                            continue
                        }
                        let stepValue = step ?? nextStep
                        nextStep = stepValue &+ 1
                        rowCount &+= 1
                        if encode { JournalRecord.writeRowStart(valueCount: n, step: stepValue, time: time, into: &journal) }
                        let rowIndex = steps.count
                        if retaining {
                            steps.append(stepValue)
                            times.append(time)
                            timeValidity?.append(true)
                            retainedValues &+= n
                        }
                        for i in 0 ..< n {
                            let column = indices[i]
                            // Numbers into number columns of their type (or ints into a double
                            // column): stored as they are, the column's type unchanged.
                            switch (types[column], values[i]) {
                            case (.double?, .double(let v)):
                                if retaining { columns[column].appendDouble(v, row: rowIndex) }
                            case (.double?, .int(let v)):
                                if retaining { columns[column].appendDouble(Double(v), row: rowIndex) }
                            case (.int64?, .int(let v)):
                                if retaining { columns[column].appendInt(v, row: rowIndex) }
                            default:
                                if retaining {
                                    columns[column].pad(to: rowIndex)
                                    columns[column].append(values[i])
                                }
                                if let incoming = values[i].type, types[column] != incoming {
                                    types[column] = types[column].map { $0.merged(with: incoming) ?? $0 } ?? incoming
                                }
                            }
                            if encode { JournalRecord.writeValue(column: column, values[i], into: &journal) }
                        }
                        if retaining, let retainLimit, retainedValues > retainLimit { return }
                    }
                }
            }
        }
        return k
    }

    /// Lets the rows in memory go (they are in the journal): hands them over as a table when
    /// ``handsOverRows``, and starts again with empty columns of the same types, room reserved
    /// for as many rows again; otherwise empties the columns for good, keeping names and types,
    /// so that later rows only update the schema and the count.
    mutating func releaseRows() {
        let rows = steps.count
        if handsOverRows {
            released.append(table())
            handedOverRows += rows
        }
        let room = handsOverRows ? rows + rows / 8 : 0
        for index in columns.indices {
            var empty = MetricColumnBuffer(name: columns[index].name, type: types[index])
            empty.lastRow = columns[index].lastRow
            empty.reserveCapacity(room)
            columns[index] = empty
        }
        steps = []
        times = []
        steps.reserveCapacity(room)
        times.reserveCapacity(room)
        timeValidity = nil
        retainedValues = 0
        if !handsOverRows { isSpilled = true }
    }

    /// From now on, rows past ``retainLimit`` are handed over (``released``).
    mutating func startHandingOver() {
        if !isSpilled { handsOverRows = true }
    }

    /// Stops handing rows over (their part file was given up): the batches not taken and the
    /// rows in memory are let go too — the journal holds every row — and the buffers are
    /// ``isSpilled``.
    mutating func stopHandingOver() {
        handsOverRows = false
        released = []
        releaseRows()
    }

    /// The batches handed over since the last call, oldest first.
    mutating func takeReleased() -> [Table] {
        defer { released = [] }
        return released
    }

    /// Buffers that start with `schema`'s columns, in order, already of their types (nil: not
    /// typed yet), for rows read back from a journal whose columns are known in advance. An
    /// int value then goes into a column typed double as it would have after promotion.
    init(schema: [(name: String, type: MetricType?)]) {
        for (name, type) in schema {
            index[name] = columns.count
            columns.append(MetricColumnBuffer(name: name, type: type))
            types.append(type)
        }
    }

    /// Empty buffers.
    init() {}

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
        MetricBuffers.mismatch(columns[index].name, types[index], incoming)
    }

    /// The error for a value of type `incoming` refused by column `name` of type `held`.
    private static func mismatch(_ name: String, _ held: MetricType?, _ incoming: MetricType) -> SpecimenError {
        SpecimenError(.typeMismatch, "column '\(name)' holds \(held.map { "\($0)" } ?? "no") values and cannot take a \(incoming) value",
                      recovery: "Log one type per metric (an int64 column accepts doubles and becomes double), or use another name")
    }

    /// The rows as a table: `step`, `time`, then the metric columns in first-seen order
    /// (none once the rows left memory: see ``isSpilled``).
    func table() -> Table {
        let rows = steps.count
        var table = Table(rowCount: rows)
        try? table.append(Column(name: "step", type: .int64, values: .int64(steps)))
        try? table.append(Column(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true), values: .int64(times), validity: timeValidity))
        for column in columns { try? table.append(column.column(rows: rows)) }
        return table
    }

    /// The metric columns and their types (nil type: only nulls so far).
    var schema: [(name: String, type: MetricType?)] { zip(columns, types).map { ($0.name, $1) } }
}

/// Microseconds since 1970, from the real-time clock.
@inline(__always) func currentMicroseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) &* 1_000_000 &+ Int64(spec.tv_nsec) / 1000
}
