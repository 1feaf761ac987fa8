extension MessagePackValue {
    /// Reads the one value that `bytes` hold, as ``MessagePackReader/readValue(from:options:)-([UInt8],_)`` does.
    ///
    /// ```swift
    /// let manifest = try MessagePackValue(decoding: bytes)
    /// ```
    public init(decoding bytes: [UInt8], options: MessagePackReader.Options = .init()) throws(MessagePackError) {
        self = try MessagePackReader.readValue(from: bytes, options: options)
    }

    /// The value as MessagePack bytes, in the shortest form (see ``MessagePackWriter``).
    public func encoded() -> [UInt8] {
        TreeEncoder.encode(self)
    }
}
