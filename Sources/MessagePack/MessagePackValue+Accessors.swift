extension MessagePackValue {
    /// Whether the value is nil.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// The boolean, or nil when the value is not a bool.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The integer as `Int64`: an `.int`, or a `.uint` up to `Int64.max`; nil otherwise
    /// (floats are not converted).
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .uint(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The integer as `UInt64`: a `.uint`, or a non-negative `.int`; nil otherwise.
    public var uintValue: UInt64? {
        switch self {
        case .uint(let value): value
        case .int(let value): UInt64(exactly: value)
        default: nil
        }
    }

    /// The number as a `Double`: a float of either width, or an integer (rounded to the nearest
    /// `Double` when it has more than 53 significant bits); nil for anything else.
    public var doubleValue: Double? {
        switch self {
        case .float64(let value): value
        case .float32(let value): Double(value)
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        default: nil
        }
    }

    /// The text of a str, or nil.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The bytes of a bin, or nil.
    public var binaryValue: [UInt8]? {
        if case .binary(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or nil.
    public var arrayValue: MessagePackArray? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The key/value pairs of a map, in order, or nil.
    public var mapValue: MessagePackMap? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The type and bytes of an extension (not a timestamp), or nil.
    public var extValue: (type: Int8, data: [UInt8])? {
        if case let .ext(type, data) = self { return (type, data) }
        return nil
    }

    /// The timestamp, or nil.
    public var timestampValue: MessagePackTimestamp? {
        if case .timestamp(let value) = self { return value }
        return nil
    }

    /// The number of elements of an array or pairs of a map, or nil for other values.
    public var count: Int? {
        switch self {
        case .array(let elements): elements.count
        case .map(let pairs): pairs.count
        default: nil
        }
    }

    /// The value of the first pair whose key is the str `key`, when this is a map; else nil.
    ///
    /// ```swift
    /// manifest["git"]?["commit"]?.stringValue
    /// ```
    public subscript(key: String) -> MessagePackValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs[key]
    }

    /// The value of the first pair whose key equals `key` (any value), when this is a map; else nil.
    public subscript(key key: MessagePackValue) -> MessagePackValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The element at `index` when this is an array and the index is in range; else nil.
    public subscript(index: Int) -> MessagePackValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
