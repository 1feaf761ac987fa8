import Parquet

/// The double columns of a batch of rows being decoded from a journal (``JournalBatches``), in
/// storage of their own that is allocated once and reused batch after batch: a value is one
/// store, with no array bookkeeping, and a batch's column is one copy of its rows.
///
/// Every column index of the batch has a slot; only double columns have storage. A column may
/// lag behind the batch's row count (rows that did not name it); ``pad(_:to:)`` fills the gap
/// with nulls (a validity bitmap created at the first null), as ``MetricColumnBuffer`` does.
final class DoubleColumns {
    /// Rows each column holds at most.
    let capacity: Int
    /// Per column index: its values (nil for a column that is not double).
    let storage: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Per column index: the rows it covers (values and nulls).
    let counts: UnsafeMutablePointer<Int>
    /// Per column index: whether it holds a null in this batch (its bitmap is in `validity`).
    let hasNulls: UnsafeMutablePointer<Bool>
    private let width: Int
    private var validity: [Validity?]

    /// Slots for `isDouble.count` columns; storage of `capacity` rows for those that are double.
    init(isDouble: [Bool], capacity: Int) {
        self.capacity = capacity
        width = isDouble.count
        storage = .allocate(capacity: Swift.max(1, width))
        counts = .allocate(capacity: Swift.max(1, width))
        hasNulls = .allocate(capacity: Swift.max(1, width))
        validity = Array(repeating: nil, count: width)
        for index in 0 ..< width {
            storage[index] = isDouble[index] ? .allocate(capacity: capacity) : nil
            counts[index] = 0
            hasNulls[index] = false
        }
    }

    deinit {
        for index in 0 ..< width { storage[index]?.deallocate() }
        storage.deallocate()
        counts.deallocate()
        hasNulls.deallocate()
    }

    /// Stores `value` at `row` of double column `index` (after nulls up to it).
    @inline(__always) func append(_ index: Int, _ value: Double, row: Int) {
        if counts[index] != row || hasNulls[index] {
            pad(index, to: row)
            if hasNulls[index] { validity[index]!.append(true) }
        }
        storage[index]![row] = value
        counts[index] = row + 1
    }

    /// Fills rows of column `index` up to `row` (exclusive) with nulls.
    func pad(_ index: Int, to row: Int) {
        let count = counts[index]
        guard count < row else { return }
        if validity[index] == nil {
            var all = Validity(count: 0)
            all.append(repeating: true, count: count)
            validity[index] = all
            hasNulls[index] = true
        }
        validity[index]!.append(repeating: false, count: row - count)
        (storage[index]! + count).initialize(repeating: 0, count: row - count)
        counts[index] = row
    }

    /// Column `index` named `name` for a batch of `rows` rows (padded with nulls); the slot
    /// starts empty for the next batch.
    func column(_ index: Int, name: String, rows: Int) -> Column {
        pad(index, to: rows)
        let values = Array(UnsafeBufferPointer(start: storage[index]!, count: rows))
        let column = (try? Column(name: name, type: .double, values: .double(values), validity: validity[index]))
            ?? Column(name: name, doubles: Array(repeating: nil, count: rows))
        counts[index] = 0
        hasNulls[index] = false
        validity[index] = nil
        return column
    }
}
