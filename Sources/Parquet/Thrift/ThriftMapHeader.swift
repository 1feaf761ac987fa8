/// The header of a Thrift compact map: key type, value type and count.
package struct ThriftMapHeader: Sendable, Equatable {
    /// The wire type of every key; `.stop` for an empty map.
    package var keyType: ThriftType
    /// The wire type of every value; `.stop` for an empty map.
    package var valueType: ThriftType
    /// The number of key-value pairs; never more than half the bytes left to read.
    package var count: Int

    /// Creates a map header.
    package init(keyType: ThriftType, valueType: ThriftType, count: Int) {
        self.keyType = keyType
        self.valueType = valueType
        self.count = count
    }
}
