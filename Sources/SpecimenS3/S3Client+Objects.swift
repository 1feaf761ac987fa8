/// GET, HEAD, PUT, conditional create and DELETE of single objects.
extension S3Client {
    /// The whole object at `key`; throws `.notFound` when there is none and
    /// `.responseTooLarge` when it has more than `limit` bytes (before reading them, when S3
    /// declares the length).
    public func get(_ key: String, limit: Int = .max) throws -> [UInt8] {
        try S3Address.validateKey(key, bucket: bucket)
        return try send(S3Request(operation: "GetObject", method: "GET", key: key, responseLimit: limit)).body
    }

    /// The bytes of `range` of the object at `key`: fewer when the object ends first, none
    /// when it ends before the range starts; throws `.notFound` when there is no object.
    public func get(_ key: String, range: Range<Int>) throws -> [UInt8] {
        try S3Address.validateKey(key, bucket: bucket)
        guard range.lowerBound >= 0 else {
            throw S3Error(.invalidRange, operation: "GetObject", bucket: bucket, key: key, message: "the range \(range) starts before the object")
        }
        if range.isEmpty { return [] }
        let request = S3Request(
            operation: "GetObject", method: "GET", key: key,
            headers: [("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")],
            responseLimit: range.count, expectedStatuses: [416])
        let response = try send(request)
        if response.status == 416 { return [] }
        if response.status == 200 {
            // A server that ignores Range sends the whole object (within the limit only if small).
            let end = min(range.upperBound, response.body.count)
            return range.lowerBound < end ? Array(response.body[range.lowerBound ..< end]) : []
        }
        return response.body
    }

    /// Checks that the bucket exists and the credentials may use it (HeadBucket): returns
    /// quietly, or throws `.noSuchBucket` (404), `.wrongRegion` (301, naming the bucket's
    /// region), `.accessDenied` (403: wrong credentials or no permission; HEAD answers carry
    /// no error code to tell which). Call it once when opening a store, because object calls
    /// cannot tell a missing bucket from a missing key (``head(_:)`` answers nil for both).
    public func checkBucket() throws {
        let response = try send(S3Request(operation: "HeadBucket", method: "HEAD", key: nil, responseLimit: .max, expectedStatuses: [301, 403, 404]))
        let region = response.headers["x-amz-bucket-region"].map(Self.clean)
        switch response.status {
        case 404:
            throw S3Error(.noSuchBucket, operation: "HeadBucket", bucket: bucket, httpStatus: 404, message: "the bucket does not exist at this endpoint")
        case 301:
            throw S3Error(.wrongRegion, operation: "HeadBucket", bucket: bucket, httpStatus: 301, message: "the bucket is in \(region ?? "another region"), requests are signed for \(configuration.region)")
        case 403:
            var error = S3Error(.accessDenied, operation: "HeadBucket", bucket: bucket, httpStatus: 403, message: "S3 refused access to the bucket")
            error.recovery = "Check the credentials (the access key ID and secret access key must belong together) and that their policy allows s3:ListBucket on the bucket."
            throw error
        default:
            return
        }
    }

    /// What stands at `key`, or nil when nothing does.
    public func head(_ key: String) throws -> S3ObjectInfo? {
        try S3Address.validateKey(key, bucket: bucket)
        let response = try send(S3Request(operation: "HeadObject", method: "HEAD", key: key, responseLimit: .max, expectedStatuses: [404]))
        if response.status == 404 { return nil }
        return info(key, response.headers)
    }

    /// Writes `bytes` at `key`, replacing whatever stood there. Bodies of at least
    /// ``S3Options/multipartThreshold`` bytes go up in parts. The content's SHA-256 is kept in
    /// the object's metadata (`x-amz-meta-sha256`), with `metadata` (names without the prefix).
    /// A retry after a lost answer writes the same bytes again: on a versioned bucket that
    /// adds a version with equal content; nothing else changes.
    public func put(_ key: String, _ bytes: [UInt8], metadata: [String: String] = [:]) throws {
        try S3Address.validateKey(key, bucket: bucket)
        let sha256 = SigV4Signer.sha256Hex(bytes)
        let headers = try metadataHeaders(metadata, sha256: sha256, key: key)
        if bytes.count >= configuration.options.multipartThreshold {
            _ = try uploadInParts(key, bytes, sha256: sha256, headers: headers, conditional: false)
            return
        }
        _ = try send(S3Request(operation: "PutObject", method: "PUT", key: key, headers: headers, body: bytes, bodySHA256: sha256, responseLimit: configuration.options.maximumResponseSize))
    }

