/// What ``TableStacker/read(_:options:)`` made: the stacked table and the files it left out.
public struct StackResult: Sendable {
    /// One file left out: its position in the input, and why.
    public struct Failure: Sendable {
        /// The file's index in the files given.
        public var index: Int
        /// Why it was left out: the check's error, or the `ParquetError` that reading it threw.
        public var error: any Error & Sendable
    }

    /// Every readable file's rows, in the order given: the constant column first (when asked
    /// for), then the union of the files' columns in first-seen order, missing values null.
    public var table: Table
    /// The files that could not be read or failed the check, in input order.
    public var failures: [Failure]
}
