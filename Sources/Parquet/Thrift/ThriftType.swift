/// A Thrift compact-protocol type id: the low nibble of a field header or list header.
///
/// Field headers use 1 and 2 for booleans (the value lives in the header); list, set and map
/// headers use either for a boolean element (arrow-rs accepts both, so do we).
package enum ThriftType: UInt8, Sendable, CustomStringConvertible {
    /// The end of a struct (field headers only).
    case stop = 0
    /// A boolean field whose value is `true`; as an element type, any boolean.
    case boolTrue = 1
    /// A boolean field whose value is `false`; as an element type, any boolean.
    case boolFalse = 2
    /// A single raw byte.
    case i8 = 3
    /// A zigzag varint that fits in 16 bits.
    case i16 = 4
    /// A zigzag varint that fits in 32 bits; also every enum.
    case i32 = 5
    /// A zigzag varint that fits in 64 bits.
    case i64 = 6
    /// 8 bytes, IEEE 754, little-endian.
    case double = 7
    /// A varint length followed by that many bytes; also every string.
    case binary = 8
    /// A list header followed by its elements.
    case list = 9
    /// A set: encoded exactly like a list.
    case set = 10
    /// A map header followed by key-value pairs.
    case map = 11
    /// Fields followed by a stop byte; also unions.
    case `struct` = 12
    /// 16 raw bytes.
    case uuid = 13

    /// Whether this is one of the two boolean type ids.
    @inlinable package var isBool: Bool { self == .boolTrue || self == .boolFalse }

    /// The protocol's name for the type, for error messages.
    package var description: String {
        switch self {
        case .stop: "stop"
        case .boolTrue, .boolFalse: "bool"
        case .i8: "i8"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .struct: "struct"
        case .uuid: "uuid"
        }
    }

    /// Whether `other` is the same wire type, counting both boolean ids as one.
    @inlinable package func matches(_ other: ThriftType) -> Bool {
        self == other || (isBool && other.isBool)
    }
}
