extension MessagePackReader {
    /// The limits and choices of a ``MessagePackReader`` (and of ``MessagePackDecoder``).
    ///
    /// ```swift
    /// var options = MessagePackReader.Options()
    /// options.maximumDepth = 64           // refuse anything nested deeper
    /// options.allowsTrailingBytes = true  // read the first value, ignore what follows
    /// let value = try MessagePackReader.readValue(from: bytes, options: options)
    /// ```
    public struct Options: Hashable, Sendable {
        /// How many arrays and maps may be nested inside each other; the one that would go deeper
        /// is an error (`depthLimitExceeded`). Default 512. Reading recurses once per level, so a
        /// much larger limit needs a larger thread stack.
        public var maximumDepth: Int
        /// Whether bytes may follow the value when a whole input is read (``MessagePackReader/readTopLevelValue()``,
        /// ``MessagePackValue/init(decoding:options:)``, ``MessagePackDecoder``). Default false:
        /// trailing bytes are an error (`trailingBytes`), since they usually mean a corrupt file
        /// or a stream read as a single value.
        public var allowsTrailingBytes: Bool

        /// Creates options; the defaults are a depth limit of 512 and no trailing bytes.
        public init(maximumDepth: Int = 512, allowsTrailingBytes: Bool = false) {
            self.maximumDepth = maximumDepth
            self.allowsTrailingBytes = allowsTrailingBytes
        }
    }
}
