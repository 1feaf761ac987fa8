/// The elements of a MessagePack array, in order: a random-access collection of
/// ``MessagePackValue`` indexed from 0.
///
/// An array you build holds its values. An array that ``MessagePackReader`` decoded holds the
/// decoded document and makes each element when it is read (a str becomes a `String` then), so
/// the decoded document is one allocation however many values it has. Either way it is a value:
/// it does not change, and a decoded one keeps its whole document alive while it lives.
///
/// ```swift
/// let tags: MessagePackArray = ["baseline", "nightly"]
/// let value = MessagePackValue.array(tags)        // or simply .array(["baseline", "nightly"])
/// for tag in tags { print(tag.stringValue ?? "?") }
/// ```
public struct MessagePackArray: RandomAccessCollection, Sendable {
    // A decoded document is never changed after it is made, so sharing it across threads is safe.
    enum Storage: @unchecked Sendable {
        case values([MessagePackValue])
        /// The array node at `node` of `document`.
        case decoded(DecodedDocument, node: Int)
    }

    let storage: Storage

    /// An empty array.
    public init() {
        storage = .values([])
    }

    /// An array of `elements`.
    public init(_ elements: some Sequence<MessagePackValue>) {
        storage = .values(Array(elements))
    }

    init(document: DecodedDocument, node: Int) {
        storage = .decoded(document, node: node)
    }

    /// 0.
    public var startIndex: Int { 0 }

    /// The number of elements.
    public var endIndex: Int {
        switch storage {
        case .values(let values): values.count
        case .decoded(let document, let node): Int(document.node(node).count)
        }
    }

    /// The element at `position`, which must be in `0 ..< count`.
    public subscript(position: Int) -> MessagePackValue {
        switch storage {
        case .values(let values):
            return values[position]
        case .decoded(let document, let node):
            let array = document.node(node)
            precondition(position >= 0 && position < Int(array.count), "MessagePackArray: index out of range")
            return document.value(at: array.firstChild + position)
        }
    }
}

extension MessagePackArray: ExpressibleByArrayLiteral {
    /// An array of the literal's elements.
    public init(arrayLiteral elements: MessagePackValue...) {
        storage = .values(elements)
    }
}

extension MessagePackArray: Hashable {
    /// Whether both arrays have equal elements in the same order.
    public static func == (lhs: MessagePackArray, rhs: MessagePackArray) -> Bool {
        if case let (.decoded(a, nodeA), .decoded(b, nodeB)) = (lhs.storage, rhs.storage), a === b, nodeA == nodeB {
            return true
        }
        return lhs.elementsEqual(rhs)
    }

    /// Hashes the elements in order, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}

extension MessagePackArray: CustomStringConvertible {
    /// The elements as ``MessagePackValue/description`` shows an array.
    public var description: String { MessagePackValue.array(self).description }
}
