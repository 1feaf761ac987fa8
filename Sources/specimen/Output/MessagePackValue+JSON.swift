import MessagePack

extension MessagePackValue {
    /// The value as one JSON document, as `specimen cat FILE.msgpack` prints it.
    ///
    /// | MessagePack | JSON |
    /// |---|---|
    /// | nil, bool | `null`, `true`/`false` |
    /// | int, uint | the exact integer (all 64-bit values) |
    /// | float32, float64 | the shortest text that reads back to the same float; NaN and the infinities as `"NaN"`, `"Infinity"`, `"-Infinity"` |
    /// | str | a string |
    /// | bin | `{"$binary": "<base64>"}` |
    /// | array | an array |
    /// | map whose keys are all strs | an object, keys in order |
    /// | any other map | `{"$map": [[key, value], …]}` |
    /// | timestamp | `{"$timestamp": "YYYY-MM-DDTHH:MM:SS[.fraction]Z"}` |
    /// | other extension | `{"$ext": <type>, "data": "<base64>"}` |
    ///
    /// ```swift
    /// let value: MessagePackValue = ["lr": 0.001, "at": .timestamp(.init(seconds: 0))]
    /// value.jsonText()     // {"lr":0.001,"at":{"$timestamp":"1970-01-01T00:00:00Z"}}
    /// ```
    func jsonText(pretty: Bool = false) -> String {
        var json = JSONText(pretty: pretty)
        json.append(self)
        return json.text
    }
}

extension JSONText {
    /// Writes a MessagePack value by the rules of ``MessagePackValue/jsonText(pretty:)``.
    mutating func append(_ value: MessagePackValue) {
        switch value {
        case .nil: appendNull()
        case .bool(let flag): append(flag)
        case .int(let integer): append(integer)
        case .uint(let integer): append(integer)
        case .float32(let float):
            if float.isFinite { append(float) } else { append(Self.nonFiniteName(Double(float))) }
        case .float64(let double):
            if double.isFinite { append(double) } else { append(Self.nonFiniteName(double)) }
        case .string(let text): append(text)
        case .binary(let bytes):
            beginObject()
            key("$binary"); appendBase64(bytes)
            endObject()
        case .array(let elements):
            beginArray()
            for element in elements { append(element) }
            endArray()
        case .map(let pairs):
            if pairs.allSatisfy({ $0.key.stringValue != nil }) {
                beginObject()
                for pair in pairs {
                    key(pair.key.stringValue ?? "")
                    append(pair.value)
                }
                endObject()
            } else {
                beginObject()
                key("$map")
                beginArray()
                for pair in pairs {
                    beginArray()
                    append(pair.key)
                    append(pair.value)
                    endArray()
                }
                endArray()
                endObject()
            }
        case .timestamp(let timestamp):
            beginObject()
            key("$timestamp"); append(timestamp.iso8601)
            endObject()
        case let .ext(type, data):
            beginObject()
            key("$ext"); append(Int64(type))
            key("data"); appendBase64(data)
            endObject()
        }
    }

    private static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
    }
}
