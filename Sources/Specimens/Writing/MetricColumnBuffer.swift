import Parquet

/// One metric column being logged: typed storage that grows by appends, nulls as a validity
/// bitmap created at the first null, and the int64 → double promotion.
///
/// A column may lag behind the table's row count (rows where it was not logged); `pad(to:)`
/// fills the gap with nulls just before its next value, so rows that skip a column cost nothing.
struct MetricColumnBuffer {
    let name: String
    /// nil until the first non-null value.
    private(set) var type: MetricType?
    /// Rows covered (values and nulls).
    private(set) var count = 0
    /// The last `resolve` call that saw this column (duplicate names within one row).
    var lastRow = -1
    private var ints: [Int64] = []
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var strings = ByteArrays()
    private var validity: Validity?

    init(name: String) { self.name = name }

    /// A column already of `type` (nil: untyped), for rows whose final types are known.
    init(name: String, type: MetricType?) {
        self.name = name
        if let type { setType(type) }
    }

    /// Reserves room for `rows` values of the column's type.
    mutating func reserveCapacity(_ rows: Int) {
        switch type {
        case .int64, .timestamp: ints.reserveCapacity(rows)
        case .double: doubles.reserveCapacity(rows)
        case .bool: bools.reserveCapacity(rows)
        case .string, nil: break
        }
    }

    /// Fills rows up to `row` (exclusive) with nulls.
    @inline(__always) mutating func pad(to row: Int) {
        if count < row { appendNulls(row - count) }
    }

    mutating func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        if validity == nil {
            var all = Validity(count: 0)
            all.append(repeating: true, count: count)
            validity = all
        }
        validity!.append(repeating: false, count: n)
        if let type { appendPlaceholders(type, n) }
        count += n
    }

    private mutating func appendPlaceholders(_ type: MetricType, _ n: Int) {
        switch type {
        case .int64, .timestamp: ints.append(contentsOf: repeatElement(0, count: n))
        case .double: doubles.append(contentsOf: repeatElement(0, count: n))
        case .bool: bools.append(contentsOf: repeatElement(false, count: n))
        case .string: for _ in 0 ..< n { strings.appendEmpty() }
        }
    }

    private mutating func setType(_ newType: MetricType) {
        type = newType
        appendPlaceholders(newType, count)   // every row so far is null
    }

    private mutating func promoteToDouble() {
        doubles = ints.map { Double($0) }
        ints = []
        type = .double
    }

    /// Appends a double at `row` (after nulls up to it) to a column already of type double.
    @inline(__always) mutating func appendDouble(_ value: Double, row: Int) {
        if count < row { appendNulls(row - count) }
        doubles.append(value)
        validity?.append(true)
        count &+= 1
    }

    /// Appends an int at `row` (after nulls up to it) to a column already of type int64.
    @inline(__always) mutating func appendInt(_ value: Int64, row: Int) {
        if count < row { appendNulls(row - count) }
        ints.append(value)
        validity?.append(true)
        count &+= 1
    }

    /// Appends a value that `check` accepted.
    @inline(__always) mutating func append(_ value: MetricValue) {
        switch value {
        case .double(let v):
            if type != .double {
                if type == .int64 { promoteToDouble() } else { setType(.double) }
            }
            doubles.append(v)
        case .int(let v):
            if type == .double {
                doubles.append(Double(v))
            } else {
                if type == nil { setType(.int64) }
                ints.append(v)
            }
        case .bool(let v):
            if type == nil { setType(.bool) }
            bools.append(v)
        case .string(let v):
            if type == nil { setType(.string) }
            strings.append(v)
        case .timestamp(let v):
            if type == nil { setType(.timestamp) }
            ints.append(v)
        case .null:
            appendNulls(1)
            return
        }
        validity?.append(true)
        count += 1
    }

    /// The column for a table of `rows` rows (padding with nulls); a column that never held a
    /// value is a double column of nulls.
    func column(rows: Int) -> Column {
        var copy = self
        copy.pad(to: rows)
        if copy.type == nil { copy.type = .double; copy.doubles = Array(repeating: 0, count: copy.count) }
        let values: ColumnValues
        switch copy.type! {
        case .int64, .timestamp: values = .int64(copy.ints)
        case .double: values = .double(copy.doubles)
        case .bool: values = .bool(copy.bools)
        case .string: values = .bytes(copy.strings)
        }
        // Storage and type agree by construction, so this cannot throw.
        return (try? Column(name: name, type: copy.type!.columnType, values: values, validity: copy.validity))
            ?? Column(name: name, doubles: Array(repeating: nil, count: rows))
    }
}
