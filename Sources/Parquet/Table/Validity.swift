/// Which values of a column are present: a bitmap with one bit per row, 1 = valid, 0 = null.
///
/// Bits are packed least-significant first into 64-bit words, as in Apache Arrow.
public struct Validity: Sendable, Hashable {
    /// The packed bits.
    public private(set) var words: [UInt64]
    /// The number of rows covered.
    public private(set) var count: Int
    /// The number of null rows.
    public private(set) var nullCount: Int

    /// A bitmap of `count` rows, all valid (`true`) or all null.
    public init(count: Int, allValid: Bool = true) {
        self.count = count
        let wordCount = (count + 63) / 64
        words = Array(repeating: allValid ? ~0 : 0, count: wordCount)
        nullCount = allValid ? 0 : count
        clearTail()
    }

    /// A bitmap from one flag per row (`true` = valid).
    public init<S: Sequence>(_ flags: S) where S.Element == Bool {
        self.init(count: 0)
        for flag in flags { append(flag) }
    }

    /// Whether row `index` holds a value.
    @inlinable public func isValid(_ index: Int) -> Bool {
        words[index &>> 6] & (1 &<< UInt64(index & 63)) != 0
    }

    /// Appends one row.
    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count &>> 6] |= 1 &<< UInt64(count & 63) } else { nullCount += 1 }
        count += 1
    }

    /// Appends `n` rows, all valid or all null.
    public mutating func append(repeating valid: Bool, count n: Int) {
        guard n > 0 else { return }
        if !valid { nullCount += n }
        var remaining = n
        while remaining > 0 {
            let bit = count & 63
            if bit == 0 { words.append(0) }
            let take = min(64 - bit, remaining)
            if valid {
                let mask: UInt64 = take == 64 ? ~0 : ((1 &<< UInt64(take)) &- 1) &<< UInt64(bit)
                words[count &>> 6] |= mask
            }
            count += take
            remaining -= take
        }
    }

    /// Appends every row of `other`.
    public mutating func append(contentsOf other: Validity) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            nullCount += other.nullCount
            return
        }
        for index in 0 ..< other.count { append(other.isValid(index)) }
    }

    /// Reserves room for `n` more rows.
    public mutating func reserveCapacity(_ n: Int) {
        words.reserveCapacity((count + n + 63) / 64)
    }

    private mutating func clearTail() {
        let tail = count & 63
        if tail != 0, !words.isEmpty { words[words.count - 1] &= (1 &<< UInt64(tail)) &- 1 }
    }

    /// Two bitmaps are equal when they cover the same rows with the same flags.
    public static func == (lhs: Validity, rhs: Validity) -> Bool {
        lhs.count == rhs.count && lhs.nullCount == rhs.nullCount && lhs.words == rhs.words
    }

    /// Hashes the covered rows' flags.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(words)
    }
}

extension Validity {
    /// The number of nulls among rows `range`, counted a word at a time.
    public func nullCount(in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        if range.lowerBound == 0 && range.upperBound == count { return nullCount }
        var valid = 0
        var row = range.lowerBound
        while row < range.upperBound {
            let bit = row & 63
            let take = min(64 - bit, range.upperBound - row)
            var word = words[row &>> 6] &>> UInt64(bit)
            if take < 64 { word &= (1 &<< UInt64(take)) &- 1 }
            valid += word.nonzeroBitCount
            row += take
        }
        return range.count - valid
    }

    /// Calls `body` with each maximal run of rows in `range` that are all valid or all null.
    public func forEachRun(in range: Range<Int>, _ body: (_ valid: Bool, _ length: Int) -> Void) {
        guard !range.isEmpty else { return }
        var current = isValid(range.lowerBound)
        var length = 0
        var row = range.lowerBound
        while row < range.upperBound {
            let bit = row & 63
            let take = min(64 - bit, range.upperBound - row)
            var word = words[row &>> 6] &>> UInt64(bit)
            if take < 64 { word &= (1 &<< UInt64(take)) &- 1 }
            let full: UInt64 = take == 64 ? ~0 : (1 &<< UInt64(take)) &- 1
            if (current && word == full) || (!current && word == 0) {
                length += take
                row += take
                continue
            }
            for offset in 0 ..< take {
                let valid = word & (1 &<< UInt64(offset)) != 0
                if valid != current {
                    body(current, length)
                    current = valid
                    length = 0
                }
                length += 1
            }
            row += take
        }
        body(current, length)
    }
}
