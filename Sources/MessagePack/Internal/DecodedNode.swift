/// One decoded value inside a ``DecodedDocument``: 16 bytes, no references.
///
/// ```
/// kind        count                      payload
/// nil, bool   —                          0 or 1
/// int, uint   —                          the integer's bits
/// float32/64  —                          the float's bits (a float32 in the low 32 bits)
/// str, bin    length in bytes            offset of the first byte in the document's bytes
/// ext         length in bytes            offset of the first byte      (extType: the type)
/// timestamp   nanoseconds                seconds (Int64 bits)
/// array       number of elements         index of the first element's node
/// map         number of pairs            index of the first key's node (keys and values alternate)
/// ```
///
/// A container's direct children are consecutive nodes, so the n-th element is found without
/// walking its siblings.
struct DecodedNode {
    enum Kind: UInt8 {
        case `nil`, bool, int, uint, float32, float64, string, binary, array, map, ext, timestamp
    }

    var kind: Kind
    var extType: Int8
    var count: UInt32
    var payload: UInt64

    @inline(__always)
    init(_ kind: Kind, count: UInt32 = 0, payload: UInt64 = 0, extType: Int8 = 0) {
        self.kind = kind
        self.extType = extType
        self.count = count
        self.payload = payload
    }

    /// The index of a container's first child (its first element, or its first key).
    @inline(__always)
    var firstChild: Int { Int(truncatingIfNeeded: payload) }

    /// The number of child nodes of a container: its elements, or twice its pairs.
    @inline(__always)
    var childCount: Int { kind == .map ? Int(count) &* 2 : Int(count) }

    /// The value of a node that is not a container, with its bytes (str, bin, ext) read from
    /// `bytes`, which the node's offsets index. Strs were validated when they were read.
    @inline(__always)
    func leafValue(bytes: UnsafeRawPointer?) -> MessagePackValue {
        switch kind {
        case .nil: return .nil
        case .bool: return .bool(payload != 0)
        case .int: return .int(Int64(bitPattern: payload))
        case .uint: return .uint(payload)
        case .float32: return .float32(Float(bitPattern: UInt32(truncatingIfNeeded: payload)))
        case .float64: return .float64(Double(bitPattern: payload))
        case .string:
            return .string(String(decoding: self.bytes(in: bytes), as: UTF8.self))
        case .binary: return .binary([UInt8](self.bytes(in: bytes)))
        case .ext: return .ext(type: extType, data: [UInt8](self.bytes(in: bytes)))
        case .timestamp:
            // The reader checked the nanoseconds.
            return .timestamp(MessagePackTimestamp(seconds: Int64(bitPattern: payload), nanoseconds: count))
        case .array, .map: preconditionFailure("DecodedNode.leafValue: a container is not a leaf")
        }
    }

    /// The bytes of a str, bin or ext node, in the document bytes at `bytes`.
    @inline(__always)
    func bytes(in bytes: UnsafeRawPointer?) -> UnsafeBufferPointer<UInt8> {
        guard let bytes else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: (bytes + Int(truncatingIfNeeded: payload)).assumingMemoryBound(to: UInt8.self),
                                   count: Int(count))
    }
}
