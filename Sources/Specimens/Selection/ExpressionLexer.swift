import MessagePack

/// Splits a run expression into tokens. Works on the UTF-8 bytes; every read is bounds-checked,
/// and malformed text throws `RunQuerySyntaxError` at the offending byte.
struct ExpressionLexer {
    let text: String
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    /// Whether `byte` may appear in a plain (unquoted) name segment.
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func byte(at index: Int) -> UInt8? { index >= 0 && index < bytes.count ? bytes[index] : nil }

    /// The error at byte `at`, its column counted in characters.
    func error(at: Int, _ message: String) -> RunQuerySyntaxError {
        let clamped = max(0, min(at, bytes.count))
        let column = String(decoding: bytes[..<clamped], as: UTF8.self).count
        return RunQuerySyntaxError(expression: text, column: column, message: message)
    }

    /// The next token.
    mutating func next() throws(RunQuerySyntaxError) -> ExpressionToken {
        while let b = byte(at: offset), b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d { offset += 1 }
        let start = offset
        guard let first = byte(at: offset) else { return ExpressionToken(kind: .end, start: start, end: start) }
        func single(_ kind: ExpressionToken.Kind) -> ExpressionToken {
            offset += 1
            return ExpressionToken(kind: kind, start: start, end: offset)
        }
        switch first {
        case UInt8(ascii: "("): return single(.openParen)
        case UInt8(ascii: ")"): return single(.closeParen)
        case UInt8(ascii: "["): return single(.openBracket)
        case UInt8(ascii: "]"): return single(.closeBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ":"): return single(.colon)
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return try comparison(start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try string(start, quote: first)
        case UInt8(ascii: "`"):
            return try name(start)
        default:
            break
        }
        if ExpressionLexer.isDigit(first) { return try numberOrDate(start) }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            let next = byte(at: offset + 1)
            if let next, ExpressionLexer.isDigit(next) || (next == UInt8(ascii: ".") && first != UInt8(ascii: ".")) {
                return try numberOrDate(start)
            }
        }
        if ExpressionLexer.isNameByte(first) && first != UInt8(ascii: "-") { return try name(start) }
        if first < 0x80 {
            throw error(at: start, "unexpected character '\(Character(Unicode.Scalar(first)))'; expected a field, a value, an operator or a parenthesis")
        }
        throw error(at: start, "unexpected character; names with other characters are written in backquotes, e.g. params.`größe`")
    }

