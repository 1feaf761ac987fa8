import Foundation
public import MessagePack

/// A MessagePack value (a param, a manifest field) inside a `--json` document, written by the
/// rules of ``MessagePack/MessagePackValue/jsonText(pretty:)``: maps with string keys as objects,
/// non-finite floats as `"NaN"`, `"Infinity"`, `"-Infinity"`, and the values JSON has no form for
/// as one-key objects: `{"$binary": base64}`, `{"$timestamp": ISO 8601}`,
/// `{"$ext": type, "data": base64}`, `{"$map": [[key, value], …]}`.
///
/// Decoding reverses the mapping, except that JSON cannot tell a float's width (a decoded
/// number with a fraction is a 64-bit float), that the keys of a decoded object are sorted, and
/// that the strings `"NaN"`, `"Infinity"` and `"-Infinity"` read back as those floats.
public struct DocumentValue: Codable, Sendable, Hashable {
    /// The value.
    public var value: MessagePackValue

    /// Wraps `value`.
    public init(_ value: MessagePackValue) {
        self.value = value
    }

    /// Writes the value by the mapping above.
    public func encode(to encoder: any Encoder) throws {
        switch value {
        case .nil:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .int(let integer):
            var single = encoder.singleValueContainer()
            try single.encode(integer)
        case .uint(let integer):
            var single = encoder.singleValueContainer()
            try single.encode(integer)
        case .float32(let float):
            var single = encoder.singleValueContainer()
            if float.isFinite { try single.encode(float) } else { try single.encode(Self.nonFiniteName(Double(float))) }
        case .float64(let double):
            var single = encoder.singleValueContainer()
            if double.isFinite { try single.encode(double) } else { try single.encode(Self.nonFiniteName(double)) }
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .binary(let bytes):
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            try object.encode(JSONText.base64(bytes), forKey: AnyCodingKey(stringValue: "$binary"))
        case .array(let elements):
            var array = encoder.unkeyedContainer()
            for element in elements { try array.encode(DocumentValue(element)) }
        case .map(let pairs):
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            if pairs.allSatisfy({ $0.key.stringValue != nil }) {
                for pair in pairs {
                    try object.encode(DocumentValue(pair.value), forKey: AnyCodingKey(stringValue: pair.key.stringValue ?? ""))
                }
            } else {
                var list = object.nestedUnkeyedContainer(forKey: AnyCodingKey(stringValue: "$map"))
                for pair in pairs {
                    var entry = list.nestedUnkeyedContainer()
                    try entry.encode(DocumentValue(pair.key))
                    try entry.encode(DocumentValue(pair.value))
                }
            }
        case .timestamp(let timestamp):
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            try object.encode(timestamp.iso8601, forKey: AnyCodingKey(stringValue: "$timestamp"))
        case let .ext(type, data):
            var object = encoder.container(keyedBy: AnyCodingKey.self)
            try object.encode(Int64(type), forKey: AnyCodingKey(stringValue: "$ext"))
            try object.encode(JSONText.base64(data), forKey: AnyCodingKey(stringValue: "data"))
        }
    }

    /// Reads a value written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { value = .nil; return }
            if let flag = try? single.decode(Bool.self) { value = .bool(flag); return }
            if let integer = try? single.decode(Int64.self) { value = .int(integer); return }
            if let integer = try? single.decode(UInt64.self) { value = .uint(integer); return }
            if let double = try? single.decode(Double.self) { value = .float64(double); return }
            if let text = try? single.decode(String.self) {
                switch text {
                case "NaN": value = .float64(.nan)
                case "Infinity": value = .float64(.infinity)
                case "-Infinity": value = .float64(-.infinity)
                default: value = .string(text)
                }
                return
            }
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [MessagePackValue] = []
            while !array.isAtEnd { elements.append(try array.decode(DocumentValue.self).value) }
            value = .array(elements)
            return
        }
        let object = try decoder.container(keyedBy: AnyCodingKey.self)
        let keys = object.allKeys.sorted { $0.stringValue < $1.stringValue }
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(stringValue: name) }
        switch keys.map(\.stringValue) {
        case ["$binary"]:
            value = .binary(try Self.bytes(object.decode(String.self, forKey: key("$binary")), object, key("$binary")))
        case ["$timestamp"]:
            let text = try object.decode(String.self, forKey: key("$timestamp"))
            guard let stamp = MessagePackTimestamp(iso8601: text) else {
                throw DecodingError.dataCorruptedError(forKey: key("$timestamp"), in: object, debugDescription: "not an ISO 8601 time: \(text)")
            }
            value = .timestamp(stamp)
        case ["$ext", "data"]:
            let type = try object.decode(Int8.self, forKey: key("$ext"))
            value = .ext(type: type, data: try Self.bytes(object.decode(String.self, forKey: key("data")), object, key("data")))
        case ["$map"]:
            var list = try object.nestedUnkeyedContainer(forKey: key("$map"))
            var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
            while !list.isAtEnd {
                var entry = try list.nestedUnkeyedContainer()
                pairs.append((try entry.decode(DocumentValue.self).value, try entry.decode(DocumentValue.self).value))
            }
            value = .map(pairs)
        default:
            value = .map(try keys.map { (MessagePackValue.string($0.stringValue), try object.decode(DocumentValue.self, forKey: $0).value) })
        }
    }

    private static func bytes(_ text: String, _ object: KeyedDecodingContainer<AnyCodingKey>, _ key: AnyCodingKey) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: object, debugDescription: "not base64")
        }
        return [UInt8](data)
    }

    private static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
    }
}
