import MessagePack
import Parquet
import Testing
@testable import Specimens

/// ``MetricsSummary``: the one-pass path for double columns without nulls gives what the
/// per-row path gives, bit for bit (NaN, infinities, and the first of equal values 0 and -0).
@Suite("Metrics summary")
struct MetricsSummaryTests {
    /// The summary's `last`, `min`, `max` of column `m` as bit patterns (nil: absent), and its count.
    func entry(_ batches: [[Double?]]) -> (last: UInt64?, min: UInt64?, max: UInt64?, count: Int64?) {
        var summary = MetricsSummary()
        for values in batches {
            var table = Table(rowCount: values.count)
            try? table.append(Column(name: "m", doubles: values))
            summary.add(table)
        }
        let m = summary.value["summary"]?["m"]
        func bits(_ key: String) -> UInt64? {
            if case .float64(let v)? = m?[key] { return v.bitPattern }
            return nil
        }
        return (bits("last"), bits("min"), bits("max"), m?["count"]?.intValue)
    }

    @Test("columns without nulls (one pass) and with a null (per row) summarize alike", arguments: [
        [3, -0.0, 0.0, .nan, .infinity, -.infinity, 2, .nan],
        [3, -0.0, 0.0, .nan, 2],
        [0.0, -0.0],
        [-0.0, 0.0, -0.0],
        [.nan, .nan],
        [.infinity],
        [-.infinity, -.infinity],
        [1e300, -1e-300, 5],
    ] as [[Double]])
    func onePassMatchesPerRow(_ values: [Double]) {
        let onePass = entry([values.map { $0 }])
        let perRow = entry([values.map { $0 } + [nil]])
        #expect(onePass.last == perRow.last && onePass.min == perRow.min && onePass.max == perRow.max && onePass.count == perRow.count)
        #expect(onePass.count == Int64(values.count))
        #expect(onePass.last == values.last?.bitPattern)
        let numbers = values.filter { !$0.isNaN }
        #expect(onePass.min == numbers.first.map { first in numbers.reduce(first) { $1 < $0 ? $1 : $0 }.bitPattern })
        #expect(onePass.max == numbers.first.map { first in numbers.reduce(first) { $1 > $0 ? $1 : $0 }.bitPattern })
        // Split in two batches: the same entry.
        let half = values.count / 2
        let split = entry([Array(values[..<half]).map { $0 }, Array(values[half...]).map { $0 }])
        #expect(split.last == onePass.last && split.min == onePass.min && split.max == onePass.max && split.count == onePass.count)
    }
}
