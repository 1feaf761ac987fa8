import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// `MetricLines`: the rules for the lines of `metrics.jsonl` (skipped lines, numbers, keys
/// reused from line to line), as `specimen run` and sealing apply them.
@Suite("metrics.jsonl lines")
struct MetricLinesTests {
    static func read(_ text: String) -> MetricLines.Result {
        MetricLines.read(Array(text.utf8), name: "metrics.jsonl")
    }

    @Test("NaN and ±Infinity (as Python's json writes them) skip their line, as before")
    func nanAndInfinity() {
        let result = Self.read("""
            {"loss": 0.5}
            {"loss": NaN}
            {"loss": Infinity}
            {"loss": -Infinity}
            {"loss": 0.25}
            """)
        #expect(result.rows.table().rowCount == 2)
        #expect(result.warnings.count == 3)
        for (warning, line) in zip(result.warnings, [2, 3, 4]) {
            #expect(warning.hasPrefix("metrics.jsonl line \(line): "), "\(warning)")
            #expect(warning.hasSuffix("; the line was skipped"))
        }
        #expect(result.warnings[0].contains("invalid value at column 10"), "\(result.warnings[0])")
        #expect(result.warnings[2].contains("invalid value at column 10"), "\(result.warnings[2])")
    }

    @Test("huge and unusual numbers: overflow to infinity, long digit strings, -0, leading zeros")
    func hugeNumbers() throws {
        let digits = String(repeating: "7", count: 300)   // an integer far beyond Int64: a double
        let result = Self.read("""
            {"a": 1e400, "b": \(digits), "c": -0.0, "d": -0, "e": 0.\(String(repeating: "0", count: 400))1e401, "f": 007}
            {"a": -1e400, "b": 1.0, "c": 2.5e-324, "d": 12345678901234567890, "e": 1.5, "f": 1}
            """)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let table = result.rows.table()
        #expect(table.rowCount == 2)
        #expect(table["a"]?[0] == .double(.infinity))
        #expect(table["a"]?[1] == .double(-.infinity))
        #expect(table["b"]?.type == .double)
        #expect(table["b"]?[0] == .double(Double(digits)!))
        guard case .double(let negativeZero)? = table["c"]?[0] else { Issue.record("c is not a double"); return }
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        #expect(table["c"]?[1] == .double(5e-324))
        #expect(table["d"]?[1] == .double(12345678901234567890))
        #expect(table["e"]?[0] == .double(1))
        #expect(table["f"]?[0] == .int(7))
    }

    @Test("numbers outside JSON's grammar keep the old leniency (strtod's text) or skip the line")
    func lenientNumbers() {
        let result = Self.read("""
            {"a": .5}
            {"a": 1.}
            {"a": +2}
            {"a": 1.5.5}
            {"a": 1e5e}
            {"a": -}
            {"a": 0x10}
            """)
        let table = result.rows.table()
        #expect(table["a"]?[0] == .double(0.5))
        #expect(table["a"]?[1] == .double(1))
        #expect(table["a"]?[2] == .double(2))
        #expect(table.rowCount == 3)
        #expect(result.warnings.map { $0.prefix(20) } == ["metrics.jsonl line 4", "metrics.jsonl line 5", "metrics.jsonl line 6", "metrics.jsonl line 7"])
        #expect(result.warnings[0].contains("invalid number '1.5.5'"))
    }

