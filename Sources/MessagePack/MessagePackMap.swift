/// The key/value pairs of a MessagePack map, in the order they were written: a random-access
/// collection of `(key:value:)` indexed from 0. Keys may be any value and may repeat.
///
/// A map you build holds its pairs. A map that ``MessagePackReader`` decoded holds the decoded
/// document and makes each key and value when it is read, so the decoded document is one
/// allocation however many values it has, and looking a str key up (``subscript(_:)``) compares bytes without
/// making any `String`. Either way it is a value: it does not change, and a decoded one keeps its
/// whole document alive while it lives.
///
/// ```swift
/// let params: MessagePackMap = ["lr": 0.001, "layers": 4]
/// params["layers"]?.intValue          // 4
/// for (key, value) in params { print(key, value) }
/// ```
public struct MessagePackMap: RandomAccessCollection, Sendable {
    /// One pair of the map.
    public typealias Element = (key: MessagePackValue, value: MessagePackValue)

    // A decoded document is never changed after it is made, so sharing it across threads is safe.
    enum Storage: @unchecked Sendable {
        case pairs([Element])
        /// The map node at `node` of `document`.
        case decoded(DecodedDocument, node: Int)
    }

    let storage: Storage

    /// An empty map.
    public init() {
        storage = .pairs([])
    }

    /// A map of `pairs`, in their order.
    public init(_ pairs: some Sequence<Element>) {
        storage = .pairs(Array(pairs))
    }

    init(document: DecodedDocument, node: Int) {
        storage = .decoded(document, node: node)
    }

    /// 0.
    public var startIndex: Int { 0 }

    /// The number of pairs.
    public var endIndex: Int {
        switch storage {
        case .pairs(let pairs): pairs.count
        case .decoded(let document, let node): Int(document.node(node).count)
        }
    }

    /// The pair at `position`, which must be in `0 ..< count`.
    public subscript(position: Int) -> Element {
        switch storage {
        case .pairs(let pairs):
            return pairs[position]
        case .decoded(let document, let node):
            let key = Self.keyNode(document, node, position)
            return (document.value(at: key), document.value(at: key + 1))
        }
    }

    /// The key of the pair at `position`, which must be in `0 ..< count`.
    public func key(at position: Int) -> MessagePackValue {
        switch storage {
        case .pairs(let pairs): return pairs[position].key
        case .decoded(let document, let node): return document.value(at: Self.keyNode(document, node, position))
        }
    }

    /// The value of the pair at `position`, which must be in `0 ..< count`.
    public func value(at position: Int) -> MessagePackValue {
        switch storage {
        case .pairs(let pairs): return pairs[position].value
        case .decoded(let document, let node): return document.value(at: Self.keyNode(document, node, position) + 1)
        }
    }

    /// The index of the key node of the pair at `position` of the map node `node`.
    @inline(__always)
    private static func keyNode(_ document: DecodedDocument, _ node: Int, _ position: Int) -> Int {
        let map = document.node(node)
        precondition(position >= 0 && position < Int(map.count), "MessagePackMap: index out of range")
        return map.firstChild + 2 * position
    }

    /// The value of the first pair whose key is the str `key`, or nil when there is none.
    public subscript(key: String) -> MessagePackValue? {
        firstIndex(ofStringKey: key).map { value(at: $0) }
    }

    /// The position of the first pair whose key is the str `key`, or nil when there is none.
    public func firstIndex(ofStringKey key: String) -> Int? {
        switch storage {
        case .pairs(let pairs):
            return pairs.firstIndex { pair in
                if case .string(let candidate) = pair.key { return candidate == key }
                return false
            }
        case .decoded(let document, let node):
            var key = key
            return key.withUTF8 { utf8 in
                let map = document.node(node)
                for position in 0 ..< Int(map.count) where document.isString(at: map.firstChild + 2 * position, equalTo: utf8) {
                    return position
                }
                return nil
            }
        }
    }

    /// The keys, in order.
    public var keys: LazyMapSequence<MessagePackMap, MessagePackValue> { lazy.map(\.key) }

    /// The values, in order.
    public var values: LazyMapSequence<MessagePackMap, MessagePackValue> { lazy.map(\.value) }
}

extension MessagePackMap: ExpressibleByDictionaryLiteral {
    /// A map of the literal's pairs, in the order written.
    public init(dictionaryLiteral elements: (MessagePackValue, MessagePackValue)...) {
        storage = .pairs(elements.map { (key: $0.0, value: $0.1) })
    }
}

extension MessagePackMap: Hashable {
    /// Whether both maps have equal pairs in the same order.
    public static func == (lhs: MessagePackMap, rhs: MessagePackMap) -> Bool {
        if case let (.decoded(a, nodeA), .decoded(b, nodeB)) = (lhs.storage, rhs.storage), a === b, nodeA == nodeB {
            return true
        }
        return lhs.elementsEqual(rhs) { $0.key == $1.key && $0.value == $1.value }
    }

    /// Hashes the pairs in order, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for pair in self {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}

extension MessagePackMap: CustomStringConvertible {
    /// The pairs as ``MessagePackValue/description`` shows a map.
    public var description: String { MessagePackValue.map(self).description }
}
