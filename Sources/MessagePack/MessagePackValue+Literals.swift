extension MessagePackValue: ExpressibleByNilLiteral {
    /// `nil` as a literal is the MessagePack nil.
    public init(nilLiteral: ()) { self = .nil }
}

extension MessagePackValue: ExpressibleByBooleanLiteral {
    /// `true`/`false` as literals are bools.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension MessagePackValue: ExpressibleByIntegerLiteral {
    /// Integer literals are `.int` (use `.uint(…)` for values above `Int64.max`).
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension MessagePackValue: ExpressibleByFloatLiteral {
    /// Float literals are `.float64` (use `.float32(…)` for the narrow form).
    public init(floatLiteral value: Double) { self = .float64(value) }
}

extension MessagePackValue: ExpressibleByStringLiteral {
    /// String literals are strs.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension MessagePackValue: ExpressibleByArrayLiteral {
    /// Array literals are arrays.
    public init(arrayLiteral elements: MessagePackValue...) { self = .array(MessagePackArray(elements)) }
}

extension MessagePackValue: ExpressibleByDictionaryLiteral {
    /// Dictionary literals are maps, keeping the pairs in the order written.
    public init(dictionaryLiteral elements: (MessagePackValue, MessagePackValue)...) {
        self = .map(MessagePackMap(elements.map { (key: $0.0, value: $0.1) }))
    }
}
