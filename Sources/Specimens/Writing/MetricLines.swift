#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack

/// Reads `$SPECIMEN_METRICS`: one JSON object per line, each a row of metrics whose values are
/// numbers, strings, booleans or nulls. `step` (an integer) and `time` (seconds since 1970, or
/// ISO 8601 text) are taken as the row's step and time when present.
///
/// A malformed line is skipped with a warning naming its line number; the others are kept.
/// An unterminated last line is read as a line (skipped the same way when the writer was
/// killed mid-line). Bytes are scanned in place (`memchr` for line ends, ``JSONNumber`` for
/// numbers): no Foundation and no allocation per value.
/// `specimen run` ingests the file line by line as it grows (``MetricsFollower``); readers
/// take from the file only what its journal does not hold yet (``LinesProgress``).
enum MetricLines {

    struct Result {
        var rows = MetricBuffers()
        var warnings: [String] = []
    }

    /// Reads the lines of `bytes` (the file `name` after its first `progress.offset` bytes,
    /// which `progress` describes), numbering them from `progress.lines + 1`.
    static func read(_ bytes: [UInt8], name: String, after progress: LinesProgress = LinesProgress()) -> Result {
        var result = Result()
        result.rows.nextStep = progress.nextStep
        var lineNumber = Int(clamping: progress.lines)
        var line = Line()
        var scratch = MessagePackBuffer(capacity: 64)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var start = 0
            while start < count {
                lineNumber += 1
                let end = lineEnd(base, start, count)
                defer { start = end + 1 }
                do {
                    guard try line.parse(base, start, end) else { continue }
                    try line.names.withUnsafeBufferPointer { names in
                        try line.values.withUnsafeBufferPointer { values in
                            try result.rows.append(step: line.step, time: line.time, values: NamedValues(names: names, values: values),
                                                   journal: &scratch, encode: false)
                        }
                    }
                } catch let failure as Parser.Failure {
                    result.warnings.append(warning(name, lineNumber, failure.message))
                } catch {
                    result.warnings.append(warning(name, lineNumber, "\(error)"))
                }
            }
        }
        return result
    }

    /// The offset of the first newline in `base[start ..< count]`, or `count` when there is none.
    @inline(__always)
    static func lineEnd(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        guard let found = memchr(base + start, 0x0A, count - start) else { return count }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// The warning for a skipped line.
    static func warning(_ name: String, _ lineNumber: Int, _ message: String) -> String {
        "\(name) line \(lineNumber): \(message); the line was skipped"
    }

    /// One parsed line, reused from line to line so that parsing allocates nothing per value
    /// (names and strings up to 15 bytes are stored inline by `String`). The keys of the last
    /// good line are kept with their bytes: a line whose keys start the same way (as a
    /// protocol's lines do) reuses their `String`s instead of decoding each one again, and
    /// while it does, no name is stored nor released per line.
    struct Line {
        /// The row's metric names, in order (without `step`, `time` and `run_id`): valid after
        /// a `parse` that returned true.
        private(set) var names: [String] = []
        /// The row's values, in `names`' order, from `parse(_:_:_:)`.
        private(set) var values: [MetricValue] = []
        /// `step`, when the line gives one.
        var step: Int64?
        /// `time` in microseconds since 1970, when the line gives one.
        var time: Int64?
        /// Whether this line's keys are the last good line's, in the same order (so `names`
        /// is the last good line's): set by each `parse` that returns true.
        private(set) var sameKeys = false

        /// What a key means to a row.
        enum Role { case step, time, runID, metric }

        /// The last good line's keys: their raw bytes (between the quotes, one after the other),
        /// where each ends in `knownBytes`, and each key's `String` and role; and its metric names.
        private var knownBytes: [UInt8] = []
        private var knownEnds: [Int] = []
        private var known: [(name: String, role: Role)] = []
        private var knownNames: [String] = []
        /// Whether `known` holds every key of the last good line (none had escapes).
        private var knownComplete = true
        /// Whether `names` holds the last good line's names (`knownNames`).
        private var namesAreKnown = true
        /// This line's keys (in order) once it stopped reusing the known ones, and every key's
        /// raw range, for `known` when the line is good.
        private var keys: [(name: String, role: Role)] = []
        private var ranges: [(start: Int, end: Int)] = []
        /// Where this line's values start and end, for the template.
        private var valueRanges: [(start: Int, end: Int)] = []
        /// The last good line's text around its values, when `known` holds all its keys: the
        /// bytes before each value (from the line's start, or from the end of the value before)
        /// and, last, the bytes after the last value, one after the other, each ending at its
        /// entry of `templateEnds`. A line with exactly these bytes around its values has the
        /// last good line's keys in the same order (``parseTemplated``).
        private var templateBytes: [UInt8] = []
        private var templateEnds: [Int] = []

        /// Parses `base[start ..< end]` (without its newline) into `names` and `values`.
        /// Returns false for a blank line; throws `Parser.Failure` for a malformed one.
        mutating func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws -> Bool {
            var own = values
            values = []
            own.removeAll(keepingCapacity: true)
            defer { values = own }
            return try parse(base, start, end, into: &own)
        }

        /// Parses `base[start ..< end]` (without its newline), appending the row's values to
        /// `values` (nothing when it throws) and setting `names`. Returns false for a blank
        /// line; throws `Parser.Failure` for a malformed one.
        mutating func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into values: inout [MetricValue]) throws -> Bool {
            let first = values.count
            do {
                return try parseLine(base, start, end, &values)
            } catch {
                values.removeSubrange(first...)
                throw error
            }
        }

        private mutating func parseLine(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ values: inout [MetricValue]) throws -> Bool {
            if !templateEnds.isEmpty, parseTemplated(base, start, end, &values) { return true }
            var parser = Parser(base: base, offset: start, end: end)
            parser.skipSpace()
            if parser.offset >= end { return false }
            ranges.removeAll(keepingCapacity: true)
            valueRanges.removeAll(keepingCapacity: true)
            step = nil
            time = nil
            var sawStep = false, sawTime = false, sawRunID = false
            var reusing = true            // every key so far matched the last good line's
            var keyCount = 0
            var metricCount = 0
            try parser.expect(UInt8(ascii: "{"))
            parser.skipSpace()
            if parser.offset < end, base[parser.offset] == UInt8(ascii: "}") {
                parser.offset += 1
            } else {
                while true {
                    parser.skipSpace()
                    let index = keyCount
                    let name: String, role: Role
                    let raw = try parser.rawString()
                    if reusing, let raw, index < known.count, matchesKnown(index, base, raw) {
                        name = known[index].name
                        role = known[index].role
                    } else {
                        if reusing { stopReusing(keyCount: index, metricCount: metricCount); reusing = false }
                        if let raw { name = parser.text(raw) } else { name = try parser.string() }
                        role = switch name {
                        case "step": .step
                        case "time": .time
                        case "run_id": .runID
                        default: .metric
                        }
                        keys.append((name, role))
                    }
                    keyCount += 1
                    ranges.append(raw ?? (0, -1))
                    try parser.expect(UInt8(ascii: ":"))
                    parser.skipSpace()
                    let valueStart = parser.offset
                    let value = try parser.value()
                    valueRanges.append((valueStart, parser.offset))
                    switch role {
                    case .step:
                        guard !sawStep else { throw Parser.Failure(message: "the key 'step' appears twice") }
                        sawStep = true
                        guard case .int(let v) = value else { throw Parser.Failure(message: "'step' must be an integer") }
                        step = v
                    case .time:
                        guard !sawTime else { throw Parser.Failure(message: "the key 'time' appears twice") }
                        sawTime = true
                        time = try Self.microseconds(value)
                    case .runID:
                        guard !sawRunID else { throw Parser.Failure(message: "the key 'run_id' appears twice") }
                        sawRunID = true
                    case .metric:
                        // A key matching the last good line's is not repeated before it.
                        if !reusing {
                            for other in names where other == name { throw Parser.Failure(message: "the key '\(name)' appears twice") }
                            names.append(name)
                        }
                        values.append(value)
                        metricCount += 1
                    }
                    parser.skipSpace()
                    guard parser.offset < end else { throw Parser.Failure(message: "the object is not closed") }
                    let b = base[parser.offset]
                    if b == UInt8(ascii: ",") { parser.offset += 1; continue }
                    if b == UInt8(ascii: "}") { parser.offset += 1; break }
                    throw Parser.Failure(message: "expected ',' or '}' at column \(parser.column)")
                }
            }
            parser.skipSpace()
            guard parser.offset == end else { throw Parser.Failure(message: "unexpected text after the object") }
            sameKeys = reusing && keyCount == known.count && knownComplete
            if sameKeys {
                if !namesAreKnown { names = knownNames; namesAreKnown = true }
            } else {
                if reusing { stopReusing(keyCount: keyCount, metricCount: metricCount) }   // fewer keys than the last good line
                remember(base)
            }
            rememberTemplate(base, start, end)
            return true
        }

        /// Parses a line laid out as the last good one (``templateBytes``: the same bytes
        /// around its values, so the same keys in the same order) by matching those bytes and
        /// parsing only the values; false, with nothing changed, for any other line — the
        /// general parse then reads it (and says what is wrong, if anything is).
        private mutating func parseTemplated(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ values: inout [MetricValue]) -> Bool {
            let first = values.count
            var parser = Parser(base: base, offset: start, end: end)
            var lineStep: Int64?, lineTime: Int64?
            let matched = templateBytes.withUnsafeBufferPointer { template -> Bool in
                let bytes = template.baseAddress!
                var from = 0
                for index in 0 ..< known.count {
                    let to = templateEnds[index]
                    guard Self.matches(base + parser.offset, end - parser.offset, bytes + from, to - from) else { return false }
                    parser.offset += to - from
                    from = to
                    switch known[index].role {
                    case .metric:
                        guard let value = try? parser.value() else { return false }
                        values.append(value)
                    case .step:
                        guard let value = try? parser.value(), case .int(let v) = value else { return false }
                        lineStep = v
                    case .time:
                        guard let value = try? parser.value(), let micros = try? Self.microseconds(value) else { return false }
                        lineTime = micros
                    case .runID:
                        guard (try? parser.value()) != nil else { return false }
                    }
                }
                let to = templateEnds[known.count]
                return to - from == end - parser.offset && Self.matches(base + parser.offset, end - parser.offset, bytes + from, to - from)
            }
            guard matched else {
                values.removeSubrange(first...)
                return false
            }
            step = lineStep
            time = lineTime
            sameKeys = true
            if !namesAreKnown { names = knownNames; namesAreKnown = true }
            return true
        }

        /// Whether the `count` bytes at `expected` start `given` (which has `available` bytes):
        /// eight bytes at a time, then byte by byte (keys and the text around values are short:
        /// this beats a call to memcmp).
        @inline(__always)
        private static func matches(_ given: UnsafePointer<UInt8>, _ available: Int, _ expected: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            guard count <= available else { return false }
            var offset = 0
            while count - offset >= 8 {
                let a = UnsafeRawPointer(given + offset).loadUnaligned(as: UInt64.self)
                let b = UnsafeRawPointer(expected + offset).loadUnaligned(as: UInt64.self)
                guard a == b else { return false }
                offset += 8
            }
            while offset < count {
                guard given[offset] == expected[offset] else { return false }
                offset += 1
            }
            return true
        }

        /// Keeps the text around this (good) line's values as the template for the lines after
        /// it, when `known` holds all its keys; else there is none.
        private mutating func rememberTemplate(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
            templateBytes.removeAll(keepingCapacity: true)
            templateEnds.removeAll(keepingCapacity: true)
            guard knownComplete, !known.isEmpty, valueRanges.count == known.count else { return }
            var from = start
            for range in valueRanges {
                templateBytes.append(contentsOf: UnsafeBufferPointer(start: base + from, count: range.start - from))
                templateEnds.append(templateBytes.count)
                from = range.end
            }
            templateBytes.append(contentsOf: UnsafeBufferPointer(start: base + from, count: end - from))
            templateEnds.append(templateBytes.count)
        }

        /// The line stops reusing the last good line's keys after its first `keyCount` keys
        /// (`metricCount` of them metrics): `keys` and `names` start as those.
        private mutating func stopReusing(keyCount: Int, metricCount: Int) {
            keys.removeAll(keepingCapacity: true)
            keys.append(contentsOf: known[0 ..< keyCount])
            names.removeAll(keepingCapacity: true)
            names.append(contentsOf: knownNames[0 ..< metricCount])
            namesAreKnown = false
        }

        /// Whether key `index` of the last good line has the bytes `base[raw.start ..< raw.end]`.
        @inline(__always)
        private func matchesKnown(_ index: Int, _ base: UnsafePointer<UInt8>, _ raw: (start: Int, end: Int)) -> Bool {
            let from = index == 0 ? 0 : knownEnds[index - 1]
            let length = raw.end - raw.start
            guard knownEnds[index] - from == length else { return false }
            if length == 0 { return true }
            return knownBytes.withUnsafeBufferPointer { known in
                Self.matches(base + raw.start, length, known.baseAddress! + from, length)
            }
        }

        /// Keeps this (good) line's keys for the lines after it (`keys` holds them all); a key
        /// with escapes (no raw range) ends what can be reused.
        private mutating func remember(_ base: UnsafePointer<UInt8>) {
            knownBytes.removeAll(keepingCapacity: true)
            knownEnds.removeAll(keepingCapacity: true)
            known.removeAll(keepingCapacity: true)
            for (key, range) in zip(keys, ranges) {
                guard range.end >= range.start else { break }
                knownBytes.append(contentsOf: UnsafeBufferPointer(start: base + range.start, count: range.end - range.start))
                knownEnds.append(knownBytes.count)
                known.append(key)
            }
            knownComplete = known.count == keys.count
            knownNames = names
            namesAreKnown = true
        }

        /// A `time` value in microseconds since 1970: seconds (integer or decimal) or ISO 8601 text.
        static func microseconds(_ value: MetricValue) throws -> Int64 {
            switch value {
            case .int(let v):
                let (micros, overflow) = v.multipliedReportingOverflow(by: 1_000_000)
                guard !overflow else { throw Parser.Failure(message: "'time' is out of range") }
                return micros
            case .double(let v) where v.isFinite && abs(v) < 9e12: return Int64((v * 1_000_000).rounded())
            case .string(let text):
                guard let stamp = MessagePackTimestamp(iso8601: text) else { throw Parser.Failure(message: "'time' is not ISO 8601 text") }
                return stamp.seconds * 1_000_000 + Int64(stamp.nanoseconds / 1000)
            default: throw Parser.Failure(message: "'time' must be seconds since 1970 or ISO 8601 text")
            }
        }
    }

    /// A small JSON parser for one flat object per line, over bytes that outlive it.
    struct Parser {
        /// Why a line was skipped.
        struct Failure: Error { var message: String }
        let base: UnsafePointer<UInt8>
        var offset: Int
        let end: Int
        /// Where the line starts, for the columns in messages.
        let lineStart: Int

        init(base: UnsafePointer<UInt8>, offset: Int, end: Int) {
            self.base = base
            self.offset = offset
            self.end = end
            lineStart = offset
        }

        /// The 1-based column of `offset` in its line.
        var column: Int { offset + 1 - lineStart }

        @inline(__always)
        mutating func skipSpace() {
            while offset < end {
                let b = base[offset]
                guard b == 0x20 || b == 0x09 || b == 0x0D else { return }
                offset += 1
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard offset < end, base[offset] == byte else {
                throw Failure(message: "expected '\(Character(Unicode.Scalar(byte)))' at column \(column)")
            }
            offset += 1
        }

        mutating func value() throws -> MetricValue {
            skipSpace()
            guard offset < end else { throw Failure(message: "a value is missing") }
            switch base[offset] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                throw Failure(message: "nested objects and arrays are not metrics (numbers, strings, booleans and nulls only)")
            default: return try number()
            }
        }

        mutating func literal(_ text: StaticString) throws {
            let count = text.utf8CodeUnitCount
            guard end - offset >= count, memcmp(base + offset, text.utf8Start, count) == 0 else {
                // The old byte-by-byte message: the column of the first byte that differs.
                var index = 0
                let expected = text.utf8Start
                while offset < end, index < count, base[offset] == expected[index] { offset += 1; index += 1 }
                throw Failure(message: "invalid literal at column \(column)")
            }
            offset += count
        }

        /// Whether `byte` continues a number's text (as the general path scans it).
        @inline(__always)
        static func continuesNumber(_ byte: UInt8) -> Bool {
            byte &- 0x30 < 10 || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }

        mutating func number() throws -> MetricValue {
            switch JSONNumber.parse(base + offset, count: end - offset) {
            case .int(let v, let length) where offset + length == end || !Self.continuesNumber(base[offset + length]):
                offset += length
                return .int(v)
            case .double(let v, let length) where offset + length == end || !Self.continuesNumber(base[offset + length]):
                offset += length
                return .double(v)
            default:
                return try generalNumber()
            }
        }

        /// Every number `JSONNumber` leaves: the text up to the first byte that cannot continue
        /// a number, read by `strtod` (decimals) or `Int64` (long integers), as before.
        mutating func generalNumber() throws -> MetricValue {
            let start = offset
            var isInteger = true
            if offset < end, base[offset] == UInt8(ascii: "-") { offset += 1 }
            let digitsStart = offset
            while offset < end {
                let b = base[offset]
                if b >= 0x30 && b <= 0x39 { offset += 1; continue }
                if Self.continuesNumber(b) { isInteger = false; offset += 1; continue }
                break
            }
            if isInteger, offset > digitsStart, offset - digitsStart <= 18 {
                var v: Int64 = 0
                for index in digitsStart ..< offset { v = v &* 10 &+ Int64(base[index] &- 0x30) }
                return .int(digitsStart > start ? -v : v)
            }
            if !isInteger, offset > digitsStart {
                let length = offset - start
                let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base + start, byteCount: length)
                    buffer[length] = 0
                    var stop: UnsafeMutablePointer<CChar>?
                    let value = strtod(buffer.baseAddress!, &stop)
                    guard let stop, stop - buffer.baseAddress! == length else { return nil }
                    return value
                }
                if let parsed { return .double(parsed) }
            }
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: offset - start), as: UTF8.self)
            guard offset > digitsStart else {
                if text == "-" || text.isEmpty { throw Failure(message: "invalid value at column \(start + 1 - lineStart)") }
                throw Failure(message: "invalid number '\(text)'")
            }
            if isInteger, let v = Int64(text) { return .int(v) }
            guard let v = Double(text), v.isFinite || !isInteger else { throw Failure(message: "invalid number '\(text)'") }
            return .double(v)
        }

        /// The range between the quotes of the string at `offset` when it has no escapes and no
        /// control characters (moving past its closing quote); nil, without moving, otherwise.
        mutating func rawString() throws -> (start: Int, end: Int)? {
            guard offset < end, base[offset] == UInt8(ascii: "\"") else {
                throw Failure(message: "expected a string at column \(column)")
            }
            var scan = offset + 1
            while scan < end {
                let b = base[scan]
                if b == UInt8(ascii: "\"") {
                    let range = (start: offset + 1, end: scan)
                    offset = scan + 1
                    return range
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                scan += 1
            }
            return nil
        }

        /// The text of a raw range from `rawString()`.
        func text(_ raw: (start: Int, end: Int)) -> String {
            String(decoding: UnsafeBufferPointer(start: base + raw.start, count: raw.end - raw.start), as: UTF8.self)
        }

        mutating func string() throws -> String {
            if let raw = try rawString() { return text(raw) }
            offset += 1
            var out: [UInt8] = []
            while true {
                guard offset < end else { throw Failure(message: "a string is not closed") }
                let b = base[offset]
                offset += 1
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { throw Failure(message: "a control character inside a string") }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard offset < end else { throw Failure(message: "a string is not closed") }
                let e = base[offset]
                offset += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800 ..< 0xDC00).contains(scalar) {
                        guard offset + 1 < end, base[offset] == UInt8(ascii: "\\"), base[offset + 1] == UInt8(ascii: "u") else {
                            throw Failure(message: "an unpaired surrogate in a string")
                        }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00 ..< 0xE000).contains(low) else { throw Failure(message: "an unpaired surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Failure(message: "an invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw Failure(message: "an invalid escape in a string")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard end - offset >= 4 else { throw Failure(message: "a short \\u escape") }
            var value: UInt32 = 0
            for _ in 0 ..< 4 {
                let b = base[offset]
                offset += 1
                let digit: UInt32
                switch b {
                case 0x30 ... 0x39: digit = UInt32(b - 0x30)
                case 0x41 ... 0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61 ... 0x66: digit = UInt32(b - 0x61 + 10)
                default: throw Failure(message: "an invalid \\u escape")
                }
                value = value << 4 | digit
            }
            return value
        }
    }
}