    @Test("keys reused from the line before: same keys, other orders, duplicates, escapes")
    func reusedKeys() {
        let result = Self.read(#"""
            {"step": 1, "a": 1, "b": 2}
            {"step": 2, "a": 3, "b": 4}
            {"step": 3, "a": 5, "a": 6}
            {"step": 4, "a": 7, "b": 8, "b": 9}
            {"step": 5, "step": 6}
            {"step": 7, "b": 10, "a": 11}
            {"a": 12}
            {"a\u0062": 13, "a": 14}
            {"ab": 15, "a": 16}
            {"ab": 17, "a": 18, "ab": 19}
            {"step": 8, "a": 1, "b": "x"}
            {"step": 9, "a": 20, "b": 21}
            """#)
        let table = result.rows.table()
        #expect(result.warnings.count == 5, "\(result.warnings)")
        #expect(result.warnings[0].contains("line 3") && result.warnings[0].contains("the key 'a' appears twice"))
        #expect(result.warnings[1].contains("line 4") && result.warnings[1].contains("the key 'b' appears twice"))
        #expect(result.warnings[2].contains("line 5") && result.warnings[2].contains("the key 'step' appears twice"))
        #expect(result.warnings[3].contains("line 10") && result.warnings[3].contains("the key 'ab' appears twice"))
        #expect(result.warnings[4].contains("line 11") && result.warnings[4].contains("'b'"))
        #expect(table.rowCount == 7)
        let a = (0 ..< table.rowCount).map { table["a"]?[$0] }
        #expect(a == [.int(1), .int(3), .int(11), .int(12), .int(14), .int(16), .int(20)])
        let ab = (0 ..< table.rowCount).map { table["ab"]?[$0] }
        #expect(ab == [.null, .null, .null, .null, .int(13), .int(15), .null])
        let steps = (0 ..< table.rowCount).map { table["step"]?[$0] }
        #expect(steps == [.int(1), .int(2), .int(7), .int(8), .int(9), .int(10), .int(9)])
    }

    @Test("lines laid out as the line before (read by matching the text around the values) and lines that only look so")
    func templatedLines() {
        let result = Self.read(#"""
            {"step": 1, "loss": 0.5, "tag": "a", "ok": true, "time": 10}
            {"step": 2, "loss": 0.25, "tag": "b\"c", "ok": false, "time": 11}
            {"step": 3, "loss": oops, "tag": "c", "ok": true, "time": 12}
            {"step": 4.5, "loss": 1, "tag": "d", "ok": true, "time": 13}
            {"step": 5, "loss": 1, "tag": "e", "ok": null, "time": "1970-01-01T00:00:14Z"}
            {"step": 6, "loss": 2, "tag": "f", "ok": true, "time": 15}   
            {"step":7,"loss":3,"tag":"g","ok":true,"time":16}
            {"step":8,"loss":4,"tag":"h","ok":true,"time":17,"extra":1}
            {"step":9,"loss":5,"tag":"i","ok":true}
            {"step":10,"loss":6,"tag":"j","ok":true}
            {"step":11,"loss":7,"tag":"k","ok":true} x
            {"step":12,"loss":8,"tag":"l","oks":true}
            {"step":13,"loss":0.000000000123456789012,"tag":"m","oks":false}
            {"step":14,"loss":  9,"tag":"n","oks":true}
            {"step":15,"loss":10,"tag":"o","oks":"yes"}
            """#)
        #expect(result.warnings.count == 4, "\(result.warnings)")
        #expect(result.warnings[0].contains("line 3: invalid value at column 21"), "\(result.warnings)")
        #expect(result.warnings[1].contains("line 4: 'step' must be an integer"), "\(result.warnings)")
        #expect(result.warnings[2].contains("line 11: unexpected text after the object"), "\(result.warnings)")
        #expect(result.warnings[3].contains("line 15") && result.warnings[3].contains("'oks'"), "\(result.warnings)")
        let table = result.rows.table()
        #expect(table.rowCount == 11)
        func column(_ name: String) -> [Value?] { (0 ..< table.rowCount).map { table[name]?[$0] } }
        #expect(column("step") == [1, 2, 5, 6, 7, 8, 9, 10, 12, 13, 14].map { .int($0) })
        #expect(column("loss") == [.double(0.5), .double(0.25), .double(1), .double(2), .double(3), .double(4), .double(5), .double(6),
                                   .double(8), .double(0.000000000123456789012), .double(9)])
        #expect(column("tag") == ["a", "b\"c", "e", "f", "g", "h", "i", "j", "l", "m", "n"].map { .string($0) })
        #expect(column("ok") == [.bool(true), .bool(false), .null, .bool(true), .bool(true), .bool(true), .bool(true), .bool(true),
                                 .null, .null, .null])
        #expect(column("oks") == Array(repeating: .null, count: 8) + [.bool(true), .bool(false), .bool(true)])
        #expect(column("extra") == [.null, .null, .null, .null, .null, .int(1), .null, .null, .null, .null, .null])
        let seconds: [Int64?] = column("time").map { value in
            if case .timestamp(let micros, _, _) = value { micros / 1_000_000 } else { nil }
        }
        #expect(seconds == [10, 11, 14, 15, 16, 17, nil, nil, nil, nil, nil])
    }

    @Test("seeded random lines, repeated layouts among others and damaged ones: read whole (templates at work) as each read alone", arguments: [1, 2, 3] as [UInt64])
    func templatesAgreeWithLoneLines(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        // Key orders and spacings; a file repeats one for a while, as a protocol does.
        let orders: [[String]] = [["step", "loss", "n", "tag", "ok"], ["step", "n", "loss"], ["loss", "step", "ok", "time", "tag"]]
        let styles: [(open: String, colon: String, comma: String, close: String)] = [
            ("{", ": ", ", ", "}"), ("{", ":", ",", "}"), ("{ ", " : ", " , ", " }"), ("{", ": ", ", ", "}  "),
        ]
        var order = orders[0], style = styles[0]
        var lines: [String] = []
        for row in 0 ..< 1_500 {
            if chance(3) { order = orders[Int(random.next() % UInt64(orders.count))] }
            if chance(3) { style = styles[Int(random.next() % UInt64(styles.count))] }
            var fields: [String] = []
            for key in order {
                var value: String
                switch key {
                case "step": value = "\(row)"
                case "loss": value = chance(10) ? "\(Int(random.next() % 1000))" : "\(Double(bitPattern: random.next() >> 2))"
                case "n": value = "\(Int64(bitPattern: random.next()) >> 20)"
                case "tag": value = chance(10) ? #""t\"\u00e9\n""# : "\"t\(random.next() % 7)\""
                case "ok": value = chance(50) ? "true" : "false"
                default: value = "\(1_700_000_000 + row)"   // time, in seconds
                }
                var name = "\"\(key)\""
                if key != "step" {   // every line gives its step: read alone, it could not count on
                    if chance(4) { value = "null" }
                    if chance(2) { value = ["nan", "1.2.3", "tru", "\"open", "-", "[1]", "1e999x"][Int(random.next() % 7)] }
                    if chance(2) { name = key == "loss" ? #""lo\u0073s""# : "\"\(key)x\"" }   // an escaped key; another key
                }
                fields.append(name + style.colon + value)
            }
            var line = style.open + fields.joined(separator: style.comma) + style.close
            if chance(2) { line.removeLast() }
            if chance(1) { line += " x" }
            if chance(1) { line = "" }
            lines.append(line)
        }
        let whole = MetricLines.read(Array(lines.joined(separator: "\n").utf8), name: "metrics.jsonl")
        // Each line alone, numbered as in the file: no line before it to take a layout from.
        var alone = MetricBuffers(), warnings: [String] = []
        var scratch = MessagePackBuffer()
        for (index, line) in lines.enumerated() {
            let result = MetricLines.read(Array(line.utf8), name: "metrics.jsonl", after: LinesProgress(offset: 0, lines: Int64(index), nextStep: 0))
            warnings += result.warnings
            let table = result.rows.table()
            guard table.rowCount == 1 else { continue }
            let values = table.columns.filter { $0.name != "step" && $0.name != "time" }.map { (key: $0.name, value: Self.metric($0[0])) }
            let time: Int64? = if case .timestamp(let micros, _, _) = table["time"]?[0] { micros } else { nil }
            guard case .int(let step)? = table["step"]?[0] else { Issue.record("line \(index + 1) has no step"); continue }
            #expect((try? alone.append(step: step, time: time, values: values, journal: &scratch, encode: false)) != nil, "line \(index + 1)")
        }
        #expect(whole.warnings == warnings)
        #expect(whole.warnings.count > 50, "\(whole.warnings.count) lines skipped")
        #expect(whole.rows.rowCount > 900)
        let a = whole.rows.table(), b = alone.table()
        #expect(a.rowCount == b.rowCount)
        for column in a.columns {
            let other = b[column.name]
            // Numbers compared as doubles: an int loss is an int alone and a double among doubles.
            let left = (0 ..< a.rowCount).map { Self.number(column[$0]) }
            let right = (0 ..< a.rowCount).map { row in other.map { Self.number($0[row]) } ?? .null }
            #expect(left == right, "column \(column.name)")
        }
    }

    /// A table cell as the metric value it was logged as.
    static func metric(_ value: Value) -> MetricValue {
        switch value {
        case .int(let v): .int(v)
        case .double(let v): .double(v)
        case .bool(let v): .bool(v)
        case .string(let v): .string(v)
        default: .null
        }
    }

    /// Ints as doubles, everything else as it is.
    static func number(_ value: Value) -> Value {
        if case .int(let v) = value { return .double(Double(v)) }
        return value
    }

    @Test("a line after a skipped one with the same keys, blank lines, \\r\\n endings, an unterminated last line")
    func skippedAndPartialLines() {
        let result = Self.read("{\"x\": 1}\r\n{\"x\": oops}\n\n   \n{\"x\": 2}\r\n{\"x\": 3}")
        let table = result.rows.table()
        #expect(table.rowCount == 3)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("line 2: invalid") == true, "\(result.warnings)")
        #expect((0 ..< 3).map { table["x"]?[$0] } == [.int(1), .int(2), .int(3)])
    }

    @Test("seeded random doubles and integers read back exactly")
    func randomRows() {
        var generator = SeededGenerator(seed: 16)
        var text = ""
        for row in 0 ..< 2_000 {
            let loss = Double(bitPattern: generator.next() >> 2)   // positive, finite
            text += "{\"step\": \(row), \"loss\": \(loss), \"acc\": \(Double(row % 97) / 97), \"n\": \(Int64(bitPattern: generator.next()) >> 8)}\n"
        }
        let whole = Self.read(text)
        #expect(whole.warnings.isEmpty)
        let table = whole.rows.table()
        #expect(table.rowCount == 2_000)
        var generator2 = SeededGenerator(seed: 16)
        for row in 0 ..< 2_000 {
            let loss = Double(bitPattern: generator2.next() >> 2)
            let n = Int64(bitPattern: generator2.next()) >> 8
            #expect(table["loss"]?[row] == .double(loss))
            #expect(table["n"]?[row] == .int(n))
            if table["loss"]?[row] != .double(loss) { break }
        }
    }
}
