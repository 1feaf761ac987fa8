#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The statistics of a column chunk as the writer records them: null count, and the minimum
/// and maximum in the column type's sort order encoded as PLAIN bytes.
///
/// NaN never becomes a minimum or maximum (the specification leaves its order undefined), and
/// a zero minimum is written as -0.0 and a zero maximum as +0.0, as parquet.thrift asks.
package struct ChunkStatistics {
    /// The number of nulls.
    package var nullCount = 0
    /// PLAIN bytes of the smallest non-null value, when there is one.
    package var min: [UInt8]?
    /// PLAIN bytes of the largest non-null value, when there is one.
    package var max: [UInt8]?

    /// Computes the statistics of the rows `segments` select (one chunk may gather rows from
    /// several tables written in turn). `distinctBytes`, when given, holds every distinct
    /// non-null value of a byte-array chunk and nothing else (its dictionary, when every page
    /// used it): the minimum and maximum are taken from those few entries, not from every row.
    package init(_ segments: [ColumnSegment], distinctBytes: ByteArrays? = nil) {
        guard let type = segments.first?.column.type else { return }
        for segment in segments {
            nullCount += segment.column.validity?.nullCount(in: segment.rows) ?? 0
        }
        switch type {
        case .decimal, .float16, .uuid: return  // min/max are optional; these types record none
        default: break
        }
        switch type.storage {
        case .bool:
            var sawFalse = false, sawTrue = false
            for segment in segments {
                guard case .bool(let values) = segment.column.values else { continue }
                for row in segment.rows where !segment.column.isNull(row) {
                    if values[row] { sawTrue = true } else { sawFalse = true }
                }
            }
            if sawFalse || sawTrue {
                min = [sawFalse ? 0 : 1]
                max = [sawTrue ? 1 : 0]
            }
        case .int32:
            if type == .uint8 || type == .uint16 || type == .uint32 {
                set(Self.extremes(segments, { (v: Int32) in UInt32(bitPattern: v) }, \.int32Storage))
            } else {
                set(Self.extremes(segments, { (v: Int32) in v }, \.int32Storage))
            }
        case .int64:
            if type == .uint64 {
                set(Self.extremes(segments, { (v: Int64) in UInt64(bitPattern: v) }, \.int64Storage))
            } else {
                set(Self.extremes(segments, { (v: Int64) in v }, \.int64Storage))
            }
        case .float:
            if let (lo, hi) = Self.floatingExtremes(segments, \.floatStorage) {
                set((lo.bitPattern, hi.bitPattern))
            }
        case .double:
            if let (lo, hi) = Self.floatingExtremes(segments, \.doubleStorage) {
                set((lo.bitPattern, hi.bitPattern))
            }
        case .bytes:
            if let distinctBytes {
                if let (lo, hi) = Self.byteExtremes(distinctBytes, 0 ..< distinctBytes.count, nil) {
                    min = lo
                    max = hi
                }
                return
            }
            var lowest: [UInt8]?, highest: [UInt8]?
            for segment in segments {
                guard case .bytes(let values) = segment.column.values else { continue }
                if let (lo, hi) = Self.byteExtremes(values, segment.rows, segment.column.validity) {
                    if lowest.map({ Self.compare(lo, $0) < 0 }) ?? true { lowest = lo }
                    if highest.map({ Self.compare(hi, $0) > 0 }) ?? true { highest = hi }
                }
            }
            min = lowest
            max = highest
        }
    }

    private mutating func set<T: FixedWidthInteger>(_ extremes: (T, T)?) {
        guard let (lo, hi) = extremes else { return }
        min = withUnsafeBytes(of: lo.littleEndian) { Array($0) }
        max = withUnsafeBytes(of: hi.littleEndian) { Array($0) }
    }

    /// Whether the column's order is signed, so the deprecated `min`/`max` fields may be set.
    package static func hasSignedOrder(_ type: ColumnType) -> Bool {
        switch type {
        case .bool, .int8, .int16, .int32, .int64, .float, .double, .timestamp, .date, .time: true
        default: false
        }
    }

    private static func extremes<T, K: Comparable>(_ segments: [ColumnSegment], _ key: (T) -> K, _ storage: KeyPath<Column, [T]?>) -> (K, K)? {
        var lo: K?, hi: K?
        for segment in segments {
            guard let values = segment.column[keyPath: storage] else { continue }
            let validity = segment.column.validity
            values.withUnsafeBufferPointer { buffer in
                if validity == nil, !segment.rows.isEmpty {
                    // Four minimums and maximums side by side, as for floating values.
                    let first = key(buffer[segment.rows.lowerBound])
                    var l0 = lo ?? first, h0 = hi ?? first
                    var l1 = l0, l2 = l0, l3 = l0, h1 = h0, h2 = h0, h3 = h0
                    var row = segment.rows.lowerBound
                    let end = segment.rows.upperBound
                    while row + 4 <= end {
                        let a = key(buffer[row]), b = key(buffer[row + 1]), c = key(buffer[row + 2]), d = key(buffer[row + 3])
                        l0 = Swift.min(l0, a)
                        l1 = Swift.min(l1, b)
                        l2 = Swift.min(l2, c)
                        l3 = Swift.min(l3, d)
                        h0 = Swift.max(h0, a)
                        h1 = Swift.max(h1, b)
                        h2 = Swift.max(h2, c)
                        h3 = Swift.max(h3, d)
                        row += 4
                    }
                    while row < end {
                        let v = key(buffer[row])
                        l0 = Swift.min(l0, v)
                        h0 = Swift.max(h0, v)
                        row += 1
                    }
                    lo = Swift.min(Swift.min(l0, l1), Swift.min(l2, l3))
                    hi = Swift.max(Swift.max(h0, h1), Swift.max(h2, h3))
                    return
                }
                for row in segment.rows where validity?.isValid(row) ?? true {
                    let v = key(buffer[row])
                    if let l = lo, let h = hi {
                        if v < l { lo = v }
                        if v > h { hi = v }
                    } else {
                        lo = v
                        hi = v
                    }
                }
            }
        }
        guard let lo, let hi else { return nil }
        return (lo, hi)
    }

    private static func floatingExtremes<F: BinaryFloatingPoint>(_ segments: [ColumnSegment], _ storage: KeyPath<Column, [F]?>) -> (F, F)? {
        var lo = F.infinity, hi = -F.infinity, any = false
        for segment in segments {
            guard let values = segment.column[keyPath: storage] else { continue }
            let validity = segment.column.validity
            values.withUnsafeBufferPointer { buffer in
                if validity == nil {
                    // NaN compares false both ways, so it never replaces lo or hi. Four
                    // minimums and maximums side by side: no chain of dependent compares,
                    // and the compiler makes vector min/max of them.
                    var l0 = lo, l1 = lo, l2 = lo, l3 = lo, h0 = hi, h1 = hi, h2 = hi, h3 = hi
                    var row = segment.rows.lowerBound
                    let end = segment.rows.upperBound
                    while row + 4 <= end {
                        let a = buffer[row], b = buffer[row + 1], c = buffer[row + 2], d = buffer[row + 3]
                        l0 = a < l0 ? a : l0
                        l1 = b < l1 ? b : l1
                        l2 = c < l2 ? c : l2
                        l3 = d < l3 ? d : l3
                        h0 = a > h0 ? a : h0
                        h1 = b > h1 ? b : h1
                        h2 = c > h2 ? c : h2
                        h3 = d > h3 ? d : h3
                        row += 4
                    }
                    while row < end {
                        let v = buffer[row]
                        l0 = v < l0 ? v : l0
                        h0 = v > h0 ? v : h0
                        row += 1
                    }
                    l0 = l1 < l0 ? l1 : l0
                    l0 = l2 < l0 ? l2 : l0
                    l0 = l3 < l0 ? l3 : l0
                    h0 = h1 > h0 ? h1 : h0
                    h0 = h2 > h0 ? h2 : h0
                    h0 = h3 > h0 ? h3 : h0
                    lo = l0
                    hi = h0
                    any = any || lo <= hi
                    return
                }
                for row in segment.rows where validity!.isValid(row) {
                    let v = buffer[row]
                    if v.isNaN { continue }
                    any = true
                    if v < lo { lo = v }
                    if v > hi { hi = v }
                }
            }
        }
        guard any else { return nil }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return (lo, hi)
    }

    /// The smallest and largest of rows `range`, compared bytewise as unsigned (memcmp order).
    private static func byteExtremes(_ values: ByteArrays, _ range: Range<Int>, _ validity: Validity?) -> ([UInt8], [UInt8])? {
        values.bytes.withUnsafeBytes { data in
            values.offsets.withUnsafeBufferPointer { offsets -> ([UInt8], [UInt8])? in
                var lo = -1, hi = -1
                func less(_ a: Int, _ b: Int) -> Bool {
                    let aLength = offsets[a + 1] - offsets[a], bLength = offsets[b + 1] - offsets[b]
                    let common = Swift.min(aLength, bLength)
                    let order = common == 0 ? 0 : memcmp(data.baseAddress! + offsets[a], data.baseAddress! + offsets[b], common)
                    return order < 0 || (order == 0 && aLength < bLength)
                }
                // A value equal to the previous one (a constant run_id, a repeated tag) cannot
                // move either bound: one short comparison skips it.
                var previous = -1
                for row in range where validity?.isValid(row) ?? true {
                    if previous >= 0, ByteComparison.equal(data, offsets[row], offsets[row + 1], offsets[previous], offsets[previous + 1]) {
                        continue
                    }
                    previous = row
                    if lo < 0 {
                        lo = row
                        hi = row
                    } else {
                        if less(row, lo) { lo = row } else if less(hi, row) { hi = row }
                    }
                }
                guard lo >= 0 else { return nil }
                return (Array(values[lo]), Array(values[hi]))
            }
        }
    }

    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }
}

/// Rows `rows` of `column`: a piece of a column chunk being written.
package struct ColumnSegment {
    /// The column holding the rows.
    package var column: Column
    /// The rows of `column` that belong to the chunk.
    package var rows: Range<Int>
}

extension Column {
    var int32Storage: [Int32]? { if case .int32(let v) = values { v } else { nil } }
    var int64Storage: [Int64]? { if case .int64(let v) = values { v } else { nil } }
    var floatStorage: [Float]? { if case .float(let v) = values { v } else { nil } }
    var doubleStorage: [Double]? { if case .double(let v) = values { v } else { nil } }
}
