/// An error from reading or writing a Parquet file.
///
/// Every error has the package's one error shape: what kind of failure it is (``code``), what
/// happened (``message``), where (``location``: file, row group, column, page, byte offset,
/// whichever are known), what to do next (``recovery``) and the error that caused it
/// (``underlying``). Malformed input always surfaces as a `ParquetError`; the reader never traps
/// on file data.
///
/// ```swift
/// do { _ = try ParquetReader(path: "metrics.parquet").readTable() }
/// catch let error as ParquetError where error.code == .corrupt {
///     print(error)   // metrics.parquet, row group 0, column 'loss', page 3: … Rewrite it from its source
/// }
/// ```
public struct ParquetError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure an error is, for code that reacts to some of them. A struct over a
    /// private enum, so adding a code breaks no client.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case corrupt, unsupported, codecUnavailable, invalidArgument, limitExceeded, io
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not a valid Parquet file or violate the specification.
        public static let corrupt = Code(.corrupt)
        /// The file is valid but uses a feature this library does not read or write.
        public static let unsupported = Code(.unsupported)
        /// A codec's library could not be loaded at run time.
        public static let codecUnavailable = Code(.codecUnavailable)
        /// The caller passed something inconsistent (a schema mismatch, an unknown column).
        public static let invalidArgument = Code(.invalidArgument)
        /// A claimed size exceeds a configured limit.
        public static let limitExceeded = Code(.limitExceeded)
        /// The operating system reported an error while reading or writing.
        public static let io = Code(.io)

        /// The code's name, e.g. `corrupt`.
        public var description: String {
            switch value {
            case .corrupt: "corrupt"
            case .unsupported: "unsupported"
            case .codecUnavailable: "codecUnavailable"
            case .invalidArgument: "invalidArgument"
            case .limitExceeded: "limitExceeded"
            case .io: "io"
            }
        }

        /// What to do next, when the kind of failure alone says it.
        var advice: String? {
            switch value {
            case .corrupt: "The file is damaged or was not written completely; rewrite it from its source"
            case .unsupported: "Convert the file with another tool (for example pyarrow) to a supported encoding or type"
            case .codecUnavailable: "Install the codec's shared library (for example the Debian package libzstd1, liblz4-1 or libbrotli1)"
            case .invalidArgument, .limitExceeded, .io: nil
            }
        }
    }

    /// Where in a file an error was found. Fields are nil when not known.
    public struct Location: Sendable, Equatable {
        /// The file's path.
        public var file: String?
        /// The row group's index.
        public var rowGroup: Int?
        /// The column's dotted path.
        public var column: String?
        /// The page's index within its column chunk.
        public var page: Int?
        /// A byte offset: in the file, or within the structure named by `message`.
        public var offset: Int?

        /// Creates a location; every field defaults to unknown.
        public init(file: String? = nil, rowGroup: Int? = nil, column: String? = nil, page: Int? = nil, offset: Int? = nil) {
            self.file = file
            self.rowGroup = rowGroup
            self.column = column
            self.page = page
            self.offset = offset
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, in one sentence.
    public var message: String
    /// Where it happened.
    public var location: Location
    /// What to do next; by default what the code advises (nil when it advises nothing).
    public var recovery: String?
    /// The underlying error, if another error caused this one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error; `recovery` defaults to the code's advice.
    public init(_ code: Code, _ message: String, location: Location = Location(), recovery: String? = nil,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.recovery = recovery ?? code.advice
        self.underlying = underlying
    }

    /// Returns a copy whose location fields that are still unknown are filled from `outer`.
    public func adding(_ outer: Location) -> ParquetError {
        var copy = self
        copy.location.file = copy.location.file ?? outer.file
        copy.location.rowGroup = copy.location.rowGroup ?? outer.rowGroup
        copy.location.column = copy.location.column ?? outer.column
        copy.location.page = copy.location.page ?? outer.page
        copy.location.offset = copy.location.offset ?? outer.offset
        return copy
    }

    /// A line for people: the place, what happened and what to do next.
    public var description: String {
        var place: [String] = []
        if let file = location.file { place.append(file) }
        if let rowGroup = location.rowGroup { place.append("row group \(rowGroup)") }
        if let column = location.column { place.append("column '\(column)'") }
        if let page = location.page { place.append("page \(page)") }
        if let offset = location.offset { place.append("byte \(offset)") }
        var text = place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
        if let underlying { text += " (\(underlying))" }
        if let recovery { text += ". " + recovery }
        return text
    }
}

extension ParquetError {
    /// A `corrupt` error at a byte offset.
    package static func corrupt(_ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError(.corrupt, message, location: Location(offset: offset))
    }

    /// An `unsupported` error.
    package static func unsupported(_ message: String) -> ParquetError {
        ParquetError(.unsupported, message)
    }
}
