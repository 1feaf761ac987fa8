#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `Decoder` that lifts one value of the tree (and, through its containers, its children).
final class _MessagePackDecoderImpl: Decoder {
    let value: MessagePackValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(value: MessagePackValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let pairs) = value else {
            throw _MessagePackDecoderImpl.mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(_KeyedDecodingContainer<Key>(pairs: pairs, codingPath: codingPath, userInfo: userInfo))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw _MessagePackDecoderImpl.mismatch([Any].self, value, codingPath)
        }
        return _UnkeyedDecodingContainer(elements: elements, codingPath: codingPath, userInfo: userInfo)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Lifting

    /// Lifts any `Decodable`, reading the types with a MessagePack form of their own directly.
    ///
    /// The coding path is built only when a decoder is made for the value or an error needs it.
    static func lift<T: Decodable>(_ type: T.Type, from value: MessagePackValue, codingPath: @autoclosure () -> [any CodingKey],
                                   userInfo: [CodingUserInfoKey: Any]) throws -> T {
        if T.self == MessagePackValue.self { return value as! T }
        // Common leaves (elements of `[String]`, values of `[String: Int]`) without a decoder each.
        if T.self == String.self { return try string(from: value, codingPath()) as! T }
        if T.self == Int.self { return try integer(Int.self, from: value, codingPath()) as! T }
        if T.self == Double.self { return try double(from: value, codingPath()) as! T }
        if T.self == Bool.self { return try bool(from: value, codingPath()) as! T }
        if T.self == Date.self { return try date(from: value, codingPath()) as! T }
        if T.self == MessagePackTimestamp.self { return try timestamp(from: value, codingPath()) as! T }
        if T.self == Data.self, case .binary(let bytes) = value { return Data(bytes) as! T }
        if T.self == URL.self {
            guard case .string(let text) = value, let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "Expected a URL string but found \(describe(value))"))
            }
            return url as! T
        }
        // Collections in one pass, without a container.
        if let dictionary = T.self as? any _StringKeyedDictionary.Type {
            return try dictionary.init(pairsOf: value, codingPath: codingPath(), userInfo: userInfo) as! T
        }
        if let array = T.self as? any _DecodableArray.Type {
            return try array.init(elementsOf: value, codingPath: codingPath(), userInfo: userInfo) as! T
        }
        return try T(from: _MessagePackDecoderImpl(value: value, codingPath: codingPath(), userInfo: userInfo))
    }

    // The helpers below take the coding path as an autoclosure: callers pass
    // `codingPath.appending(key)`, which allocates, and only an error needs it.

    static func date(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Date {
        switch value {
        case .timestamp(let timestamp): return Date(timestamp)
        case .int(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .uint(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .float64(let seconds): return Date(timeIntervalSince1970: seconds)
        case .float32(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .string(let text):
            guard let timestamp = MessagePackTimestamp(iso8601: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "The str \(text.debugDescription) is not an ISO 8601 UTC date like 2025-12-22T19:46:53Z"))
            }
            return Date(timestamp)
        default: throw mismatch(Date.self, value, codingPath())
        }
    }

    static func timestamp(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> MessagePackTimestamp {
        switch value {
        case .timestamp(let timestamp): return timestamp
        case .string(let text):
            guard let timestamp = MessagePackTimestamp(iso8601: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "The str \(text.debugDescription) is not an ISO 8601 UTC date like 2025-12-22T19:46:53Z"))
            }
            return timestamp
        case .int, .uint:
            return MessagePackTimestamp(seconds: try integer(Int64.self, from: value, codingPath()))
        default: throw mismatch(MessagePackTimestamp.self, value, codingPath())
        }
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> I {
        let result: I?
        switch value {
        case .int(let integer): result = I(exactly: integer)
        case .uint(let integer): result = I(exactly: integer)
        case .float64(let float): result = I(exactly: float)
        case .float32(let float): result = I(exactly: float)
        default: throw mismatch(I.self, value, codingPath())
        }
        guard let result else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "The number \(value) does not fit in \(I.self)"))
        }
        return result
    }

    static func double(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Double {
        guard let double = value.doubleValue else { throw mismatch(Double.self, value, codingPath()) }
        return double
    }

    static func float(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Float {
        switch value {
        case .float32(let float): return float
        case .float64(let double):
            let float = Float(double)
            guard float.isFinite || !double.isFinite else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath(), debugDescription: "The number \(double) does not fit in Float"))
            }
            return float
        case .int(let integer): return Float(integer)
        case .uint(let integer): return Float(integer)
        default: throw mismatch(Float.self, value, codingPath())
        }
    }

    static func bool(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, codingPath()) }
        return flag
    }

    static func string(from value: MessagePackValue, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath()) }
        return text
    }

    /// The text a map key stands for as a coding key: a str, or an integer as decimal text.
    static func keyText(_ key: MessagePackValue) -> String? {
        switch key {
        case .string(let text): text
        case .int(let integer): String(integer)
        case .uint(let integer): String(integer)
        default: nil
        }
    }

    static func mismatch(_ type: Any.Type, _ value: MessagePackValue, _ codingPath: [any CodingKey]) -> DecodingError {
        if value.isNil {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Expected \(type) but found nil"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Expected \(type) but found \(describe(value))"))
    }

    /// Names a value's kind for error messages, with a short preview.
    static func describe(_ value: MessagePackValue) -> String {
        switch value {
        case .nil: "nil"
        case .bool(let flag): "the bool \(flag)"
        case .int, .uint: "the integer \(value)"
        case .float32(let float): "the float32 \(float)"
        case .float64(let double): "the float64 \(double)"
        case .string(let text): "a str (\(text.prefix(40).debugDescription))"
        case .binary(let bytes): "a bin of \(bytes.count) bytes"
        case .array(let elements): "an array of \(elements.count) elements"
        case .map(let pairs): "a map of \(pairs.count) pairs"
        case .ext(let type, let data): "an extension of type \(type) with \(data.count) bytes"
        case .timestamp(let timestamp): "the timestamp \(timestamp.iso8601)"
        }
    }
}

