/// Orders runs by sort keys: values of one kind by `RunValue.order`, kinds in the order numbers,
/// dates, strings, bools; runs without the key (or with null, NaN, a list or a map there) last
/// in either direction; ties broken by the next key, then by run order.
enum RunSorter {
    static func sort(_ records: [RunRecord], by keys: [RunSortKey]) -> [RunRecord] {
        guard !keys.isEmpty else { return records }
        let values: [[RunValue?]] = records.map { record in keys.map { key in
            let value = record.value(key.field)
            return value?.sortRank == nil ? nil : value
        } }
        let indices = records.indices.sorted { i, j in
            for (k, key) in keys.enumerated() {
                let c = compare(values[i][k], values[j][k], descending: key.descending)
                if c != 0 { return c < 0 }
            }
            return records[i].order < records[j].order
        }
        return indices.map { records[$0] }
    }

    /// -1 when `a` goes first, 1 when `b` does, 0 for a tie.
    static func compare(_ a: RunValue?, _ b: RunValue?, descending: Bool) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case let (a?, b?):
            let (ra, rb) = (a.sortRank ?? 9, b.sortRank ?? 9)
            let c = ra != rb ? (ra < rb ? -1 : 1) : (RunValue.order(a, b) ?? 0)
            return descending ? -c : c
        }
    }
}
