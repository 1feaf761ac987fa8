#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The options every encoder of one `encode` call shares.
final class _EncodingContext {
    let dateStrategy: MessagePackEncoder.DateEncodingStrategy
    let userInfo: [CodingUserInfoKey: Any]

    init(dateStrategy: MessagePackEncoder.DateEncodingStrategy, userInfo: [CodingUserInfoKey: Any]) {
        self.dateStrategy = dateStrategy
        self.userInfo = userInfo
    }
}

/// A value being encoded: finished, or a container that may still grow, or the encoder a
/// `superEncoder` call handed out. Resolved to a ``MessagePackValue`` when encoding is done, so
/// nothing depends on when containers or encoders are released.
enum _EncodedNode {
    case value(MessagePackValue)
    case array(_ArrayBox)
    case map(_MapBox)
    case encoder(_MessagePackEncoderImpl)

    func resolved() -> MessagePackValue {
        switch self {
        case .value(let value): value
        case .array(let box): .array(box.elements.map { $0.resolved() })
        case .map(let box):
            .map(zip(box.keys, box.values).map { (key: .string($0.0), value: $0.1.resolved()) })
        case .encoder(let encoder): encoder.storage?.resolved() ?? .map([])
        }
    }
}

/// The elements of an unkeyed container.
final class _ArrayBox {
    var elements: [_EncodedNode] = []
}

/// The pairs of a keyed container, in the order their keys were first encoded; encoding a key
/// again replaces its value in place.
final class _MapBox {
    var keys: [String] = []
    var values: [_EncodedNode] = []
    private var index: [String: Int]?

    init() {
        // Most structs have a handful of properties: start with room for them.
        keys.reserveCapacity(8)
        values.reserveCapacity(8)
    }

