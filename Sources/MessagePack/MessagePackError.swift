/// The error thrown when bytes are not valid MessagePack, or not what a reader's options allow.
///
/// Every error names what is wrong (``code``, ``reason``), where (``offset``, the byte offset in the
/// input of the item at fault) and, in ``description``, what to do next:
///
/// ```swift
/// do {
///     let value = try MessagePackValue(decoding: bytes)
/// } catch {
///     print(error)   // MessagePack: a str of 300 bytes runs past the end of the data (5 bytes remain) at byte offset 12. …
///     print(error.code == .lengthPastEnd, error.offset)
/// }
/// ```
///
/// Errors in the *shape* of a value while decoding a `Decodable` type (a missing key, a string
/// where a number was expected, an integer too large for `UInt8`) are reported, as with
/// Foundation's coders, as `DecodingError`; `MessagePackError` is about the bytes.
public struct MessagePackError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem an error is, for code that reacts to some of them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case truncated, lengthPastEnd, countExceedsRemaining, invalidUTF8, reservedByte
            case trailingBytes, depthLimitExceeded, invalidTimestamp, typeMismatch
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The data ends in the middle of a value (a missing format byte or a cut-off number).
        public static let truncated = Code(.truncated)
        /// A str, bin or ext declares a length that runs past the end of the data.
        public static let lengthPastEnd = Code(.lengthPastEnd)
        /// An array or map declares more elements than the remaining bytes could hold
        /// (every element takes at least one byte), so nothing is allocated for it.
        public static let countExceedsRemaining = Code(.countExceedsRemaining)
        /// A str holds bytes that are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// The byte 0xc1, which MessagePack never uses, appears where a value should start.
        public static let reservedByte = Code(.reservedByte)
        /// Bytes follow the value, and the reader's options do not allow them.
        public static let trailingBytes = Code(.trailingBytes)
        /// Arrays and maps are nested deeper than the reader's limit.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// An extension of type −1 (timestamp) has a length other than 4, 8 or 12 bytes, or more
        /// than 999 999 999 nanoseconds.
        public static let invalidTimestamp = Code(.invalidTimestamp)
        /// A value of another kind stands where a reader asked for a particular one (an array
        /// header, for ``MessagePackReader/readArrayHeader()``).
        public static let typeMismatch = Code(.typeMismatch)

        /// The code's name, e.g. `lengthPastEnd`.
        public var description: String {
            switch value {
            case .truncated: "truncated"
            case .lengthPastEnd: "lengthPastEnd"
            case .countExceedsRemaining: "countExceedsRemaining"
            case .invalidUTF8: "invalidUTF8"
            case .reservedByte: "reservedByte"
            case .trailingBytes: "trailingBytes"
            case .depthLimitExceeded: "depthLimitExceeded"
            case .invalidTimestamp: "invalidTimestamp"
            case .typeMismatch: "typeMismatch"
            }
        }

        /// What the person who sees the error can do about it.
        var advice: String {
            switch value {
            case .truncated, .lengthPastEnd, .countExceedsRemaining:
                "The data is cut short or corrupt: check that the whole file was written and copied (an interrupted write or transfer leaves it truncated), and use an intact copy."
            case .invalidUTF8:
                "The writer stored text that is not UTF-8 as a str: have it write such bytes as bin, or re-encode the text as UTF-8."
            case .reservedByte:
                "The data is corrupt or is not MessagePack: check that the file is the one you meant."
            case .trailingBytes:
                "The input holds more than one value or has garbage at the end: check the file, or read it with `allowsTrailingBytes` set to read the first value only."
            case .depthLimitExceeded:
                "Nesting this deep is almost always corrupt or hostile input; if it is intended, raise `maximumDepth` in the reader's options."
            case .invalidTimestamp:
                "Extension type -1 is reserved for timestamps: the writer produced a malformed one; fix the writer, or repair the value."
            case .typeMismatch:
                "The data does not have the layout its reader expects: check that the file is the one you meant and was written by a matching writer."
            }
        }
    }

    /// Where an error was found: the byte offset in the input and, when the caller knows it,
    /// the file the input came from.
    public struct Location: Hashable, Sendable {
        /// The file the bytes were read from, when known (the reader itself never knows it).
        public var file: String?
        /// The byte offset, in the input, of the item at fault (a value's first byte, the start
        /// of a str's bytes, or the first trailing byte).
        public var offset: Int

        /// Creates a location.
        public init(file: String? = nil, offset: Int) {
            self.file = file
            self.offset = offset
        }
    }

    /// What kind of problem this is.
    public var code: Code {
        get { fields.code }
        set { fields = Fields(newValue, fields.message, fields.location, fields.recovery, fields.underlying) }
    }
    /// What is wrong, in a sentence without the offset, e.g. "invalid UTF-8 in a str of 4 bytes".
    public var message: String {
        get { fields.message }
        set { fields = Fields(fields.code, newValue, fields.location, fields.recovery, fields.underlying) }
    }
    /// Where: the byte offset and, when known, the file.
    public var location: Location {
        get { fields.location }
        set { fields = Fields(fields.code, fields.message, newValue, fields.recovery, fields.underlying) }
    }
    /// What to do next; by default the code's advice.
    public var recovery: String {
        get { fields.recovery }
        set { fields = Fields(fields.code, fields.message, fields.location, newValue, fields.underlying) }
    }
    /// The error that caused this one; decoding bytes has none, callers may attach one.
    public var underlying: (any Error & Sendable)? {
        get { fields.underlying }
        set { fields = Fields(fields.code, fields.message, fields.location, fields.recovery, newValue) }
    }

    /// The byte offset of the item at fault (`location.offset`).
    public var offset: Int {
        get { location.offset }
        set { location.offset = newValue }
    }

    /// Everything, in one immutable box: the error is one pointer wide, so the decoder's
    /// typed-throwing functions pass and return it cheaply (a five-field error made every
    /// `throws(MessagePackError)` call in the reader's loops measurably slower).
    private var fields: Fields

    /// Creates an error; the reader makes these, other code rarely needs to.
    @inline(never)
    public init(_ code: Code, offset: Int, reason: String) {
        fields = Fields(code, reason, Location(offset: offset), code.advice, nil)
    }

    /// The stored fields. `Sendable`: every property is immutable and `Sendable`.
    private final class Fields: Sendable {
        let code: Code
        let message: String
        let location: Location
        let recovery: String
        let underlying: (any Error & Sendable)?

        init(_ code: Code, _ message: String, _ location: Location, _ recovery: String, _ underlying: (any Error & Sendable)?) {
            self.code = code
            self.message = message
            self.location = location
            self.recovery = recovery
            self.underlying = underlying
        }
    }

    /// A copy that names `file` as where the bytes came from.
    public func inFile(_ file: String) -> MessagePackError {
        var copy = self
        copy.location.file = file
        return copy
    }

    /// The file (when known), what is wrong, the byte offset and what to do next.
    public var description: String {
        let place = location.file.map { "\($0): " } ?? ""
        var text = "\(place)MessagePack: \(message) at byte offset \(location.offset). \(recovery)"
        if let underlying { text += " (\(underlying))" }
        return text
    }

    /// Errors are equal when their code, message, location and recovery are.
    public static func == (lhs: MessagePackError, rhs: MessagePackError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.location == rhs.location && lhs.recovery == rhs.recovery
    }

    /// Hashes the code, message and location.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(location)
    }
}
