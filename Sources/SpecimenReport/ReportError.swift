/// Why a report could not be made: what happened, where, and what to do next.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; new codes may be added without breaking clients.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String { case noSpecimens, unwritable, unknownRun }
        private let kind: Kind
        /// The folder of specimens holds none.
        public static let noSpecimens = Code(kind: .noSpecimens)
        /// The output file or folder could not be written.
        public static let unwritable = Code(kind: .unwritable)
        /// A requested run is not in the specimen.
        public static let unknownRun = Code(kind: .unknownRun)
        /// The code's name.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened.
    public var message: String
    /// The file or folder concerned.
    public var path: String
    /// What to do next.
    public var recovery: String

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String, recovery: String) {
        self.code = code
        self.message = message
        self.path = path
        self.recovery = recovery
    }

    /// `message (path): recovery`.
    public var description: String { "\(message) (\(path)). \(recovery)" }
}
