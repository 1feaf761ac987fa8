import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// `ParsedLines`: the follower's two-thread path (a batch split at a newline, both parts parsed
/// apart, their rows appended in order, rows of one key layout through
/// `MetricBuffers.appendCached`) gives exactly what the line-by-line path gives — the same
/// journal bytes, the same table (types, nulls, promotions) and the same warnings with the
/// file's line numbers — wherever the batch is split and whether or not the rows left memory.
@Suite("parsed metrics.jsonl lines")
struct ParsedLinesTests {
    /// Lines of every kind: one layout for long stretches, int → double promotion, a type
    /// clash, new keys, other orders, blank and malformed lines, duplicates, `step`, `time`
    /// and `run_id`, nulls, booleans, strings, an escaped key, `\r\n`, and no last newline.
    static let text: String = {
        var lines: [String] = []
        for i in 0 ..< 40 {
            lines.append(#"{"step": \#(i), "loss": \#(1.0 / Double(i + 1)), "n": \#(i)}"#)
        }
        lines.append(#"{"step": 40, "loss": 0.5, "n": 2.5}"#)             // n: int → double
        lines.append(#"{"step": 41, "loss": "high", "n": 3}"#)            // clash: skipped
        lines.append(#"{"loss": NaN, "n": 1}"#)                           // malformed
        lines.append("")
        lines.append("   \r")
        for i in 0 ..< 20 { lines.append(#"{"loss": \#(Double(i) / 7), "n": \#(i), "ok": true}"#) }
        lines.append(#"{"n": 1, "loss": 0.25, "ok": false}"#)             // another order
        lines.append(#"{"n": 1, "loss": 0.25, "n": 2}"#)                  // duplicate
        lines.append(#"{"step": 7, "time": 1700000000.5, "loss": null, "n": 4}"#)
        lines.append(#"{"time": "2024-01-02T03:04:05Z", "run_id": "x", "tag": "a", "n": 5}"#)
        lines.append(#"{"l\u006fss": 0.125, "n": 6}"#)                    // an escaped key
        lines.append(#"{"loss": 0.125, "n": 6}"#)
        lines.append(#"{"loss": 0.5, "n\u0032": 2}"#)                    // an escaped key after a reusable one
        lines.append(#"{"loss": 0.25}"#)                                   // only the reusable one
        lines.append(#"{"loss": 0.125, "n": 6}"#)
        lines.append(#"{"loss": 1, "n": 6, "step": "s"}"#)                // malformed step
        lines.append(#"{"": 1}"#)                                         // an empty name: refused
        lines.append(#"{"loss": 0.75, "n": 8}"#)
        for i in 0 ..< 30 { lines.append(#"{"loss": \#(Double(i) * 1e-3), "n": \#(i), "tag": "t\#(i)"}"#) }
        lines.append(#"{"loss": 0.875, "n": 9}"#)                         // no newline after it
        return lines.joined(separator: "\n")
    }()

    static let arrival: Int64 = 1_800_000_000_000_000

    /// What the line-by-line path gives: each line parsed and appended on its own, as the
    /// follower did before it parsed batches on two threads.
    static func lineByLine(_ bytes: [UInt8], retainLimit: Int?) -> (rows: MetricBuffers, journal: [UInt8], warnings: [String]) {
        var rows = MetricBuffers()
        rows.retainLimit = retainLimit
        var journal = MessagePackBuffer(capacity: 1 << 12)
        var warnings: [String] = []
        var line = MetricLines.Line()
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var start = 0
            var number = 0
            while start < buffer.count {
                number += 1
                let end = MetricLines.lineEnd(base, start, buffer.count)
                do {
                    if try line.parse(base, start, end) {
                        let pairs = zip(line.names, line.values).map { (key: $0, value: $1) }
                        try rows.append(step: line.step, time: line.time ?? arrival, values: pairs, journal: &journal, encode: true)
                    }
                } catch let failure as MetricLines.Parser.Failure {
                    warnings.append(MetricLines.warning("metrics.jsonl", number, failure.message))
                } catch {
                    warnings.append(MetricLines.warning("metrics.jsonl", number, "\(error)"))
                }
                start = end + 1
            }
        }
        return (rows, Array(journal.bytes), warnings)
    }

    /// The two-part path: `bytes` split at `split` (just after a newline), each part parsed by
    /// a `ParsedLines` of its own, the parts appended in order.
    static func inTwoParts(_ bytes: [UInt8], split: Int, retainLimit: Int?) -> (rows: MetricBuffers, journal: [UInt8], warnings: [String]) {
        var rows = MetricBuffers()
        rows.retainLimit = retainLimit
        var journal = MessagePackBuffer(capacity: 1 << 12)
        var problems: [(line: Int64, message: String)] = []
        var first = ParsedLines(), second = ParsedLines()
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            first.reset()
            first.parse(base, 0, split, final: split == buffer.count)
            second.reset()
            second.parse(base, split, buffer.count, final: true)
        }
        #expect(first.consumed == split)
        #expect(second.consumed == bytes.count - split)
        first.append(to: &rows, journal: &journal, arrival: arrival, firstLine: 1, problems: &problems)
        second.append(to: &rows, journal: &journal, arrival: arrival, firstLine: 1 + Int64(first.lineCount), problems: &problems)
        let warnings = problems.map { MetricLines.warning("metrics.jsonl", Int($0.line), $0.message) }
        return (rows, Array(journal.bytes), warnings)
    }

    @Test("split anywhere, retained or spilled: the same journal, table and warnings as line by line")
    func sameAsLineByLine() {
        let bytes = Array(Self.text.utf8)
        var splits = [0, bytes.count]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { splits.append(offset + 1) }
        for retainLimit in [nil, 50] as [Int?] {
            let expected = Self.lineByLine(bytes, retainLimit: retainLimit)
            #expect(expected.warnings.count == 5, "\(expected.warnings)")
            #expect(expected.rows.isSpilled == (retainLimit != nil))
            for split in splits {
                let got = Self.inTwoParts(bytes, split: split, retainLimit: retainLimit)
                #expect(got.journal == expected.journal, "split at \(split), retain \(String(describing: retainLimit))")
                #expect(got.warnings == expected.warnings, "split at \(split)")
                #expect(got.rows.rowCount == expected.rows.rowCount)
                #expect(got.rows.nextStep == expected.rows.nextStep)
                #expect(got.rows.schema.map(\.name) == expected.rows.schema.map(\.name))
                #expect(got.rows.schema.map(\.type) == expected.rows.schema.map(\.type))
                #expect(got.rows.table() == expected.rows.table(), "split at \(split)")
            }
        }
    }

    @Test("a partial last line waits for its newline; blank and malformed lines are counted")
    func partialLine() {
        let bytes = Array("{\"a\": 1}\n\n{\"a\": oops}\n{\"a\": 2}\n{\"a\": 3}".utf8)
        var parsed = ParsedLines()
        bytes.withUnsafeBufferPointer { parsed.parse($0.baseAddress!, 0, $0.count, final: false) }
        #expect(parsed.lineCount == 4)
        #expect(parsed.rows.count == 2)
        #expect(parsed.problems.map(\.line) == [2])
        #expect(parsed.consumed == bytes.count - "{\"a\": 3}".utf8.count)
        parsed.reset()
        bytes.withUnsafeBufferPointer { parsed.parse($0.baseAddress!, 0, $0.count, final: true) }
        #expect(parsed.lineCount == 5)
        #expect(parsed.rows.count == 3)
        #expect(parsed.consumed == bytes.count)
        #expect(parsed.layouts == [["a"]])
    }

    @Test("appendCached refuses a clash without changing anything, then takes the next rows")
    func cachedClash() throws {
        var rows = MetricBuffers()
        var journal = MessagePackBuffer(capacity: 256)
        try rows.append(step: nil, time: 1, values: [(key: "x", value: MetricValue.int(1))], journal: &journal, encode: true)
        let before = Array(journal.bytes)
        let values: [MetricValue] = [.string("s"), .double(2.5), .int(3)]
        var refused: [(Int, SpecimenError)] = []
        values.withUnsafeBufferPointer { values in
            rows.appendCached(rows: 1, journal: &journal, row: { _ in (nil, 2, UnsafeBufferPointer(rebasing: values[0 ..< 1])) },
                              refused: { refused.append(($0, $1)) })
        }
        #expect(refused.map(\.0) == [0])
        #expect(refused.first?.1.code == .typeMismatch)
        #expect(Array(journal.bytes) == before)
        #expect(rows.rowCount == 1)
        values.withUnsafeBufferPointer { values in
            rows.appendCached(rows: 3, journal: &journal, row: { k in (k == 2 ? 10 : nil, 3, UnsafeBufferPointer(rebasing: values[k ..< k + 1])) },
                              refused: { refused.append(($0, $1)) })
        }
        #expect(refused.map(\.0) == [0, 0])
        let table = rows.table()
        #expect(table.rowCount == 3)
        #expect(table["x"]?.type == .double)
        #expect((0 ..< 3).map { table["x"]?[$0] } == [.double(1), .double(2.5), .double(3)])
        #expect((0 ..< 3).map { table["step"]?[$0] } == [.int(0), .int(1), .int(10)])
    }
}
