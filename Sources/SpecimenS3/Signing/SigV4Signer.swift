import Crypto
public import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) in the `Authorization` header, as S3 wants it:
/// path segments encoded once and never normalized.
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
/// let signed = signer.sign(SigV4Request(method: "GET", path: "/bucket/key",
///                                       headers: [("host", "s3.example.com"),
///                                                 ("x-amz-content-sha256", SigV4Request.emptyPayloadHash)],
///                                       payloadHash: SigV4Request.emptyPayloadHash), at: Date())
/// // send signed.headers
/// ```
///
/// Tested against AWS's published SigV4 test suite and the S3 API reference's examples.
public struct SigV4Signer: Sendable {
    /// The credentials that sign.
    public var credentials: S3Credentials
    /// The region of the credential scope.
    public var region: String
    /// The service of the credential scope: `s3`.
    public var service: String

    /// Creates a signer.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs `request` as made at `date`: adds `x-amz-date` (and `x-amz-security-token` for
    /// temporary credentials) to the signed headers, and returns the canonical request, the
    /// string to sign, the signature and the headers to send.
    public func sign(_ request: SigV4Request, at date: Date) -> SigV4Signature {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        var headers = request.headers.filter { $0.name.lowercased() != "x-amz-date" && $0.name.lowercased() != "authorization" }
        headers.append((name: "x-amz-date", value: timestamp))
        if let token = credentials.sessionToken, !headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) {
            headers.append((name: "x-amz-security-token", value: token))
        }

        // Canonical headers: lowercase names, sorted; values trimmed with inner runs of spaces
        // collapsed; a repeated name's values joined with commas in order.
        var combined: [String: String] = [:]
        for (name, value) in headers {
            let name = name.lowercased()
            let value = Self.collapseSpaces(value)
            combined[name] = combined[name].map { $0 + "," + value } ?? value
        }
        let names = combined.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonicalHeaders = names.map { "\($0):\(combined[$0]!)\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            request.method,
            Self.canonicalURI(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope,
            Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append((name: "Authorization", value: authorization))
        return SigV4Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, authorization: authorization, headers: headers)
    }

    /// `date` as SigV4 writes it: `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.year ?? 1970)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(parts.month) + two(parts.day)
            + "T" + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }

    /// The path with every byte but the unreserved characters and `/` percent-encoded (once).
    public static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : percentEncode(path, keepingSlash: true)
    }

    /// The query parameters percent-encoded, sorted by name then value, joined with `&`.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (percentEncode($0.name, keepingSlash: false), percentEncode($0.value, keepingSlash: false)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 encoding as SigV4 specifies it: `A–Z a–z 0–9 - . _ ~` stay, every other UTF-8
    /// byte becomes `%XX` (uppercase hex); `/` stays when `keepingSlash`.
    public static func percentEncode(_ text: String, keepingSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: "/") where keepingSlash:
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lowercase hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in digest { bytes += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The SHA-256 of `bytes` as lowercase hex.
    public static func sha256Hex(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

    /// `value` trimmed, with every run of spaces (and tabs) inside it made one space.
    private static func collapseSpaces(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value.trimmingSpaces {
            if character == " " || character == "\t" {
                pendingSpace = true
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }
}
