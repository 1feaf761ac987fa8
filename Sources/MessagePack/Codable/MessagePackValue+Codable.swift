#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `MessagePackValue` is `Codable`, so free-form data (a run's params, unknown manifest keys) can
/// sit inside any `Codable` type.
///
/// Through ``MessagePackEncoder`` and ``MessagePackDecoder`` the value is embedded exactly as it
/// is and comes back exactly. Through other coders (`JSONEncoder`, property lists) it is written
/// as well as their data model allows, in the shape `specimen cat` prints:
///
/// | value | written as |
/// |---|---|
/// | nil, bool, int, uint, float32, float64, str | the coder's own nil, bool, integer, float, string |
/// | array | an array |
/// | map with str keys | an object, keys in order |
/// | any other map | `{"$map": [[key, value], …]}` |
/// | bin | `{"$binary": "<base64>"}` |
/// | timestamp | `{"$timestamp": "<ISO 8601>"}` |
/// | other extension | `{"$ext": type, "data": "<base64>"}` |
///
/// Decoding through another coder reverses this, except that integers and floats come back as
/// the coder reports them (an integral float may become an `.int`), and objects come back in the
/// order of the coder's `allKeys`, which may not be the written order.
extension MessagePackValue: Codable {
    /// Encodes the value: as itself through ``MessagePackEncoder``, else in the tagged shapes above.
    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? _MessagePackEncoderImpl {
            encoder.storage = .value(self)
            return
        }
        switch self {
        case .nil:
            var container = encoder.singleValueContainer(); try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer(); try container.encode(flag)
        case .int(let integer):
            var container = encoder.singleValueContainer(); try container.encode(integer)
        case .uint(let integer):
            var container = encoder.singleValueContainer(); try container.encode(integer)
        case .float32(let float):
            var container = encoder.singleValueContainer(); try container.encode(float)
        case .float64(let double):
            var container = encoder.singleValueContainer(); try container.encode(double)
        case .string(let text):
            var container = encoder.singleValueContainer(); try container.encode(text)
        case .binary(let bytes):
            var container = encoder.container(keyedBy: _AnyCodingKey.self)
            try container.encode(Data(bytes).base64EncodedString(), forKey: Tag.binary)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .map(let pairs):
            let keys = pairs.compactMap { $0.key.stringValue }
            if keys.count == pairs.count && !Self.looksTagged(keys) {
                var container = encoder.container(keyedBy: _AnyCodingKey.self)
                for (key, pair) in zip(keys, pairs) { try container.encode(pair.value, forKey: _AnyCodingKey(stringValue: key)) }
            } else {
                var container = encoder.container(keyedBy: _AnyCodingKey.self)
                var list = container.nestedUnkeyedContainer(forKey: Tag.map)
                for pair in pairs { try list.encode([pair.key, pair.value]) }
            }
        case let .ext(type, data):
            var container = encoder.container(keyedBy: _AnyCodingKey.self)
            try container.encode(type, forKey: Tag.ext)
            try container.encode(Data(data).base64EncodedString(), forKey: Tag.data)
        case .timestamp(let timestamp):
            var container = encoder.container(keyedBy: _AnyCodingKey.self)
            try container.encode(timestamp.iso8601, forKey: Tag.timestamp)
        }
    }

    /// Decodes a value: exactly through ``MessagePackDecoder``, else from the shapes above.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? _MessagePackDecoderImpl {
            self = decoder.value
            return
        }
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() { self = .nil; return }
            if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
            if let integer = try? container.decode(Int64.self) { self = .int(integer); return }
            if let integer = try? container.decode(UInt64.self) { self = .uint(integer); return }
            if let double = try? container.decode(Double.self) { self = .float64(double); return }
            if let text = try? container.decode(String.self) { self = .string(text); return }
        }
        if let container = try? decoder.container(keyedBy: _AnyCodingKey.self) {
            self = try Self.decodeObject(container)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [MessagePackValue] = []
            while !container.isAtEnd { elements.append(try container.decode(MessagePackValue.self)) }
            self = .array(elements)
            return
        }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "The value is neither a scalar, an object nor an array"))
    }

    private enum Tag {
        static let binary = _AnyCodingKey(stringValue: "$binary")
        static let map = _AnyCodingKey(stringValue: "$map")
        static let ext = _AnyCodingKey(stringValue: "$ext")
        static let data = _AnyCodingKey(stringValue: "data")
        static let timestamp = _AnyCodingKey(stringValue: "$timestamp")
    }

    /// Whether an object with these keys would read back as a tagged value.
    private static func looksTagged(_ keys: [String]) -> Bool {
        switch Set(keys) {
        case ["$binary"], ["$map"], ["$timestamp"], ["$ext", "data"]: true
        default: false
        }
    }

    private static func decodeObject(_ container: KeyedDecodingContainer<_AnyCodingKey>) throws -> MessagePackValue {
        let keys = container.allKeys
        let corrupt = { (what: String) in
            DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: what))
        }
        switch Set(keys.map(\.stringValue)) {
        case ["$binary"]:
            guard let bytes = Data(base64Encoded: try container.decode(String.self, forKey: Tag.binary)) else {
                throw corrupt("$binary holds text that is not base64")
            }
            return .binary([UInt8](bytes))
        case ["$timestamp"]:
            let text = try container.decode(String.self, forKey: Tag.timestamp)
            guard let timestamp = MessagePackTimestamp(iso8601: text) else {
                throw corrupt("$timestamp holds \(text.debugDescription), not an ISO 8601 UTC date")
            }
            return .timestamp(timestamp)
        case ["$ext", "data"]:
            let type = try container.decode(Int8.self, forKey: Tag.ext)
            guard let bytes = Data(base64Encoded: try container.decode(String.self, forKey: Tag.data)) else {
                throw corrupt("the data of an $ext is not base64")
            }
            return .ext(type: type, data: [UInt8](bytes))
        case ["$map"]:
            var list = try container.nestedUnkeyedContainer(forKey: Tag.map)
            var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
            while !list.isAtEnd {
                let pair = try list.decode([MessagePackValue].self)
                guard pair.count == 2 else { throw corrupt("an entry of $map is not a [key, value] pair") }
                pairs.append((pair[0], pair[1]))
            }
            return .map(pairs)
        default:
            var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
            pairs.reserveCapacity(keys.count)
            for key in keys {
                pairs.append((.string(key.stringValue), try container.decode(MessagePackValue.self, forKey: key)))
            }
            return .map(pairs)
        }
    }
}
