import MessagePack

/// Params as a JSON object for `SPECIMEN_PARAMS`, for launches that do not bring their own
/// text: numbers exact (non-finite ones as null), strings escaped, binary and extension values
/// (and map keys that are not strings) as strings of their description — a protocol parses
/// this with its language's plain JSON reader, so it holds no `$binary`-style objects.
enum ParamsJSON {
    /// The value as JSON text.
    static func text(_ value: MessagePackValue) -> String {
        var json = JSONText()
        append(value, to: &json)
        return json.text
    }

    private static func append(_ value: MessagePackValue, to json: inout JSONText) {
        switch value {
        case .nil: json.appendNull()
        case .bool(let flag): json.append(flag)
        case .int(let number): json.append(number)
        case .uint(let number): json.append(number)
        case .float32(let number): json.append(number)
        case .float64(let number): json.append(number)
        case .string(let text): json.append(text)
        case .array(let items):
            json.beginArray()
            for item in items { append(item, to: &json) }
            json.endArray()
        case .map(let pairs):
            json.beginObject()
            for pair in pairs {
                json.key(pair.key.stringValue ?? "\(pair.key)")
                append(pair.value, to: &json)
            }
            json.endObject()
        default: json.append("\(value)")
        }
    }
}