    /// Creates the object at `key` holding `bytes` only if nothing stands there
    /// (`If-None-Match: *`, decided atomically by S3): `.created` when this call made it,
    /// `.alreadyExists` when something else was there (S3's 412); bodies of at least
    /// ``S3Options/multipartThreshold`` bytes go up in parts, completed with the same condition.
    ///
    /// A retry makes this subtle: when an attempt's answer is lost (a reset connection, a
    /// timeout, a 5xx) the write may have happened, and the retry then meets 412 because of
    /// it. So after a retry, a 412 is checked: the object's `x-amz-meta-sha256`, which every
    /// upload of this client records, is compared with this call's content. The SHA-256 in
    /// metadata rather than the ETag, because an ETag is an MD5 only for single-part uploads
    /// without SSE-KMS, while the metadata is the same for every upload path and is covered by
    /// the request's signature. Equal content means `.created`; so writers that must be told
    /// apart (claims of a run ID) must write different bytes, e.g. their own token.
    public func create(_ key: String, _ bytes: [UInt8], metadata: [String: String] = [:]) throws -> S3CreateOutcome {
        try S3Address.validateKey(key, bucket: bucket)
        let sha256 = SigV4Signer.sha256Hex(bytes)
        var headers = try metadataHeaders(metadata, sha256: sha256, key: key)
        if bytes.count >= configuration.options.multipartThreshold {
            return try uploadInParts(key, bytes, sha256: sha256, headers: headers, conditional: true)
        }
        headers.append(("if-none-match", "*"))
        let response = try send(S3Request(
            operation: "PutObject", method: "PUT", key: key, headers: headers, body: bytes, bodySHA256: sha256,
            responseLimit: configuration.options.maximumResponseSize, expectedStatuses: [412]))
        if response.status == 412 {
            return response.retried ? try ownershipAfterConflict(key, sha256: sha256) : .alreadyExists
        }
        return .created
    }

    /// Removes the object at `key`; removing what is not there is not an error (S3 answers
    /// 204 either way), so the call may be retried freely.
    public func delete(_ key: String) throws {
        try S3Address.validateKey(key, bucket: bucket)
        do {
            _ = try send(S3Request(operation: "DeleteObject", method: "DELETE", key: key, responseLimit: configuration.options.maximumResponseSize))
        } catch let error as S3Error where error.code == .notFound {
            // Some S3 APIs answer 404 NoSuchKey instead of 204; a missing bucket still throws.
        }
    }

    // MARK: Helpers

    /// `.created` when the object at `key` holds content with this SHA-256 (an earlier attempt
    /// of this call wrote it), `.alreadyExists` otherwise.
    func ownershipAfterConflict(_ key: String, sha256: String) throws -> S3CreateOutcome {
        guard let info = try head(key) else { return .alreadyExists }   // removed since: not ours to claim
        return info.sha256 == sha256 ? .created : .alreadyExists
    }

    /// `x-amz-meta-*` headers for `metadata` and the content's SHA-256.
    func metadataHeaders(_ metadata: [String: String], sha256: String, key: String) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("x-amz-meta-\(Self.sha256MetadataName)", sha256)]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = name.lowercased()
            guard !name.isEmpty, name != Self.sha256MetadataName,
                  name.unicodeScalars.allSatisfy({ ("a" ... "z").contains($0) || ("0" ... "9").contains($0) || $0 == "-" || $0 == "_" }),
                  value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
            else {
                throw S3Error(.invalidKey, operation: "PutObject", bucket: bucket, key: key, message: "the metadata \(S3Address.quoted(name)) is not a lowercase ASCII name with a printable ASCII value (or is the reserved \(Self.sha256MetadataName))")
            }
            headers.append(("x-amz-meta-\(name)", value))
        }
        return headers
    }

    /// An ``S3ObjectInfo`` from HEAD's headers.
    func info(_ key: String, _ headers: [String: String]) -> S3ObjectInfo {
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix("x-amz-meta-") {
            metadata[String(name.dropFirst("x-amz-meta-".count))] = value
        }
        return S3ObjectInfo(
            key: key, size: headers["content-length"].flatMap { Int($0) } ?? 0,
            etag: headers["etag"].map(Self.unquoted), lastModified: headers["last-modified"],
            versionID: headers["x-amz-version-id"], metadata: metadata)
    }

    /// An ETag without its quotes.
    static func unquoted(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}
