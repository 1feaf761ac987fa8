/// One field header of a Thrift compact struct: the field's id and wire type.
///
/// For booleans the value is part of the header (`boolValue`); no payload follows.
package struct ThriftFieldHeader: Sendable, Equatable {
    /// The field id from the IDL (absolute, already resolved from the delta).
    package var id: Int16
    /// The wire type of the value that follows.
    package var type: ThriftType
    /// The byte offset of the header, relative to the start of the buffer being read.
    package var offset: Int

    /// Creates a field header.
    package init(id: Int16, type: ThriftType, offset: Int) {
        self.id = id
        self.type = type
        self.offset = offset
    }

    /// The value of a boolean field, or nil when the field is not a boolean.
    @inlinable package var boolValue: Bool? {
        switch type {
        case .boolTrue: true
        case .boolFalse: false
        default: nil
        }
    }
}
