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
/// An unterminated last line (the writer was killed mid-line) is skipped the same way.
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
        var start = 0
        var line = Line()
        var scratch = MessagePackBuffer(capacity: 64)
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            defer { start = end + 1 }
            do {
                guard try line.parse(bytes, start, end) else { continue }
                try result.rows.append(step: line.step, time: line.time, values: line.pairs, journal: &scratch, encode: false)
            } catch let failure as Parser.Failure {
                result.warnings.append(warning(name, lineNumber, failure.message))
            } catch {
                result.warnings.append(warning(name, lineNumber, "\(error)"))
            }
        }
        return result
    }

    /// The warning for a skipped line.
    static func warning(_ name: String, _ lineNumber: Int, _ message: String) -> String {
        "\(name) line \(lineNumber): \(message); the line was skipped"
    }

    /// One parsed line, reused from line to line so that parsing allocates nothing per value
    /// (names and strings up to 15 bytes are stored inline by `String`).
    struct Line {
        /// The row's values, without `step`, `time` and `run_id`.
        var pairs: [(key: String, value: MetricValue)] = []
        /// `step`, when the line gives one.
        var step: Int64?
        /// `time` in microseconds since 1970, when the line gives one.
        var time: Int64?

        /// Parses `bytes[start ..< end]` (without its newline). Returns false for a blank
        /// line; throws `Parser.Failure` for a malformed one.
        mutating func parse(_ bytes: [UInt8], _ start: Int, _ end: Int) throws -> Bool {
            var parser = Parser(bytes: bytes, offset: start, end: end)
            parser.skipSpace()
            if parser.offset >= end { return false }
            pairs.removeAll(keepingCapacity: true)
            step = nil
            time = nil
            var sawStep = false, sawTime = false, sawRunID = false
            try parser.object { key, value in
                switch key {
                case "step":
                    guard !sawStep else { throw Parser.Failure(message: "the key 'step' appears twice") }
                    sawStep = true
                    guard case .int(let v) = value else { throw Parser.Failure(message: "'step' must be an integer") }
                    step = v
                case "time":
                    guard !sawTime else { throw Parser.Failure(message: "the key 'time' appears twice") }
                    sawTime = true
                    switch value {
                    case .int(let v):
                        let (micros, overflow) = v.multipliedReportingOverflow(by: 1_000_000)
                        guard !overflow else { throw Parser.Failure(message: "'time' is out of range") }
                        time = micros
                    case .double(let v) where v.isFinite && abs(v) < 9e12: time = Int64((v * 1_000_000).rounded())
                    case .string(let text):
                        guard let stamp = MessagePackTimestamp(iso8601: text) else { throw Parser.Failure(message: "'time' is not ISO 8601 text") }
                        time = stamp.seconds * 1_000_000 + Int64(stamp.nanoseconds / 1000)
                    default: throw Parser.Failure(message: "'time' must be seconds since 1970 or ISO 8601 text")
                    }
                case "run_id":
                    guard !sawRunID else { throw Parser.Failure(message: "the key 'run_id' appears twice") }
                    sawRunID = true
                default:
                    for pair in pairs where pair.key == key { throw Parser.Failure(message: "the key '\(key)' appears twice") }
                    pairs.append((key, value))
                }
            }
            return true
        }
    }

    /// A small JSON parser for one flat object per line.
    struct Parser {
        struct Failure: Error { var message: String }
        let bytes: [UInt8]
        var offset: Int
        let end: Int

        init(bytes: [UInt8], offset: Int, end: Int) {
            self.bytes = bytes
            self.offset = offset
            self.end = end
        }

        mutating func skipSpace() {
            while offset < end, [0x20, 0x09, 0x0d].contains(bytes[offset]) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard offset < end, bytes[offset] == byte else {
                throw Failure(message: "expected '\(Character(Unicode.Scalar(byte)))' at column \(offset + 1 - lineStart)")
            }
            offset += 1
        }

        var lineStart: Int {
            var index = Swift.min(offset, end)
            while index > 0 && bytes[index - 1] != UInt8(ascii: "\n") { index -= 1 }
            return index
        }

        mutating func object(_ body: (String, MetricValue) throws -> Void) throws {
            try expect(UInt8(ascii: "{"))
            skipSpace()
            if offset < end, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
            } else {
                while true {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    try body(key, try value())
                    skipSpace()
                    guard offset < end else { throw Failure(message: "the object is not closed") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    if bytes[offset] == UInt8(ascii: "}") { offset += 1; break }
                    throw Failure(message: "expected ',' or '}' at column \(offset + 1 - lineStart)")
                }
            }
            skipSpace()
            guard offset == end else { throw Failure(message: "unexpected text after the object") }
        }

        mutating func value() throws -> MetricValue {
            skipSpace()
            guard offset < end else { throw Failure(message: "a value is missing") }
            switch bytes[offset] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                throw Failure(message: "nested objects and arrays are not metrics (numbers, strings, booleans and nulls only)")
            default: return try number()
            }
        }

        mutating func literal(_ text: String) throws {
            for byte in text.utf8 {
                guard offset < end, bytes[offset] == byte else { throw Failure(message: "invalid literal at column \(offset + 1 - lineStart)") }
                offset += 1
            }
        }

        mutating func number() throws -> MetricValue {
            let start = offset
            var isInteger = true
            if offset < end, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            let digitsStart = offset
            while offset < end {
                let b = bytes[offset]
                if b >= 0x30 && b <= 0x39 { offset += 1; continue }
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                    isInteger = false; offset += 1; continue
                }
                break
            }
            if isInteger, offset > digitsStart, offset - digitsStart <= 18 {
                var v: Int64 = 0
                for index in digitsStart ..< offset { v = v &* 10 &+ Int64(bytes[index] &- 0x30) }
                return .int(digitsStart > start ? -v : v)
            }
            // A decimal up to 63 bytes: strtod on a stack copy, without building a String
            // (one longer than 15 bytes, as most doubles print, would be allocated).
            if !isInteger, offset > digitsStart, offset - start < 64 {
                let length = offset - start
                let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
                    for index in 0 ..< length { buffer[index] = CChar(bitPattern: bytes[start + index]) }
                    buffer[length] = 0
                    var end: UnsafeMutablePointer<CChar>?
                    let value = strtod(buffer.baseAddress!, &end)
                    guard let end, end - buffer.baseAddress! == length else { return nil }
                    return value
                }
                if let parsed { return .double(parsed) }
            }
            let text = String(decoding: bytes[start ..< offset], as: UTF8.self)
            guard offset > digitsStart else {
                if text == "-" || text.isEmpty { throw Failure(message: "invalid value at column \(start + 1 - lineStart)") }
                throw Failure(message: "invalid number '\(text)'")
            }
            if isInteger, let v = Int64(text) { return .int(v) }
            guard let v = Double(text), v.isFinite || !isInteger else { throw Failure(message: "invalid number '\(text)'") }
            return .double(v)
        }

        mutating func string() throws -> String {
            guard offset < end, bytes[offset] == UInt8(ascii: "\"") else {
                throw Failure(message: "expected a string at column \(offset + 1 - lineStart)")
            }
            offset += 1
            // Fast path: no escapes (nearly every name and value); the String is built once,
            // inline for up to 15 bytes.
            var scan = offset
            while scan < end {
                let b = bytes[scan]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                scan += 1
            }
            if scan < end, bytes[scan] == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[offset ..< scan], as: UTF8.self)
                offset = scan + 1
                return text
            }
            var out: [UInt8] = []
            while true {
                guard offset < end else { throw Failure(message: "a string is not closed") }
                let b = bytes[offset]
                offset += 1
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { throw Failure(message: "a control character inside a string") }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard offset < end else { throw Failure(message: "a string is not closed") }
                let e = bytes[offset]
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
                        guard offset + 1 < end, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
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
                let b = bytes[offset]
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
