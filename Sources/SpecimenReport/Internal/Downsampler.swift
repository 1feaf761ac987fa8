/// Picks the points of a series that are drawn, keeping its shape: the first and last point,
/// and in each of `budget / 2` equal buckets of the points between them, the bucket's minimum
/// and maximum (min/max decimation). The series' overall minimum and maximum are therefore
/// always kept, as are its endpoints.
///
/// ```
/// points   0 1 2 3 4 5 6 7 8 9 10 11 12 13
/// buckets   [  b0   ][  b1   ][   b2    ]
/// kept     0 ·min·max·min·max··min··max· 13      (sorted by index)
/// ```
enum Downsampler {
    /// The indices (ascending, distinct) of the points of `values` to draw, at most about
    /// `budget` of them; every index when there are no more than `budget` points.
    static func select(_ values: [Double], budget: Int) -> [Int] {
        let count = values.count
        let budget = max(budget, 4)
        guard count > budget else { return Array(0 ..< count) }
        let interior = count - 2
        let buckets = max(1, (budget - 2) / 2)
        var kept: [Int] = [0]
        kept.reserveCapacity(buckets * 2 + 2)
        for bucket in 0 ..< buckets {
            let start = 1 + bucket * interior / buckets
            let end = 1 + (bucket + 1) * interior / buckets
            guard start < end else { continue }
            var low = start, high = start
            values.withUnsafeBufferPointer { values in
                var lowValue = values[start], highValue = values[start]
                for index in start ..< end {
                    let value = values[index]
                    if value < lowValue { low = index; lowValue = value }
                    if value > highValue { high = index; highValue = value }
                }
            }
            if low == high {
                kept.append(low)
            } else {
                kept.append(min(low, high))
                kept.append(max(low, high))
            }
        }
        kept.append(count - 1)
        return kept
    }
}
