/// A timestamp is `Codable`: a timestamp through ``MessagePackEncoder``, its ISO 8601 text
/// through other coders; decoding also accepts a number of whole seconds or the ISO text.
extension MessagePackTimestamp: Codable {
    /// Encodes the timestamp: the timestamp extension through ``MessagePackEncoder``, else ISO 8601 text.
    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? _MessagePackEncoderImpl {
            encoder.storage = .value(.timestamp(self))
            return
        }
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    /// Decodes a timestamp from the extension (``MessagePackDecoder``) or from ISO 8601 text.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? _MessagePackDecoderImpl {
            self = try _MessagePackDecoderImpl.timestamp(from: decoder.value, decoder.codingPath)
            return
        }
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = MessagePackTimestamp(iso8601: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text.debugDescription) is not an ISO 8601 UTC date like 2025-12-22T19:46:53Z"))
        }
        self = timestamp
    }
}
