/// What ``MessagePackReader`` makes of an array or map: every value below it as a
/// ``DecodedNode``, and a copy of the bytes its strs, bins and extensions point into, together in
/// one allocation.
///
/// The ``MessagePackArray`` and ``MessagePackMap`` views of the decoded containers share it and
/// make each child value when it is read. A decoded document is therefore one allocation, however
/// many values it holds, and releasing it frees once. The document never changes after it is made.
final class DecodedDocument: ManagedBuffer<DecodedDocument.Header, DecodedNode> {
    /// The sizes of the two parts of the tail: nodes first, then bytes.
    struct Header {
        var nodeCount: Int
        var byteCount: Int
    }

    /// A document holding `nodes` (the root first) and a copy of `bytes`, which their offsets index.
    static func make(nodes: UnsafeBufferPointer<DecodedNode>, bytes: UnsafeRawBufferPointer) -> DecodedDocument {
        let byteSlots = (bytes.count + MemoryLayout<DecodedNode>.stride - 1) / MemoryLayout<DecodedNode>.stride
        let buffer = create(minimumCapacity: nodes.count + byteSlots) { _ in
            Header(nodeCount: nodes.count, byteCount: bytes.count)
        }
        let document = unsafeDowncast(buffer, to: DecodedDocument.self)
        document.withUnsafeMutablePointerToElements { elements in
            if let source = nodes.baseAddress { elements.initialize(from: source, count: nodes.count) }
            if let source = bytes.baseAddress {
                UnsafeMutableRawPointer(elements + nodes.count).copyMemory(from: source, byteCount: bytes.count)
            }
        }
        return document
    }

    /// Calls `body` with the nodes and the bytes. They stay valid as long as the document lives.
    ///
    /// (Through pointers: reading `header`, a stored property of a class, would check exclusive
    /// access at run time on every call.)
    @inline(__always)
    func withContents<R>(_ body: (UnsafePointer<DecodedNode>, UnsafeRawPointer) throws -> R) rethrows -> R {
        try withUnsafeMutablePointers { header, elements in
            try body(UnsafePointer(elements), UnsafeRawPointer(elements + header.pointee.nodeCount))
        }
    }

    /// The node at `index`.
    @inline(__always)
    func node(_ index: Int) -> DecodedNode {
        withUnsafeMutablePointerToElements { $0[index] }
    }

    /// The value of the node at `index`: a leaf made from the node, or a view of a container.
    func value(at index: Int) -> MessagePackValue {
        withContents { nodes, bytes in
            let node = nodes[index]
            switch node.kind {
            case .array: return .array(MessagePackArray(document: self, node: index))
            case .map: return .map(MessagePackMap(document: self, node: index))
            default: return node.leafValue(bytes: bytes)
            }
        }
    }

    /// Whether the node at `index` is a str whose bytes are the UTF-8 of `text`.
    @inline(__always)
    func isString(at index: Int, equalTo text: UnsafeBufferPointer<UInt8>) -> Bool {
        withContents { nodes, bytes in
            let node = nodes[index]
            guard node.kind == .string, Int(node.count) == text.count else { return false }
            guard let base = text.baseAddress else { return true }
            return bytesEqual(bytes + Int(truncatingIfNeeded: node.payload), base, count: text.count)
        }
    }
}

/// Whether the `count` bytes at `a` and at `b` are the same.
@inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
    var index = 0
    while index &+ 8 <= count {
        if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
            return false
        }
        index &+= 8
    }
    while index < count {
        if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
        index &+= 1
    }
    return true
}
