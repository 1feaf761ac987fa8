import MessagePack

/// Complete lines of `metrics.jsonl` parsed ahead of being appended to a run: the parse (the
/// larger part of ingesting a line) needs nothing from the run, so the follower parses a
/// batch's two halves on two threads into two `ParsedLines`, then appends their rows in order.
///
/// Rows are kept flat: one array of every row's metric values, and per row its step, time,
/// where its values end and its key layout — the names of its values, stored once for a run
/// of lines with the same keys in the same order (``MetricLines/Line/sameKeys``), so that
/// appending such a row needs no name at all (``MetricBuffers/appendCached``). Parsing
/// allocates nothing per value, and per line only when the keys change.
///
/// ```swift
/// var parsed = ParsedLines()
/// parsed.parse(base, start, end, final: false)   // complete lines of base[start ..< end]
/// parsed.append(to: &buffers, journal: &journal, arrival: now, firstLine: 1, problems: &problems)
/// ```
struct ParsedLines {
    /// One good line.
    struct Row {
        /// The line's `step`, when `hasStep`.
        var step: Int64
        /// The line's `time` (µs since 1970), when `hasTime`.
        var time: Int64
        /// The end of the row's values in `values` (they start where the previous row's end).
        var valueEnd: Int
        /// The line's index among the parsed lines (0: the first).
        var line: Int
        /// Its key layout: an index into `layouts`.
        var layout: Int32
        /// Whether the line gives `step` (else the row takes the next one).
        var hasStep: Bool
        /// Whether the line gives `time` (else the row takes its arrival time).
        var hasTime: Bool
    }

    /// The good lines, in order.
    private(set) var rows: [Row] = []
    /// Every good line's metric values, one line after the other.
    private(set) var values: [MetricValue] = []
    /// The names of each layout's values, in order.
    private(set) var layouts: [[String]] = []
    /// Malformed lines: their index among the parsed lines, and why.
    private(set) var problems: [(line: Int, message: String)] = []
    /// Lines parsed (blank and malformed ones included).
    private(set) var lineCount = 0
    /// Bytes taken (complete lines, with their newlines).
    private(set) var consumed = 0

    /// The parser, kept from batch to batch: it remembers the last good line's keys.
    private var line = MetricLines.Line()

    /// Forgets the last batch's lines (keeping the storage and the parser's known keys).
    mutating func reset() {
        rows.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        layouts.removeAll(keepingCapacity: true)
        problems.removeAll(keepingCapacity: true)
        lineCount = 0
        consumed = 0
    }

    /// Parses the lines of `base[start ..< end]` after a `reset()`: each one that ends in a
    /// newline, and when `final` also an unterminated last one. `consumed` is then how many
    /// bytes they took (a partial last line is left for the next batch).
    mutating func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, final: Bool) {
        var at = start
        while at < end {
            let lineEnd = MetricLines.lineEnd(base, at, end)
            if lineEnd == end && !final { break }   // a partial line: wait for its newline
            let index = lineCount
            lineCount += 1
            do {
                if try line.parse(base, at, lineEnd, into: &values) { keep(index) }
            } catch let failure as MetricLines.Parser.Failure {
                problems.append((index, failure.message))
            } catch {
                problems.append((index, "\(error)"))
            }
            at = Swift.min(lineEnd + 1, end)
        }
        consumed = at - start
    }

    /// Stores the line just parsed (its values already in `values`) as row `index`.
    @inline(__always)
    private mutating func keep(_ index: Int) {
        if !line.sameKeys || layouts.isEmpty {
            layouts.append(line.names)
        }
        rows.append(Row(step: line.step ?? 0, time: line.time ?? 0, valueEnd: values.count, line: index,
                        layout: Int32(layouts.count - 1), hasStep: line.step != nil, hasTime: line.time != nil))
    }

    /// Appends the rows to `rows`, journaled into `journal` when `encode` is set (a row arrived
    /// at `arrival` unless it gives its `time`); rows of the layout `rows` took last skip every
    /// name (``MetricBuffers/appendCached``). Every line that is not a row — malformed, or
    /// refused by `rows` (a type clash, a reserved name) — goes to `problems`, in line order,
    /// numbered from `firstLine` for the first parsed line.
    func append(to rows: inout MetricBuffers, journal: inout MessagePackBuffer, encode: Bool = true, arrival: Int64, firstLine: Int64,
                problems: inout [(line: Int64, message: String)]) {
        var malformed = self.problems.makeIterator()
        var nextMalformed = malformed.next()
        values.withUnsafeBufferPointer { values in
            var cached: Int32 = -1   // the layout whose names `rows` took last
            var index = 0
            while index < self.rows.count {
                let row = self.rows[index]
                while let problem = nextMalformed, problem.line < row.line {
                    problems.append((firstLine + Int64(problem.line), problem.message))
                    nextMalformed = malformed.next()
                }
                if row.layout == cached {
                    // The rows of this layout up to the next malformed line, at once.
                    var end = index + 1
                    let stop = nextMalformed?.line ?? Int.max
                    while end < self.rows.count, self.rows[end].layout == cached, self.rows[end].line < stop { end += 1 }
                    self.rows.withUnsafeBufferPointer { all in
                        let run = UnsafeBufferPointer(rebasing: all[index ..< end])
                        rows.appendCached(rows: run.count, journal: &journal, encode: encode, row: { k in
                            let row = run[k]
                            let start = index + k == 0 ? 0 : all[index + k - 1].valueEnd
                            return (row.hasStep ? row.step : nil, row.hasTime ? row.time : arrival,
                                    UnsafeBufferPointer(rebasing: values[start ..< row.valueEnd]))
                        }, refused: { k, error in
                            problems.append((firstLine + Int64(run[k].line), "\(error)"))
                        })
                    }
                    index = end
                    continue
                }
                let start = index == 0 ? 0 : self.rows[index - 1].valueEnd
                let rowValues = UnsafeBufferPointer(rebasing: values[start ..< row.valueEnd])
                do {
                    cached = -1
                    try layouts[Int(row.layout)].withUnsafeBufferPointer { names in
                        try rows.append(step: row.hasStep ? row.step : nil, time: row.hasTime ? row.time : arrival,
                                        values: NamedValues(names: names, values: rowValues), journal: &journal, encode: encode)
                    }
                    cached = row.layout
                } catch {
                    problems.append((firstLine + Int64(row.line), "\(error)"))
                }
                index += 1
            }
        }
        while let problem = nextMalformed {
            problems.append((firstLine + Int64(problem.line), problem.message))
            nextMalformed = malformed.next()
        }
    }
}

/// A layout's names and a row's values zipped into the `(key, value)` pairs
/// `MetricBuffers.append` takes, without building an array of pairs.
struct NamedValues: RandomAccessCollection {
    let names: UnsafeBufferPointer<String>
    let values: UnsafeBufferPointer<MetricValue>

    var startIndex: Int { 0 }
    var endIndex: Int { names.count }

    @inline(__always) subscript(position: Int) -> (key: String, value: MetricValue) {
        (names[position], values[position])
    }
}