    private mutating func comparison(_ start: Int) throws(RunQuerySyntaxError) -> ExpressionToken {
        let first = bytes[start]
        let second = byte(at: start + 1)
        let op: RunComparison
        var length = 2
        switch (first, second) {
        case (UInt8(ascii: "="), UInt8(ascii: "=")): op = .equal
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): op = .notEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): op = .lessOrEqual
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): op = .greaterOrEqual
        case (UInt8(ascii: "<"), _): op = .less; length = 1
        case (UInt8(ascii: ">"), _): op = .greater; length = 1
        case (UInt8(ascii: "="), _): throw error(at: start, "'=' is not an operator; compare with '=='")
        default: throw error(at: start, "'!' is not an operator; write '!=' or 'not'")
        }
        offset = start + length
        return ExpressionToken(kind: .comparison(op), start: start, end: offset)
    }

    private mutating func string(_ start: Int, quote: UInt8) throws(RunQuerySyntaxError) -> ExpressionToken {
        var index = start + 1
        var content: [UInt8] = []
        while true {
            guard let b = byte(at: index) else {
                throw error(at: start, "this string is not closed; end it with \(quote == UInt8(ascii: "'") ? "'" : "\"")")
            }
            if b == quote { index += 1; break }
            if b == UInt8(ascii: "\\") {
                guard let escaped = byte(at: index + 1) else { throw error(at: index, "a string cannot end with a lone backslash") }
                switch escaped {
                case UInt8(ascii: "n"): content.append(0x0a)
                case UInt8(ascii: "t"): content.append(0x09)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): content.append(escaped)
                default: throw error(at: index, "unknown escape; strings know \\\\, \\\", \\', \\n and \\t")
                }
                index += 2
                continue
            }
            content.append(b)
            index += 1
        }
        offset = index
        return ExpressionToken(kind: .literal(.string(String(decoding: content, as: UTF8.self))), start: start, end: index)
    }

    private mutating func name(_ start: Int) throws(RunQuerySyntaxError) -> ExpressionToken {
        var segments: [String] = []
        var quoted: [Bool] = []
        var index = start
        while true {
            if byte(at: index) == UInt8(ascii: "`") {
                let open = index
                index += 1
                let from = index
                while let b = byte(at: index), b != UInt8(ascii: "`") { index += 1 }
                guard byte(at: index) != nil else { throw error(at: open, "this backquoted name is not closed; end it with `") }
                guard index > from else { throw error(at: open, "a backquoted name cannot be empty") }
                segments.append(String(decoding: bytes[from ..< index], as: UTF8.self))
                quoted.append(true)
                index += 1
            } else {
                let from = index
                while let b = byte(at: index), ExpressionLexer.isNameByte(b) { index += 1 }
                guard index > from else {
                    throw error(at: index, "expected a name after '.'; names with other characters are written in backquotes, e.g. params.`model.name`")
                }
                if let b = byte(at: index), b >= 0x80 {
                    throw error(at: start, "unexpected character in a name; names with other characters are written in backquotes, e.g. params.`größe`")
                }
                segments.append(String(decoding: bytes[from ..< index], as: UTF8.self))
                quoted.append(false)
            }
            guard byte(at: index) == UInt8(ascii: ".") else { break }
            index += 1
        }
        offset = index
        return ExpressionToken(kind: .name(segments, quoted: quoted), start: start, end: index)
    }

    private mutating func numberOrDate(_ start: Int) throws(RunQuerySyntaxError) -> ExpressionToken {
        // YYYY-MM-DD… is a date.
        if start + 4 < bytes.count, (0 ..< 4).allSatisfy({ ExpressionLexer.isDigit(bytes[start + $0]) }), bytes[start + 4] == UInt8(ascii: "-") {
            return try date(start)
        }
        var index = start
        if let b = byte(at: index), b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { index += 1 }
        var isInteger = true
        var digits = 0
        while let b = byte(at: index), ExpressionLexer.isDigit(b) { index += 1; digits += 1 }
        if byte(at: index) == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            while let b = byte(at: index), ExpressionLexer.isDigit(b) { index += 1; digits += 1 }
        }
        guard digits > 0 else { throw error(at: start, "malformed number") }
        if let b = byte(at: index), b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if let sign = byte(at: index), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while let b = byte(at: index), ExpressionLexer.isDigit(b) { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { throw error(at: start, "malformed number: the exponent has no digits (write e.g. 1e-3)") }
        }
        if let b = byte(at: index), ExpressionLexer.isNameByte(b) || b == UInt8(ascii: ".") {
            throw error(at: start, "malformed number; text is quoted, e.g. '\(String(decoding: bytes[start ..< min(bytes.count, index + 1)], as: UTF8.self))…'")
        }
        var text = String(decoding: bytes[start ..< index], as: UTF8.self)
        if text.hasPrefix("+") { text.removeFirst() }
        offset = index
        if isInteger, let value = Int64(text) {
            return ExpressionToken(kind: .literal(.int(value)), start: start, end: index)
        }
        guard let value = Double(text), value.isFinite else { throw error(at: start, "number out of range") }
        return ExpressionToken(kind: .literal(.double(value)), start: start, end: index)
    }

    /// `YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|±HH:MM]`, UTC unless an offset is given.
    private mutating func date(_ start: Int) throws(RunQuerySyntaxError) -> ExpressionToken {
        var index = start
        func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0 ..< count {
                guard let b = byte(at: index), ExpressionLexer.isDigit(b) else { return nil }
                value = value * 10 + Int(b - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard byte(at: index) == character.asciiValue else { return false }
            index += 1
            return true
        }
        let usage = "malformed date; write 2026-11-01 or 2026-11-01T12:00:00Z (ISO 8601, UTC unless an offset such as +02:00 is given)"
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else {
            throw error(at: start, usage)
        }
        var hour = 0, minute = 0, second = 0
        var fraction = ""
        var offsetSeconds = 0
        if byte(at: index) == UInt8(ascii: "T") || byte(at: index) == UInt8(ascii: "t") {
            index += 1
            guard let h = digits(2), expect(":"), let m = digits(2) else { throw error(at: start, usage) }
            hour = h; minute = m
            if expect(":") {
                guard let s = digits(2) else { throw error(at: start, usage) }
                second = s
                if expect(".") {
                    let from = index
                    while let b = byte(at: index), ExpressionLexer.isDigit(b) { index += 1 }
                    guard index > from, index - from <= 9 else { throw error(at: start, usage) }
                    fraction = String(decoding: bytes[from ..< index], as: UTF8.self)
                }
            }
            if expect("Z") || expect("z") {
            } else if let sign = byte(at: index), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
                guard let oh = digits(2), expect(":"), let om = digits(2), oh < 24, om < 60 else { throw error(at: start, usage) }
                offsetSeconds = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        if let b = byte(at: index), ExpressionLexer.isNameByte(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") {
            throw error(at: start, usage)
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var iso = "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
        if !fraction.isEmpty { iso += "." + fraction }
        iso += "Z"
        guard year >= 1000, let stamp = MessagePackTimestamp(iso8601: iso) else {
            throw error(at: start, "impossible date \(String(decoding: bytes[start ..< index], as: UTF8.self)); " + usage)
        }
        let micros = (stamp.seconds - Int64(offsetSeconds)) * 1_000_000 + Int64(stamp.nanoseconds / 1000)
        offset = index
        return ExpressionToken(kind: .literal(.date(microseconds: micros)), start: start, end: index)
    }
}