    func set(_ key: String, _ node: _EncodedNode) {
        if let position = position(of: key) {
            values[position] = node
            return
        }
        if index != nil { index![key] = keys.count }
        keys.append(key)
        values.append(node)
        if index == nil && keys.count > 16 {
            index = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Appends a key known not to be present yet (sorted dictionary keys are unique).
    func appendUnique(_ key: String, _ node: _EncodedNode) {
        keys.append(key)
        values.append(node)
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }
}

/// The `Encoder` that lowers one value (and, through its containers, its children) to nodes.
final class _MessagePackEncoderImpl: Encoder {
    let codingPath: [any CodingKey]
    let context: _EncodingContext
    var storage: _EncodedNode?

    init(codingPath: [any CodingKey], context: _EncodingContext) {
        self.codingPath = codingPath
        self.context = context
    }

    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: _MapBox
        if case .map(let existing)? = storage {
            box = existing
        } else {
            box = _MapBox()
            storage = .map(box)
        }
        return KeyedEncodingContainer(_KeyedEncodingContainer<Key>(encoder: self, box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: _ArrayBox
        if case .array(let existing)? = storage {
            box = existing
        } else {
            box = _ArrayBox()
            storage = .array(box)
        }
        return _UnkeyedEncodingContainer(encoder: self, box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Lowers any `Encodable`, embedding the types with a MessagePack form of their own.
    static func lower<T: Encodable>(_ value: T, codingPath: [any CodingKey], context: _EncodingContext) throws -> _EncodedNode {
        if T.self == MessagePackValue.self { return .value(value as! MessagePackValue) }
        if T.self == Data.self { return .value(.binary([UInt8](value as! Data))) }
        if T.self == Date.self { return .value(try encode(value as! Date, codingPath: codingPath, context: context)) }
        if T.self == MessagePackTimestamp.self { return .value(.timestamp(value as! MessagePackTimestamp)) }
        if T.self == URL.self { return .value(.string((value as! URL).absoluteString)) }
        if let dictionary = value as? any _SortedKeysEncodable {
            return try dictionary._lowerSorted(codingPath: codingPath, context: context)
        }
        let encoder = _MessagePackEncoderImpl(codingPath: codingPath, context: context)
        try value.encode(to: encoder)
        return encoder.storage ?? .value(.map([]))
    }

    static func encode(_ date: Date, codingPath: [any CodingKey], context: _EncodingContext) throws -> MessagePackValue {
        switch context.dateStrategy {
        case .secondsSince1970:
            return .float64(date.timeIntervalSince1970)
        case .timestamp, .iso8601:
            guard let timestamp = MessagePackTimestamp(date) else {
                throw EncodingError.invalidValue(date, .init(codingPath: codingPath,
                    debugDescription: "The date \(date.timeIntervalSince1970) s after 1970 is not finite or out of the timestamp range"))
            }
            return context.dateStrategy == .timestamp ? .timestamp(timestamp) : .string(timestamp.iso8601)
        }
    }
}

extension _MessagePackEncoderImpl: SingleValueEncodingContainer {
    func encodeNil() { storage = .value(.nil) }
    func encode(_ value: Bool) { storage = .value(.bool(value)) }
    func encode(_ value: String) { storage = .value(.string(value)) }
    func encode(_ value: Double) { storage = .value(.float64(value)) }
    func encode(_ value: Float) { storage = .value(.float32(value)) }
    func encode(_ value: Int) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int8) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int16) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int32) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int64) { storage = .value(.int(value)) }
    func encode(_ value: UInt) { storage = .value(.uint(UInt64(value))) }
    func encode(_ value: UInt8) { storage = .value(.uint(UInt64(value))) }
    func encode(_ value: UInt16) { storage = .value(.uint(UInt64(value))) }
    func encode(_ value: UInt32) { storage = .value(.uint(UInt64(value))) }
    func encode(_ value: UInt64) { storage = .value(.uint(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        storage = try Self.lower(value, codingPath: codingPath, context: context)
    }
}

/// Writes a struct's (or a dictionary's) keys into a map box.
struct _KeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: _MessagePackEncoderImpl
    let box: _MapBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) { box.set(key.stringValue, .value(.nil)) }
    mutating func encode(_ value: Bool, forKey key: Key) { box.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) { box.set(key.stringValue, .value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) { box.set(key.stringValue, .value(.float64(value))) }
    mutating func encode(_ value: Float, forKey key: Key) { box.set(key.stringValue, .value(.float32(value))) }
    mutating func encode(_ value: Int, forKey key: Key) { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) { box.set(key.stringValue, .value(.int(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) { box.set(key.stringValue, .value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt8, forKey key: Key) { box.set(key.stringValue, .value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) { box.set(key.stringValue, .value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) { box.set(key.stringValue, .value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) { box.set(key.stringValue, .value(.uint(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try _MessagePackEncoderImpl.lower(value, codingPath: codingPath.appending(key), context: encoder.context))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = _MapBox()
        box.set(key.stringValue, .map(nested))
        return KeyedEncodingContainer(_KeyedEncodingContainer<NestedKey>(encoder: encoder, box: nested, codingPath: codingPath.appending(key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = _ArrayBox()
        box.set(key.stringValue, .array(nested))
        return _UnkeyedEncodingContainer(encoder: encoder, box: nested, codingPath: codingPath.appending(key))
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(key: _AnyCodingKey.super)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(key: key)
    }

    private func superEncoder(key: any CodingKey) -> any Encoder {
        let child = _MessagePackEncoderImpl(codingPath: codingPath.appending(key), context: encoder.context)
        box.set(key.stringValue, .encoder(child))
        return child
    }
}

/// Appends an array's elements to an array box.
struct _UnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: _MessagePackEncoderImpl
    let box: _ArrayBox
    let codingPath: [any CodingKey]

    var count: Int { box.elements.count }

    private var nextKey: any CodingKey { _AnyCodingKey(index: box.elements.count) }

    mutating func encodeNil() { box.elements.append(.value(.nil)) }
    mutating func encode(_ value: Bool) { box.elements.append(.value(.bool(value))) }
    mutating func encode(_ value: String) { box.elements.append(.value(.string(value))) }
    mutating func encode(_ value: Double) { box.elements.append(.value(.float64(value))) }
    mutating func encode(_ value: Float) { box.elements.append(.value(.float32(value))) }
    mutating func encode(_ value: Int) { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int8) { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int16) { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int32) { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int64) { box.elements.append(.value(.int(value))) }
    mutating func encode(_ value: UInt) { box.elements.append(.value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt8) { box.elements.append(.value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt16) { box.elements.append(.value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt32) { box.elements.append(.value(.uint(UInt64(value)))) }
    mutating func encode(_ value: UInt64) { box.elements.append(.value(.uint(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try _MessagePackEncoderImpl.lower(value, codingPath: codingPath.appending(nextKey), context: encoder.context))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath.appending(nextKey)
        let nested = _MapBox()
        box.elements.append(.map(nested))
        return KeyedEncodingContainer(_KeyedEncodingContainer<NestedKey>(encoder: encoder, box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath.appending(nextKey)
        let nested = _ArrayBox()
        box.elements.append(.array(nested))
        return _UnkeyedEncodingContainer(encoder: encoder, box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = _MessagePackEncoderImpl(codingPath: codingPath.appending(nextKey), context: encoder.context)
        box.elements.append(.encoder(child))
        return child
    }
}

/// Dictionaries whose keys are written as sorted str keys, so their bytes are deterministic.
protocol _SortedKeysEncodable {
    func _lowerSorted(codingPath: [any CodingKey], context: _EncodingContext) throws -> _EncodedNode
}

extension Dictionary: _SortedKeysEncodable where Key: _SortableCodingKey, Value: Encodable {
    func _lowerSorted(codingPath: [any CodingKey], context: _EncodingContext) throws -> _EncodedNode {
        let box = _MapBox()
        box.keys.reserveCapacity(count)
        box.values.reserveCapacity(count)
        for key in keys.sorted(by: Key._precedes) {
            let codingKey = key._codingKey
            box.appendUnique(codingKey.stringValue,
                             try _MessagePackEncoderImpl.lower(self[key]!, codingPath: codingPath.appending(codingKey), context: context))
        }
        return .map(box)
    }
}

/// Dictionary key types that Codable writes as keyed containers, with a deterministic order.
protocol _SortableCodingKey: Hashable {
    static func _precedes(_ a: Self, _ b: Self) -> Bool
    var _codingKey: _AnyCodingKey { get }
}

extension String: _SortableCodingKey {
    /// Orders by UTF-8 bytes (= Unicode code points), as Python's `sorted` orders `str`.
    static func _precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
    var _codingKey: _AnyCodingKey { _AnyCodingKey(stringValue: self) }
}

extension Int: _SortableCodingKey {
    static func _precedes(_ a: Int, _ b: Int) -> Bool { a < b }
    var _codingKey: _AnyCodingKey { _AnyCodingKey(intValue: self) }
}
