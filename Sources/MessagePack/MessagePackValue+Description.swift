extension MessagePackValue: CustomStringConvertible, CustomDebugStringConvertible {
    /// A compact, JSON-like rendering for logs and test failures, e.g.
    /// `{"lr": 0.001, "tags": ["a"], "blob": bin(3 bytes: 01 02 03), "at": timestamp(2025-01-01T00:00:00Z)}`.
    ///
    /// Not a stable format: use `specimen cat` for JSON.
    public var description: String {
        var text = ""
        describe(into: &text)
        return text
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    private func describe(into text: inout String) {
        switch self {
        case .nil: text += "nil"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .uint(let value): text += String(value)
        case .float32(let value): text += "float32(\(value))"
        case .float64(let value): text += String(describing: value)
        case .string(let value): text += value.debugDescription
        case .binary(let bytes): text += "bin(\(bytes.count) bytes\(Self.hexPreview(bytes)))"
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                element.describe(into: &text)
            }
            text += "]"
        case .map(let pairs):
            if pairs.isEmpty { text += "[:]"; return }
            text += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { text += ", " }
                pair.key.describe(into: &text)
                text += ": "
                pair.value.describe(into: &text)
            }
            text += "}"
        case let .ext(type, data): text += "ext(\(type), \(data.count) bytes\(Self.hexPreview(data)))"
        case .timestamp(let value): text += "timestamp(\(value.iso8601))"
        }
    }

    private static func hexPreview(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        let digits = Array("0123456789abcdef".unicodeScalars)
        var text = ":"
        for byte in bytes.prefix(16) {
            text.unicodeScalars.append(" ")
            text.unicodeScalars.append(digits[Int(byte >> 4)])
            text.unicodeScalars.append(digits[Int(byte & 0x0f)])
        }
        if bytes.count > 16 { text += " …" }
        return text
    }
}
