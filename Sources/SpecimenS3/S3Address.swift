/// An `s3://bucket/prefix` address: a bucket and a key prefix inside it.
///
/// ```swift
/// let root = try S3Address(parsing: "s3://my-bucket/experiments/specimens")
/// root.bucket                           // "my-bucket"
/// root.prefix                           // "experiments/specimens"
/// try root.key("mnist/runs/20250101_120000/manifest.msgpack")
/// // "experiments/specimens/mnist/runs/20250101_120000/manifest.msgpack"
/// ```
public struct S3Address: Sendable, Hashable, CustomStringConvertible {
    /// The bucket's name, validated by ``S3Address/validateBucket(_:)``.
    public var bucket: String
    /// The key prefix without a leading or trailing `/` (empty for the whole bucket); every
    /// segment passes the rules of ``S3Address/validateKey(_:)``.
    public var prefix: String

    /// Whether `string` is written as an S3 address (starts with `s3://`), valid or not.
    public static func isS3(_ string: String) -> Bool { string.hasPrefix("s3://") }

    /// Parses `s3://bucket` or `s3://bucket/prefix`; throws `.invalidAddress` for anything
    /// else (another scheme, a bad bucket name, a query, a fragment, credentials in the address)
    /// and `.invalidKey` for a hostile prefix (`..`, empty segments, control characters).
    public init(parsing string: String) throws {
        guard Self.isS3(string) else {
            throw S3Error(.invalidAddress, operation: "ParseAddress", message: "\(Self.quoted(string)) is not an s3:// address")
        }
        let rest = string.dropFirst("s3://".count)
        let bucketEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let bucket = String(rest[..<bucketEnd])
        try Self.validateBucket(bucket)
        var prefix = rest[bucketEnd...].drop { $0 == "/" }
        if prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        if !prefix.isEmpty {
            if prefix.contains("?") || prefix.contains("#") {
                throw S3Error(.invalidAddress, operation: "ParseAddress", bucket: bucket, message: "\(Self.quoted(string)) has a query or fragment, which an s3:// address cannot have")
            }
            try Self.validateKey(String(prefix), bucket: bucket)
        }
        self.bucket = bucket
        self.prefix = String(prefix)
    }

    /// Creates an address from parts already known to be valid (validated again here).
    public init(bucket: String, prefix: String = "") throws {
        try self.init(parsing: "s3://\(bucket)/\(prefix)")
    }

    /// The key of `relative` (a `/`-separated path) under the prefix; throws `.invalidKey`
    /// when the result is not a valid key.
    public func key(_ relative: String) throws -> String {
        let key = prefix.isEmpty ? relative : relative.isEmpty ? prefix : prefix + "/" + relative
        try Self.validateKey(key, bucket: bucket)
        return key
    }

    /// A new address for `relative` under this one.
    public func appending(_ relative: String) throws -> S3Address {
        var copy = self
        copy.prefix = try key(relative)
        return copy
    }

    /// `s3://bucket/prefix`.
    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// Checks a bucket name against S3's rules for general purpose buckets: 3 to 63 characters
    /// of lowercase letters, digits, `.` and `-`; a letter or digit first and last; no `..`;
    /// not an IPv4 address; none of the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`)
    /// and suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`).
    public static func validateBucket(_ name: String) throws {
        func fail(_ why: String) -> S3Error {
            S3Error(.invalidAddress, operation: "ParseAddress", message: "the bucket name \(quoted(name)) \(why)")
        }
        let bytes = Array(name.utf8)
        guard (3 ... 63).contains(bytes.count) else { throw fail("has \(bytes.count) characters; bucket names have 3 to 63") }
        func isLetterOrDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "a") ... UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) }
        guard bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw fail("has a character other than lowercase letters, digits, '.' and '-'")
        }
        guard isLetterOrDigit(bytes[0]), isLetterOrDigit(bytes[bytes.count - 1]) else { throw fail("must start and end with a letter or digit") }
        guard !name.contains("..") else { throw fail("has two adjacent dots") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) && $0.count <= 3 }) {
            throw fail("is formatted as an IP address")
        }
        for reserved in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(reserved) { throw fail("starts with the reserved prefix \(reserved)") }
        for reserved in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(reserved) { throw fail("ends with the reserved suffix \(reserved)") }
    }

    /// Checks an object key: 1 to 1024 UTF-8 bytes of `/`-separated segments, none empty, `.`
    /// or `..` (S3 would store them, but a URL or a signer that normalizes paths would not
    /// address the same object, and a store path never needs them), and no control characters
    /// (U+0000–U+001F, U+007F), which XML 1.0 listings cannot carry.
    public static func validateKey(_ key: String, bucket: String? = nil) throws {
        func fail(_ why: String) -> S3Error {
            S3Error(.invalidKey, operation: "ValidateKey", bucket: bucket, message: "the key \(quoted(key)) \(why)")
        }
        let count = key.utf8.count
        guard count > 0 else { throw fail("is empty") }
        guard count <= 1024 else { throw fail("has \(count) bytes; keys have at most 1024") }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { throw fail("has a control character") }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { throw fail("has an empty segment (a leading, trailing or doubled '/')") }
            if segment == "." || segment == ".." { throw fail("has a '\(segment)' segment") }
        }
    }

    /// `string` in quotes, shortened and with control characters escaped, for messages.
    static func quoted(_ string: String) -> String {
        var text = ""
        for scalar in string.unicodeScalars.prefix(200) {
            text += scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        if string.unicodeScalars.count > 200 { text += "…" }
        return "\"\(text)\""
    }
}
