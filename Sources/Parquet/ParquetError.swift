/// An error from reading or writing a Parquet file.
///
/// Every error says what happened (`code`, `message`), where (`context`: file, row group,
/// column, page, byte offset, whichever are known) and, through `description`, what to do next.
/// Malformed input always surfaces as a `ParquetError`; the reader never traps on file data.
public struct ParquetError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The bytes are not a valid Parquet file or violate the specification.
        case corrupt
        /// The file is valid but uses a feature this library does not read or write.
        case unsupported
        /// A codec's library could not be loaded at run time.
        case codecUnavailable
        /// The caller passed something inconsistent (a schema mismatch, an unknown column).
        case invalidArgument
        /// A claimed size exceeds a configured limit.
        case limitExceeded
        /// The operating system reported an error while reading or writing.
        case io
    }

    /// Where in a file an error was found. Fields are nil when not known.
    public struct Context: Sendable, Equatable {
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

        /// Creates a context; every field defaults to unknown.
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
    public var context: Context
    /// The underlying error, if another error caused this one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, context: Context = Context(), underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
    }

    /// Returns a copy whose context fields that are still unknown are filled from `outer`.
    public func adding(_ outer: Context) -> ParquetError {
        var copy = self
        copy.context.file = copy.context.file ?? outer.file
        copy.context.rowGroup = copy.context.rowGroup ?? outer.rowGroup
        copy.context.column = copy.context.column ?? outer.column
        copy.context.page = copy.context.page ?? outer.page
        copy.context.offset = copy.context.offset ?? outer.offset
        return copy
    }

    /// A line for people: the place, what happened and what to do next.
    public var description: String {
        var place: [String] = []
        if let file = context.file { place.append(file) }
        if let rowGroup = context.rowGroup { place.append("row group \(rowGroup)") }
        if let column = context.column { place.append("column '\(column)'") }
        if let page = context.page { place.append("page \(page)") }
        if let offset = context.offset { place.append("byte \(offset)") }
        var text = place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
        if let underlying { text += " (\(underlying))" }
        if let hint { text += ". " + hint }
        return text
    }

    private var hint: String? {
        switch code {
        case .corrupt: return "The file is damaged or was not written completely; rewrite it from its source"
        case .unsupported: return "Convert the file with another tool (for example pyarrow) to a supported encoding or type"
        case .codecUnavailable: return "Install the codec's shared library (for example the Debian package libzstd1, liblz4-1 or libbrotli1)"
        case .invalidArgument, .limitExceeded, .io: return nil
        }
    }
}

extension ParquetError {
    /// A `corrupt` error at a byte offset.
    package static func corrupt(_ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError(.corrupt, message, context: Context(offset: offset))
    }

    /// An `unsupported` error.
    package static func unsupported(_ message: String) -> ParquetError {
        ParquetError(.unsupported, message)
    }
}
