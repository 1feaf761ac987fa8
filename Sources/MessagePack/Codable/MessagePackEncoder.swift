#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Encodes `Encodable` values as MessagePack, shaped like Foundation's `JSONEncoder`.
///
/// The value is first lowered to a ``MessagePackValue`` tree, then written in the shortest form.
/// Structs and classes become maps with str keys in the order their properties are encoded;
/// `[String: T]` and `[Int: T]` become maps with their keys sorted (so the bytes do not depend on
/// hashing); arrays become arrays; `nil` in an array or at the top is nil, while a `nil`
/// optional property is left out, as `JSONEncoder` does. `Data` becomes bin (a `[UInt8]` stays
/// an array of integers, as its `Codable` conformance asks), `Date` a timestamp (see
/// ``DateEncodingStrategy``), `URL` its absolute string, and a ``MessagePackValue`` or
/// ``MessagePackTimestamp`` inside the value is embedded as it is.
///
/// ```swift
/// struct Params: Codable { var lr: Double; var layers: Int; var extra: MessagePackValue }
/// let bytes = try MessagePackEncoder().encode(Params(lr: 0.001, layers: 4, extra: ["seed": 7]))
/// let params = try MessagePackDecoder().decode(Params.self, from: bytes)
/// ```
///
/// Errors are `EncodingError`s (for example, a `Date` that is not finite).
public struct MessagePackEncoder: Sendable {
    /// How `Date` values are written.
    public enum DateEncodingStrategy: Hashable, Sendable {
        /// The timestamp extension (type −1), to the nanosecond. The default; Python's msgpack
        /// reads it as `msgpack.Timestamp`.
        case timestamp
        /// A float64 count of seconds since 1970-01-01T00:00:00Z.
        case secondsSince1970
        /// A str in ISO 8601 UTC, as ``MessagePackTimestamp/iso8601`` writes it.
        case iso8601
    }

    /// How `Date` values are written; default ``DateEncodingStrategy/timestamp``.
    public var dateEncodingStrategy: DateEncodingStrategy = .timestamp
    /// Values the types being encoded can read from `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates an encoder with the default options.
    public init() {}

    /// Encodes `value` as MessagePack bytes.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encodeToValue(value).encoded()
    }

    /// Encodes `value` as MessagePack in a `Data`.
    @_disfavoredOverload
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        Data(try encodeToValue(value).encoded())
    }

    /// Lowers `value` to the ``MessagePackValue`` tree that ``encode(_:)-(T)`` would write.
    public func encodeToValue<T: Encodable>(_ value: T) throws -> MessagePackValue {
        let context = _EncodingContext(dateStrategy: dateEncodingStrategy, userInfo: userInfo.mapValues { $0 as Any })
        return try _MessagePackEncoderImpl.lower(value, codingPath: [], context: context).resolved()
    }
}
