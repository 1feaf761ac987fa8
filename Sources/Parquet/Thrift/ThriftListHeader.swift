/// The header of a Thrift compact list or set: element type and count.
package struct ThriftListHeader: Sendable, Equatable {
    /// The wire type of every element; `.stop` only for an empty list written as `0x00`.
    package var elementType: ThriftType
    /// The number of elements; never more than the bytes left to read.
    package var count: Int

    /// Creates a list header.
    package init(elementType: ThriftType, count: Int) {
        self.elementType = elementType
        self.count = count
    }
}
