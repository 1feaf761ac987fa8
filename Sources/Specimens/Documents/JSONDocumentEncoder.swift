/// Encodes `Encodable` values as JSON text the way every `specimen … --json` document is
/// written: keys in the order they are encoded, integers exact, doubles as the shortest text
/// that reads back to the same value, non-finite numbers as `null`, and (when `pretty`) two
/// spaces of indentation with `"key": value`.
///
/// Foundation's `JSONEncoder` orders keys by hash unless told to sort them, so documents
/// written with it could not keep their documented key order; this encoder builds the value as a
/// small tree and writes it with ``JSONText``.
///
/// An optional encoded with `encode(_:forKey:)` is written as `null`; one encoded with
/// `encodeIfPresent(_:forKey:)` (what synthesized conformances do) is left out when nil.
///
/// ```swift
/// struct Point: Encodable { var x: Int; var label: String? }
/// try JSONDocumentEncoder(pretty: false).text(Point(x: 1, label: nil))   // {"x":1}
/// ```
public struct JSONDocumentEncoder: Sendable {
    /// Whether to break lines and indent nested values by two spaces.
    public var pretty: Bool

    /// Creates an encoder; `pretty` breaks lines and indents by two spaces.
    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    /// The JSON text of `value`.
    public func text(_ value: some Encodable) throws -> String {
        let root = JSONNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        var json = JSONText(pretty: pretty)
        root.write(to: &json)
        return json.text
    }

    /// Writes `value` into `json` where its next value goes (after a key, or as an array's
    /// next element), indented for the brackets already open, so a large document can be
    /// written piece by piece with documents' parts among hand-written ones.
    public func encode(_ value: some Encodable, into json: inout JSONText) throws {
        let root = JSONNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        root.write(to: &json)
    }
}

/// One value of the tree a document is encoded into; containers are filled after they are made,
/// so nodes are references.
final class JSONNode {
    /// What a node holds.
    enum Content {
        case empty, null, bool(Bool), integer(Int64), unsigned(UInt64), double(Double), float(Float), string(String)
        case array, object
    }

    var content: Content = .empty
    var elements: [JSONNode] = []
    var keys: [String] = []

    /// The node for `key` of this object, made (in order) when new, reused when encoded again.
    func child(_ key: String) -> JSONNode {
        content = .object
        if let index = keys.firstIndex(of: key) { return elements[index] }
        let node = JSONNode()
        keys.append(key)
        elements.append(node)
        return node
    }

    /// A new last element of this array.
    func appendElement() -> JSONNode {
        content = .array
        let node = JSONNode()
        elements.append(node)
        return node
    }

    /// Writes the node; an unfilled node (a container nobody wrote to) is `{}`.
    func write(to json: inout JSONText) {
        switch content {
        case .empty:
            json.beginObject(); json.endObject()
        case .null: json.appendNull()
        case .bool(let value): json.append(value)
        case .integer(let value): json.append(value)
        case .unsigned(let value): json.append(value)
        case .double(let value): json.append(value)
        case .float(let value): json.append(value)
        case .string(let value): json.append(value)
        case .array:
            json.beginArray()
            for element in elements { element.write(to: &json) }
            json.endArray()
        case .object:
            json.beginObject()
            for (key, element) in zip(keys, elements) {
                json.key(key)
                element.write(to: &json)
            }
            json.endObject()
        }
    }
}

/// A coding key made from a string or an array position.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The `Encoder` handed to each value: it writes into one node.
private struct NodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.content = .object
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.content = .array
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Encodes a value into `node`: scalars directly, everything else through its own `encode(to:)`.
private func encodeValue(_ value: some Encodable, into node: JSONNode, codingPath: [any CodingKey]) throws {
    switch value {
    case let value as String: node.content = .string(value)
    case let value as Double: node.content = value.isFinite ? .double(value) : .null
    case let value as Int: node.content = .integer(Int64(value))
    case let value as Int64: node.content = .integer(value)
    case let value as Bool: node.content = .bool(value)
    default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.child(key.stringValue).content = .null
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeValue(value, into: node.child(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(key.stringValue)
        child.content = .object
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(key.stringValue)
        child.content = .array
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int { node.elements.count }

    private var nextPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: count)] }

    mutating func encodeNil() throws {
        node.appendElement().content = .null
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try encodeValue(value, into: node.appendElement(), codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let child = node.appendElement()
        child.content = .object
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let child = node.appendElement()
        child.content = .array
        return UnkeyedNodeContainer(node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return NodeEncoder(node: node.appendElement(), codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .null }
    mutating func encode(_ value: Bool) throws { node.content = .bool(value) }
    mutating func encode(_ value: String) throws { node.content = .string(value) }
    mutating func encode(_ value: Double) throws { node.content = value.isFinite ? .double(value) : .null }
    mutating func encode(_ value: Float) throws { node.content = value.isFinite ? .float(value) : .null }
    mutating func encode(_ value: Int) throws { node.content = .integer(Int64(value)) }
    mutating func encode(_ value: Int8) throws { node.content = .integer(Int64(value)) }
    mutating func encode(_ value: Int16) throws { node.content = .integer(Int64(value)) }
    mutating func encode(_ value: Int32) throws { node.content = .integer(Int64(value)) }
    mutating func encode(_ value: Int64) throws { node.content = .integer(value) }
    mutating func encode(_ value: UInt) throws { node.content = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { node.content = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { node.content = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { node.content = .unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { node.content = .unsigned(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeValue(value, into: node, codingPath: codingPath)
    }
}
