/// ListObjectsV2.
extension S3Client {
    /// One page of the objects whose keys start with `prefix` (at most `maxKeys`, 1 to 1000);
    /// with a `delimiter`, keys with the delimiter after the prefix are rolled up into common
    /// prefixes. Pass the previous page's ``S3ListPage/nextContinuationToken`` for the next.
    /// Keys travel URL-encoded (`encoding-type=url`), so any key survives XML.
    public func listPage(prefix: String = "", delimiter: String? = nil, continuationToken: String? = nil, maxKeys: Int = 1000) throws -> S3ListPage {
        var query: [(name: String, value: String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(min(1000, max(1, maxKeys))))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try send(S3Request(operation: "ListObjectsV2", method: "GET", key: nil, query: query, responseLimit: configuration.options.maximumResponseSize))
        func malformed(_ why: String) -> S3Error {
            S3Error(.malformedResponse, operation: "ListObjectsV2", bucket: bucket, key: prefix, httpStatus: response.status, message: "the listing \(why)")
        }
        guard let root = S3XMLElement.parse(response.body) else { throw malformed("is not well-formed XML") }
        guard root.name == "ListBucketResult" else { throw malformed("has the root element <\(S3Client.clean(root.name))>, not <ListBucketResult>") }
        let encoded = root.text("EncodingType") == "url"
        func decode(_ text: String) throws -> String {
            guard encoded else { return text }
            guard let decoded = Self.urlDecode(text) else { throw malformed("has a key that is not valid URL encoding") }
            return decoded
        }
        var page = S3ListPage()
        for element in root.children("Contents") {
            guard let key = element.text("Key") else { throw malformed("has an entry without <Key>") }
            guard let sizeText = element.text("Size"), let size = Int(sizeText.trimmingSpaces), size >= 0 else { throw malformed("has an entry without a valid <Size>") }
            page.objects.append(S3ListedObject(key: try decode(key), size: size, etag: element.text("ETag").map(Self.unquoted), lastModified: element.text("LastModified")))
        }
        for element in root.children("CommonPrefixes") {
            guard let text = element.text("Prefix") else { throw malformed("has <CommonPrefixes> without <Prefix>") }
            page.commonPrefixes.append(try decode(text))
        }
        if root.text("IsTruncated")?.trimmingSpaces == "true" {
            guard let token = root.text("NextContinuationToken"), !token.isEmpty else { throw malformed("is truncated but has no <NextContinuationToken>") }
            page.nextContinuationToken = token
        }
        return page
    }

    /// Every object under `prefix` (and, with a `delimiter`, every common prefix), following
    /// continuation tokens until the listing ends; throws `.malformedResponse` when S3 repeats
    /// a token (which would loop forever).
    public func list(prefix: String = "", delimiter: String? = nil, maxKeys: Int = 1000) throws -> S3ListPage {
        var all = S3ListPage()
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try listPage(prefix: prefix, delimiter: delimiter, continuationToken: token, maxKeys: maxKeys)
            all.objects += page.objects
            all.commonPrefixes += page.commonPrefixes
            token = page.nextContinuationToken
            if let token, !seen.insert(token).inserted {
                throw S3Error(.malformedResponse, operation: "ListObjectsV2", bucket: bucket, key: prefix, message: "the listing repeated a continuation token")
            }
        } while token != nil
        return all
    }

    /// Decodes `%XX` escapes (and `+` as a space, as S3's URL encoding of listings writes
    /// spaces); nil for a bad escape or bytes that are not UTF-8.
    static func urlDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        func hexValue(_ byte: UInt8?) -> UInt8? {
            guard let byte else { return nil }
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = hexValue(iterator.next()), let low = hexValue(iterator.next()) else { return nil }
                bytes.append(high << 4 | low)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
