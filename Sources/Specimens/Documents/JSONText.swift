/// Builds JSON text (RFC 8259) by appending values, keys and brackets to a string.
///
/// Separators are written for you: call ``key(_:)`` before each value of an object, and nothing
/// between the elements of an array. Integers are written exactly, doubles and floats as the
/// shortest text that reads back to the same value (`0.1`, `1e-05`, `-0.0`), strings with the
/// escapes JSON requires. JSON has no NaN or infinity: a non-finite number is written as `null`,
/// so callers that want another spelling check ``Double/isFinite`` first.
///
/// ```swift
/// var json = JSONText()
/// json.beginObject()
/// json.key("name"); json.append("baseline")
/// json.key("rows");  json.append(1200 as Int64)
/// json.key("tags");  json.beginArray(); json.append("a"); json.append("b"); json.endArray()
/// json.endObject()
/// print(json.text)     // {"name":"baseline","rows":1200,"tags":["a","b"]}
/// ```
public struct JSONText: Sendable {
    /// The text built so far.
    public private(set) var text: String = ""
    /// Whether to break lines and indent nested values by two spaces.
    public let pretty: Bool
    /// For each open array or object: whether it already holds a value.
    private var hasValues: [Bool] = []
    /// Whether a key was just written, so the next value follows it directly.
    private var afterKey = false

    /// Creates an empty builder; `pretty` breaks lines and indents by two spaces.
    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    // MARK: Structure

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        text.append("[")
        hasValues.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        close("]")
    }

    /// Opens an object.
    public mutating func beginObject() {
        beforeValue()
        text.append("{")
        hasValues.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        close("}")
    }

    /// Writes an object's key; the next value appended is its value.
    public mutating func key(_ name: String) {
        beforeValue()
        appendQuoted(name)
        text.append(pretty ? ": " : ":")
        afterKey = true
    }

    // MARK: Values

    /// Writes `null`.
    public mutating func appendNull() {
        beforeValue()
        text.append("null")
    }

    /// Writes `true` or `false`.
    public mutating func append(_ value: Bool) {
        beforeValue()
        text.append(value ? "true" : "false")
    }

    /// Writes an integer exactly.
    public mutating func append(_ value: Int64) {
        beforeValue()
        text.append(String(value))
    }

    /// Writes an unsigned integer exactly.
    public mutating func append(_ value: UInt64) {
        beforeValue()
        text.append(String(value))
    }

    /// Writes the shortest text that reads back as the same `Double`; `null` when not finite.
    public mutating func append(_ value: Double) {
        beforeValue()
        // Swift's description is the shortest round-trip form and, for finite values, valid
        // JSON: digits, at least one digit after any ".", and an exponent like "e-05" or "e+16".
        text.append(value.isFinite ? value.description : "null")
    }

    /// Writes the shortest text that reads back as the same `Float`; `null` when not finite.
    public mutating func append(_ value: Float) {
        beforeValue()
        text.append(value.isFinite ? value.description : "null")
    }

    /// Writes a string, quoted and escaped.
    public mutating func append(_ value: String) {
        beforeValue()
        appendQuoted(value)
    }

    /// Writes bytes as a string of standard base64 (RFC 4648, with `=` padding).
    public mutating func appendBase64(_ bytes: [UInt8]) {
        beforeValue()
        text.append("\"")
        text.append(Self.base64(bytes))
        text.append("\"")
    }

    // MARK: Helpers

    /// `value` as one JSON string literal, quotes included, escaped as ``append(_:)-(String)`` escapes.
    public static func quoted(_ value: some StringProtocol) -> String {
        var json = JSONText()
        json.append(String(value))
        return json.text
    }

    /// Standard base64 of `bytes`, with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(alphabet[Int(group >> 6 & 63)])
            output.append(alphabet[Int(group & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let group = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(rest == 2 ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasValues.indices.last else { return }
        if hasValues[last] { text.append(",") }
        hasValues[last] = true
        if pretty { newline() }
    }

    private mutating func close(_ bracket: String) {
        let hadValues = hasValues.popLast() ?? false
        if pretty && hadValues { newline() }
        text.append(bracket)
    }

    private mutating func newline() {
        text.append("\n")
        text.append(String(repeating: "  ", count: hasValues.count))
    }

    /// Appends `value` in quotes, escaping `"`, `\` and the control characters U+0000…U+001F;
    /// everything else, including non-ASCII text, is copied as it is.
    private mutating func appendQuoted(_ value: String) {
        text.append("\"")
        let utf8 = value.utf8
        var runStart = utf8.startIndex
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            // Escaped bytes are ASCII, so `index` is a Unicode scalar boundary to cut at.
            text.append(contentsOf: value[runStart ..< index])
            switch byte {
            case UInt8(ascii: "\""): text.append("\\\"")
            case UInt8(ascii: "\\"): text.append("\\\\")
            case UInt8(ascii: "\n"): text.append("\\n")
            case UInt8(ascii: "\r"): text.append("\\r")
            case UInt8(ascii: "\t"): text.append("\\t")
            case 0x08: text.append("\\b")
            case 0x0c: text.append("\\f")
            default:
                let hex = Array("0123456789abcdef".unicodeScalars)
                text.append("\\u00")
                text.unicodeScalars.append(hex[Int(byte >> 4)])
                text.unicodeScalars.append(hex[Int(byte & 0xf)])
            }
            runStart = utf8.index(after: index)
        }
        text.append(contentsOf: value[runStart...])
        text.append("\"")
    }
}
