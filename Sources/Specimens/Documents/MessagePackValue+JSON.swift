public import MessagePack

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
    /// The mapping is ``DocumentValue``'s, so params read the same here and in every `--json`
    /// document.
    ///
    /// ```swift
    /// let value: MessagePackValue = ["lr": 0.001, "at": .timestamp(.init(seconds: 0))]
    /// value.jsonText()     // {"lr":0.001,"at":{"$timestamp":"1970-01-01T00:00:00Z"}}
    /// ```
    public func jsonText(pretty: Bool = false) -> String {
        // DocumentValue's encoding never throws, and neither does the encoder for it.
        (try? JSONDocumentEncoder(pretty: pretty).text(DocumentValue(self))) ?? "null"
    }
}
