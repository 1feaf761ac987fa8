/// Builds JSON text (RFC 8259) as UTF-8 bytes in one buffer: every `--json` document, JSON
/// lines export and `specimen cat` output is written with it (a listing of thousands of runs is
/// megabytes of JSON, so no `String` append per token).
///
/// Separators are written for you: call ``key(_:)`` before each value of an object, and nothing
/// between the elements of an array. Integers are written exactly, doubles and floats as the
/// shortest text that reads back to the same value, strings with the escapes JSON requires,
/// a non-finite number as `null`.
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
    /// The UTF-8 text built so far.
    public private(set) var bytes: [UInt8] = []
    /// The text built so far, as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// Whether to break lines and indent nested values by two spaces.
    public let pretty: Bool
    /// For each open array or object: whether it already holds a value.
    private var hasValues: [Bool] = []
    /// Whether a key was just written, so the next value follows it directly.
    private var afterKey = false

    /// Creates an empty builder; `pretty` breaks lines and indents by two spaces.
    public init(pretty: Bool = false, capacity: Int = 0) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
        hasValues.reserveCapacity(16)
    }

    // MARK: Structure

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        hasValues.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Opens an object.
    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        hasValues.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Writes an object's key given as a static string, copied as it is (the caller's literal,
    /// which needs no escaping); the next value appended is its value.
    public mutating func key(static name: StaticString) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        endKey()
    }

    /// Writes an object's key (escaped as a string is); the next value appended is its value.
    public mutating func key(_ name: String) {
        beforeValue()
        appendQuoted(name)
        endKey()
    }

    /// Writes an object's key from UTF-8 bytes (escaped as a string is).
    public mutating func key(utf8 name: UnsafeRawBufferPointer) {
        beforeValue()
        appendQuoted(utf8: name)
        endKey()
    }

    // MARK: Values

    /// Writes `null`.
    public mutating func appendNull() {
        beforeValue()
        literal("null")
    }

    /// Writes `true` or `false`.
    public mutating func append(_ value: Bool) {
        beforeValue()
        literal(value ? "true" : "false")
    }

    /// Writes an integer exactly.
    public mutating func append(_ value: Int64) {
        beforeValue()
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            digits(value.magnitude)
        } else {
            digits(UInt64(value))
        }
    }

    /// Writes an unsigned integer exactly.
    public mutating func append(_ value: UInt64) {
        beforeValue()
        digits(value)
    }

    /// Writes the shortest text that reads back as the same `Double` (Swift's `description`,
    /// as ``JSONText`` writes it); `null` when not finite.
    public mutating func append(_ value: Double) {
        beforeValue()
        if value.isFinite { bytes.append(contentsOf: value.description.utf8) } else { literal("null") }
    }

    /// Writes the shortest text that reads back as the same `Float`; `null` when not finite.
    public mutating func append(_ value: Float) {
        beforeValue()
        if value.isFinite { bytes.append(contentsOf: value.description.utf8) } else { literal("null") }
    }

    /// Writes a string, quoted and escaped.
    public mutating func append(_ value: String) {
        beforeValue()
        appendQuoted(value)
    }

    /// Writes UTF-8 bytes as a string, quoted and escaped (the caller checked they are UTF-8).
    public mutating func append(utf8 value: UnsafeRawBufferPointer) {
        beforeValue()
        appendQuoted(utf8: value)
    }

    /// Writes bytes as a string of standard base64 (RFC 4648, with `=` padding).
    public mutating func appendBase64(_ data: [UInt8]) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: Self.base64(data).utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes text that is already JSON (a number, or a quoted and escaped string) as a value.
    public mutating func appendRaw(_ text: String) {
        beforeValue()
        bytes.append(contentsOf: text.utf8)
    }

    /// Ends the text with a line break (after the document, as `print` would).
    public mutating func appendNewline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Hands the text built so far to `output` and forgets it (keeping the buffer); the
    /// structure stays open, so the next value continues the same document.
    public mutating func drain(into output: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes(output)
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: Position

    /// How many arrays and objects are open.
    public var openCount: Int { hasValues.count }
    /// Whether the innermost open array or object holds a value; nil at the top level.
    public var lastHasValue: Bool? { hasValues.last }
    /// Whether a key was just written.
    public var isAfterKey: Bool { afterKey }

    /// Cuts the text back to `count` bytes, with `depth` brackets open (the innermost holding
    /// a value as `hadValue` says) and `afterKey` as it was.
    public mutating func restore(count: Int, depth: Int, hadValue: Bool?, afterKey: Bool) {
        if count < bytes.count { bytes.removeLast(bytes.count - count) }
        if hasValues.count > depth { hasValues.removeLast(hasValues.count - depth) }
        while hasValues.count < depth { hasValues.append(true) }
        if let hadValue, depth > 0 { hasValues[depth - 1] = hadValue }
        self.afterKey = afterKey
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


    @inline(__always)
    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func digits(_ value: UInt64) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes ≥ 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var rest = value
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[at...]))
        }
    }

    @inline(__always)
    private mutating func endKey() {
        if pretty { literal(": ") } else { bytes.append(UInt8(ascii: ":")) }
        afterKey = true
    }

    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasValues.indices.last else { return }
        if hasValues[last] { bytes.append(UInt8(ascii: ",")) }
        hasValues[last] = true
        if pretty { newline() }
    }

    private mutating func close(_ bracket: UInt8) {
        let hadValues = hasValues.popLast() ?? false
        if pretty && hadValues { newline() }
        bytes.append(bracket)
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0 ..< hasValues.count { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func appendQuoted(_ value: String) {
        var value = value
        value.withUTF8 { appendQuoted(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// `value` in quotes, escaping `"`, `\` and the control characters U+0000…U+001F as
    /// ``JSONText`` does; everything else is copied as it is.
    private mutating func appendQuoted(utf8 value: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0 ..< value.count {
            let byte = value[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart ..< index]))
            switch byte {
            case UInt8(ascii: "\""): literal("\\\"")
            case UInt8(ascii: "\\"): literal("\\\\")
            case UInt8(ascii: "\n"): literal("\\n")
            case UInt8(ascii: "\r"): literal("\\r")
            case UInt8(ascii: "\t"): literal("\\t")
            case 0x08: literal("\\b")
            case 0x0c: literal("\\f")
            default:
                let hex: StaticString = "0123456789abcdef"
                literal("\\u00")
                hex.withUTF8Buffer { digits in
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0xf)])
                }
            }
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
