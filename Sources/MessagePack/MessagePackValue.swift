/// One MessagePack value: nil, a boolean, an integer, a float, a str, a bin, an array, a map
/// (keys in order), an extension, or a timestamp.
///
/// Values are plain data: build them with literals, read them with the accessors, turn them into
/// bytes with ``encoded()`` and back with ``init(decoding:options:)``. A decoded array or map
/// (``MessagePackArray``, ``MessagePackMap``) makes its elements when they are read.
///
/// ```swift
/// let manifest: MessagePackValue = [
///     "format": "specimen.run/1",
///     "params": ["lr": 0.001, "layers": 4],
///     "tags": ["baseline"],
/// ]
/// let bytes = manifest.encoded()
/// let back = try MessagePackValue(decoding: bytes)
/// back["params"]?["layers"]?.intValue    // 4
/// ```
///
/// Integers: the reader gives `.int` for every integer that fits in `Int64` and `.uint` only for
/// those above `Int64.max`; `.int(5)` and `.uint(5)` are equal and hash alike, whichever you build.
/// Floats: two floats are equal when they are numerically equal (so `0.0 == -0.0`) or both NaN;
/// a `.float32` never equals a `.float64`. Maps compare pair by pair, in order.
public enum MessagePackValue: Sendable {
    /// nil (`0xc0`).
    case `nil`
    /// true or false (`0xc3`, `0xc2`).
    case bool(Bool)
    /// A signed integer; written in the shortest form (unsigned formats when non-negative).
    case int(Int64)
    /// An unsigned integer; written in the shortest form.
    case uint(UInt64)
    /// A 32-bit float (`0xca`), kept at that width.
    case float32(Float)
    /// A 64-bit float (`0xcb`).
    case float64(Double)
    /// A str: UTF-8 text.
    case string(String)
    /// A bin: raw bytes.
    case binary([UInt8])
    /// An array of values.
    case array(MessagePackArray)
    /// A map, as its key/value pairs in order; keys may be any value and may repeat.
    case map(MessagePackMap)
    /// An extension value other than a timestamp: an application type (0…127; −128…−2 are
    /// reserved by the spec) and its bytes.
    case ext(type: Int8, data: [UInt8])
    /// The timestamp extension (type −1).
    case timestamp(MessagePackTimestamp)

    /// An array of `elements`.
    public static func array(_ elements: [MessagePackValue]) -> MessagePackValue {
        .array(MessagePackArray(elements))
    }

    /// A map of `pairs`, in their order.
    public static func map(_ pairs: [(key: MessagePackValue, value: MessagePackValue)]) -> MessagePackValue {
        .map(MessagePackMap(pairs))
    }
}

extension MessagePackValue: Equatable {
    /// Whether two values are equal: see the type's documentation for integers, floats and maps.
    public static func == (lhs: MessagePackValue, rhs: MessagePackValue) -> Bool {
        switch (lhs, rhs) {
        case (.nil, .nil): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.uint(a), .uint(b)): return a == b
        case let (.int(a), .uint(b)): return a >= 0 && UInt64(a) == b
        case let (.uint(a), .int(b)): return b >= 0 && a == UInt64(b)
        case let (.float32(a), .float32(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.float64(a), .float64(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.binary(a), .binary(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.map(a), .map(b)): return a == b
        case let (.ext(typeA, dataA), .ext(typeB, dataB)): return typeA == typeB && dataA == dataB
        case let (.timestamp(a), .timestamp(b)): return a == b
        default: return false
        }
    }
}

extension MessagePackValue: Hashable {
    /// Hashes the value consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .nil:
            hasher.combine(0 as UInt8)
        case .bool(let value):
            hasher.combine(1 as UInt8); hasher.combine(value)
        case .int(let value):
            hasher.combine(2 as UInt8)
            if value >= 0 { hasher.combine(UInt64(value)) } else { hasher.combine(value) }
        case .uint(let value):
            hasher.combine(2 as UInt8); hasher.combine(value)
        case .float32(let value):
            hasher.combine(3 as UInt8)
            if value.isNaN { hasher.combine(Float.nan.bitPattern) } else { hasher.combine(value == 0 ? 0 : value) }
        case .float64(let value):
            hasher.combine(4 as UInt8)
            if value.isNaN { hasher.combine(Double.nan.bitPattern) } else { hasher.combine(value == 0 ? 0 : value) }
        case .string(let value):
            hasher.combine(5 as UInt8); hasher.combine(value)
        case .binary(let value):
            hasher.combine(6 as UInt8); hasher.combine(value)
        case .array(let value):
            hasher.combine(7 as UInt8); hasher.combine(value)
        case .map(let value):
            hasher.combine(8 as UInt8); hasher.combine(value)
        case let .ext(type, data):
            hasher.combine(9 as UInt8); hasher.combine(type); hasher.combine(data)
        case .timestamp(let value):
            hasher.combine(10 as UInt8); hasher.combine(value)
        }
    }
}
