import MessagePack

/// `--param key=value` pairs, typed: integers and other numbers as numbers, `true`/`false`
/// as booleans, the rest as strings.
enum ParamText {
    /// Splits `key=value`; nil when there is no `=` or the key is empty.
    static func split(_ text: String) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// The typed value of `text`.
    static func value(_ text: String) -> MessagePackValue {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let int = Int64(text) { return .int(int) }
        if let double = Double(text), !text.lowercased().contains("n"), !text.lowercased().contains("i") { return .float64(double) }
        return .string(text)
    }

    /// The params as an ordered map; a key given twice keeps its last value, at its first place.
    static func map(_ pairs: [String]) -> MessagePackValue {
        var keys: [String] = []
        var values: [String: MessagePackValue] = [:]
        for pair in pairs {
            guard let (key, value) = split(pair) else { continue }
            if values[key] == nil { keys.append(key) }
            values[key] = self.value(value)
        }
        return .map(keys.map { (.string($0), values[$0]!) })
    }
}
