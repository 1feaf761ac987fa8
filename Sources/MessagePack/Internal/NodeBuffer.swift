/// The nodes of a document being read, before they move into a ``DecodedDocument``: first in
/// scratch memory the caller lends (on the stack), then, when that is full, in memory of its own.
///
/// Holds at most `limit` nodes: every value takes at least one byte, so a document of n bytes has
/// at most n values, and an input that claims more than its bytes can hold is refused before
/// anything is allocated for it.
struct NodeBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<DecodedNode>?
    private var capacity: Int
    /// Whether `base` was allocated here (and is freed on deinit), or lent by the caller.
    private var ownsBase = false
    /// The number of nodes reserved so far.
    private(set) var count = 0
    /// The most nodes the input's bytes could hold.
    let limit: Int

    init(scratch: UnsafeMutableBufferPointer<DecodedNode>, limit: Int) {
        self.base = scratch.baseAddress
        self.capacity = scratch.count
        self.limit = limit
    }

    deinit {
        if ownsBase { base?.deallocate() }
    }

    /// Reserves `slots` consecutive nodes and returns the index of the first, or nil when the
    /// input could not hold that many more values.
    @inline(__always)
    mutating func reserve(_ slots: Int) -> Int? {
        guard slots <= limit &- count else { return nil }
        let first = count
        count &+= slots
        if _slowPath(count > capacity) { grow() }
        return first
    }

    /// Stores `node` at `index`, which ``reserve(_:)`` returned.
    @inline(__always)
    mutating func store(_ node: DecodedNode, at index: Int) {
        base.unsafelyUnwrapped[index] = node
    }

    /// The nodes reserved so far (those not stored yet hold whatever was there).
    var nodes: UnsafeBufferPointer<DecodedNode> {
        UnsafeBufferPointer(start: base, count: count)
    }

    private mutating func grow() {
        let newCapacity = min(limit, max(count, capacity * 2, 64))
        let newBase = UnsafeMutablePointer<DecodedNode>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: capacity)
            if ownsBase { base.deallocate() }
        }
        base = newBase
        capacity = newCapacity
        ownsBase = true
    }
}