extension _MessagePackDecoderImpl: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNil }
    func decode(_ type: Bool.Type) throws -> Bool { try Self.bool(from: value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Self.string(from: value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Self.double(from: value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try Self.float(from: value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.integer(type, from: value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.integer(type, from: value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Self.lift(type, from: value, codingPath: codingPath, userInfo: userInfo)
    }
}

/// Reads a struct's (or a dictionary's) keys from a map's pairs.
///
/// Keys are strs; integer keys are also accepted, as their decimal text, so maps written with
/// integer keys by other tools decode into `[Int: T]`. When a key repeats, the first pair wins.
struct _KeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let pairs: MessagePackMap
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    /// Positions by key text, built for maps large enough that scanning would cost more. (A
    /// decoded map's keys are compared as bytes, without making `String`s, so scanning stays
    /// cheaper than building this for a few dozen keys.)
    private let index: [String: Int]?

    init(pairs: MessagePackMap, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.pairs = pairs
        self.codingPath = codingPath
        self.userInfo = userInfo
        if pairs.count > 32 {
            var index: [String: Int] = [:]
            index.reserveCapacity(pairs.count)
            for position in pairs.indices {
                if let text = _MessagePackDecoderImpl.keyText(pairs.key(at: position)), index[text] == nil { index[text] = position }
            }
            self.index = index
        } else {
            self.index = nil
        }
    }

    var allKeys: [Key] {
        pairs.indices.compactMap { position in _MessagePackDecoderImpl.keyText(pairs.key(at: position)).flatMap { Key(stringValue: $0) } }
    }

    /// The value of the key: the first pair with that str key, else the first with an integer key
    /// of that text.
    private func find(_ key: Key) -> MessagePackValue? {
        find(text: key.stringValue)
    }

    private func find(text: String) -> MessagePackValue? {
        if let index { return index[text].map { pairs.value(at: $0) } }
        if let position = pairs.firstIndex(ofStringKey: text) { return pairs.value(at: position) }
        for position in pairs.indices {
            let key = pairs.key(at: position)
            switch key {
            case .int, .uint: if _MessagePackDecoderImpl.keyText(key) == text { return pairs.value(at: position) }
            default: continue
            }
        }
        return nil
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    private func value(_ key: Key) throws -> MessagePackValue {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for the key \(key.stringValue.debugDescription)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNil }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try _MessagePackDecoderImpl.bool(from: value(key), codingPath.appending(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try _MessagePackDecoderImpl.string(from: value(key), codingPath.appending(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try _MessagePackDecoderImpl.double(from: value(key), codingPath.appending(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try _MessagePackDecoderImpl.float(from: value(key), codingPath.appending(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    private func integer<I: FixedWidthInteger>(_ type: I.Type, _ key: Key) throws -> I {
        try _MessagePackDecoderImpl.integer(type, from: value(key), codingPath.appending(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try _MessagePackDecoderImpl.lift(type, from: value(key), codingPath: codingPath.appending(key), userInfo: userInfo)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try _MessagePackDecoderImpl(value: value(key), codingPath: codingPath.appending(key), userInfo: userInfo).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try _MessagePackDecoderImpl(value: value(key), codingPath: codingPath.appending(key), userInfo: userInfo).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        _MessagePackDecoderImpl(value: find(text: "super") ?? .nil, codingPath: codingPath.appending(_AnyCodingKey.super), userInfo: userInfo)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        _MessagePackDecoderImpl(value: find(key) ?? .nil, codingPath: codingPath.appending(key), userInfo: userInfo)
    }
}

/// Reads an array's elements in order.
struct _UnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let elements: MessagePackArray
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    private(set) var currentIndex = 0

    init(elements: MessagePackArray, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.elements = elements
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: [any CodingKey] { codingPath.appending(_AnyCodingKey(index: currentIndex)) }

    /// Decodes the current element with `body` and moves past it only when that succeeds; `body`
    /// gets the element's coding path lazily (building it allocates, and only errors need it).
    private mutating func next<R>(_ type: Any.Type, _ body: (MessagePackValue, @autoclosure () -> [any CodingKey]) throws -> R) throws -> R {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(type, .init(codingPath: currentPath, debugDescription: "The array has only \(elements.count) elements"))
        }
        let result = try body(elements[currentIndex], currentPath)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(Any?.self, .init(codingPath: currentPath, debugDescription: "The array has only \(elements.count) elements"))
        }
        if elements[currentIndex].isNil {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type, _MessagePackDecoderImpl.bool) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type, _MessagePackDecoderImpl.string) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type, _MessagePackDecoderImpl.double) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type, _MessagePackDecoderImpl.float) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    private mutating func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        try next(type) { value, path in try _MessagePackDecoderImpl.integer(type, from: value, path()) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let userInfo = userInfo
        return try next(type) { value, path in try _MessagePackDecoderImpl.lift(type, from: value, codingPath: path(), userInfo: userInfo) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let userInfo = userInfo
        return try next([String: Any].self) { value, path in
            try _MessagePackDecoderImpl(value: value, codingPath: path(), userInfo: userInfo).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let userInfo = userInfo
        return try next([Any].self) { value, path in
            try _MessagePackDecoderImpl(value: value, codingPath: path(), userInfo: userInfo).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        let userInfo = userInfo
        return try next(Any.self) { value, path in _MessagePackDecoderImpl(value: value, codingPath: path(), userInfo: userInfo) }
    }
}
