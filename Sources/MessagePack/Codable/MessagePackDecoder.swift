#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Decodes `Decodable` values from MessagePack, shaped like Foundation's `JSONDecoder`.
///
/// The bytes are first read into a ``MessagePackValue`` tree (with the limits of
/// ``readerOptions``), then lifted into the type. Decoding is lenient where no information is
/// lost and strict where it would be:
///
/// - integers of any width decode into any integer type they fit, and into a float; a float
///   decodes into an integer type only when it is integral and in range;
/// - `Double` accepts float32, float64 and integers; `Float` accepts any of these that is in its
///   range;
/// - `Date` accepts a timestamp, a number of seconds since 1970, or an ISO 8601 str;
///   `Data` accepts a bin (or an array of bytes); `URL` a str;
/// - a missing key or a nil decodes as nil for an optional property;
/// - a ``MessagePackValue`` property receives the value exactly as it was read.
///
/// ```swift
/// struct Summary: Codable { var last: Double; var count: Int }
/// let summary = try MessagePackDecoder().decode([String: Summary].self, from: bytes)
/// ```
///
/// Malformed bytes throw ``MessagePackError``; a value of the wrong shape throws
/// `DecodingError` (`typeMismatch`, `keyNotFound`, `valueNotFound`, or `dataCorrupted` for an
/// integer that does not fit its type) with the coding path.
public struct MessagePackDecoder: Sendable {
    /// The limits applied to the bytes (nesting depth, trailing bytes); defaults as
    /// ``MessagePackReader/Options``.
    public var readerOptions: MessagePackReader.Options = .init()
    /// Values the types being decoded can read from `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates a decoder with the default options.
    public init() {}

    /// Decodes a `T` from MessagePack bytes.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, fromValue: try MessagePackReader.readValue(from: bytes, options: readerOptions))
    }

    /// Decodes a `T` from MessagePack bytes in a `Data`.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let value = try data.withUnsafeBytes { buffer in
            try MessagePackReader.readValue(from: buffer, options: readerOptions)
        }
        return try decode(type, fromValue: value)
    }

    /// Lifts a `T` from a value tree.
    public func decode<T: Decodable>(_ type: T.Type, fromValue value: MessagePackValue) throws -> T {
        try _MessagePackDecoderImpl.lift(type, from: value, codingPath: [], userInfo: userInfo.mapValues { $0 as Any })
    }
}
