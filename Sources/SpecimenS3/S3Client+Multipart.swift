import Parallel

/// Multipart upload: create, upload parts, complete (optionally with `If-None-Match: *`),
/// abort on failure.
extension S3Client {
    /// Uploads `bytes` to `key` in parts of ``S3Options/partSize`` bytes (at least S3's 5 MiB
    /// minimum, and large enough for at most 10,000 parts), ``S3Options/uploadParallelism`` at a time, then completes the upload; with
    /// `conditional`, completion carries `If-None-Match: *` and a 412 means `.alreadyExists`
    /// (checked against the SHA-256 metadata after a retry, as for single PUTs). Any failure
    /// aborts the upload, so no parts are left behind; only a retried CreateMultipartUpload
    /// whose first answer was lost can leave an upload unknown to the client (a bucket
    /// lifecycle rule that aborts incomplete uploads after a day is the backstop).
    ///
    /// ```
    /// POST /key?uploads                        → UploadId   (metadata, x-amz-meta-sha256)
    /// PUT  /key?partNumber=N&uploadId=…  × N    → ETag of each part
    /// POST /key?uploadId=…  <CompleteMultipartUpload> [If-None-Match: *]
    ///      200 (maybe with an <Error> body) / 412 / 404 NoSuchUpload after a lost answer
    /// DELETE /key?uploadId=…                    on any failure
    /// ```
    func uploadInParts(_ key: String, _ bytes: [UInt8], sha256: String, headers: [(name: String, value: String)], conditional: Bool) throws -> S3CreateOutcome {
        try uploadInParts(key, size: bytes.count, sha256: sha256, headers: headers, conditional: conditional) { Array(bytes[$0]) }
    }

    /// ``uploadInParts(_:_:sha256:headers:conditional:)`` of a body of `size` bytes whose parts
    /// `part` reads when each goes up (so a file need not be in memory whole), after which
    /// `beforeCompleting` may still refuse the upload (it is then aborted).
    func uploadInParts(_ key: String, size: Int, sha256: String, headers: [(name: String, value: String)], conditional: Bool,
                       beforeCompleting: () throws -> Void = {}, part readPart: @escaping @Sendable (Range<Int>) throws -> [UInt8]) throws -> S3CreateOutcome {
        let options = configuration.options
        let limit = options.maximumResponseSize
        let created = try send(S3Request(operation: "CreateMultipartUpload", method: "POST", key: key, query: [("uploads", "")], headers: headers, responseLimit: limit))
        guard let root = S3XMLElement.parse(created.body), root.name == "InitiateMultipartUploadResult",
              let uploadID = root.text("UploadId"), !uploadID.isEmpty
        else {
            throw S3Error(.malformedResponse, operation: "CreateMultipartUpload", bucket: bucket, key: key, httpStatus: created.status, message: "the answer has no <UploadId>")
        }
        do {
            // S3 takes at most 10,000 parts: larger bodies get larger parts.
            let partSize = max(S3Options.minimumPartSize, options.partSize, size / S3Options.maximumPartCount + 1)
            let count = size / partSize + (size % partSize == 0 ? 0 : 1)
            let etags = Slots<Result<String, any Error>>(count: count)
            Parallel.forEach(count, threads: max(1, min(options.uploadParallelism, count))) { index in
                let start = index * partSize
                do {
                    let part = try readPart(start ..< min(size, start + partSize))
                    let response = try self.send(S3Request(
                        operation: "UploadPart", method: "PUT", key: key,
                        query: [("partNumber", String(index + 1)), ("uploadId", uploadID)], body: part, responseLimit: limit))
                    guard let etag = response.headers["etag"], !etag.isEmpty else {
                        throw S3Error(.malformedResponse, operation: "UploadPart", bucket: self.bucket, key: key, httpStatus: response.status, message: "part \(index + 1) was answered without an ETag")
                    }
                    etags.set(index, .success(etag))
                } catch {
                    etags.set(index, .failure(error))   // an S3Error, or the part's source could not be read
                }
            }
            try beforeCompleting()
            var body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            for (index, slot) in etags.values.enumerated() {
                guard let slot else { throw S3Error(.network, operation: "UploadPart", bucket: bucket, key: key, message: "part \(index + 1) was not uploaded") }
                let etag = try slot.get()
                body += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.xmlEscaped(etag))</ETag></Part>"
            }
            body += "</CompleteMultipartUpload>"
            var completeHeaders: [(name: String, value: String)] = [("content-type", "application/xml")]
            if conditional { completeHeaders.append(("if-none-match", "*")) }
            let completed = try send(S3Request(
                operation: "CompleteMultipartUpload", method: "POST", key: key, query: [("uploadId", uploadID)],
                headers: completeHeaders, body: Array(body.utf8), responseLimit: limit, expectedStatuses: [404, 412]))
            switch completed.status {
            case 412:
                let outcome = completed.retried ? try ownershipAfterConflict(key, sha256: sha256) : .alreadyExists
                if outcome == .alreadyExists { abort(key, uploadID) }
                return outcome
            case 404:
                // NoSuchUpload after a retry: an earlier attempt completed it and its answer was lost.
                if completed.retried, try head(key)?.sha256 == sha256 { return .created }
                throw S3Error(.notFound, operation: "CompleteMultipartUpload", bucket: bucket, key: key, httpStatus: 404, s3Code: "NoSuchUpload", message: "the multipart upload disappeared before it was completed")
            default:
                return .created
            }
        } catch {
            abort(key, uploadID)
            throw error
        }
    }

    /// Aborts an upload, ignoring failure (a bucket lifecycle rule for incomplete uploads is
    /// the backstop).
    private func abort(_ key: String, _ uploadID: String) {
        _ = try? send(S3Request(operation: "AbortMultipartUpload", method: "DELETE", key: key, query: [("uploadId", uploadID)], responseLimit: configuration.options.maximumResponseSize, expectedStatuses: [404]))
    }

    /// `text` with XML's special characters escaped.
    static func xmlEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
