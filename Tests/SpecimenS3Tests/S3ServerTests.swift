import Foundation
import Parallel
import SpecimenS3
import Testing

/// The client against a real S3 API (moto, through the serializing, fault-injecting proxy of
/// `S3Harness`). Every test has its own bucket.
@Suite struct S3ServerTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    func bytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
        (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    @Test func putGetRangeHeadDelete() throws {
        let bucket = try harness.makeBucket("basic")
        let client = try harness.client(bucket)
        let key = "runs/20250101_120000/name with spaces/ünïcødé+🐢.bin"
        let body = bytes(1000)
        try client.put(key, body, metadata: ["writer": "test-1"])
        #expect(try client.get(key) == body)
        #expect(try client.get(key, range: 10 ..< 20) == Array(body[10 ..< 20]))
        #expect(try client.get(key, range: 990 ..< 2000) == Array(body[990...]))
        #expect(try client.get(key, range: 1000 ..< 1010) == [])
        let info = try #require(try client.head(key))
        #expect(info.size == 1000)
        #expect(info.sha256 == SigV4Signer.sha256Hex(body))
        #expect(info.metadata["writer"] == "test-1")
        #expect(info.versionID != nil)
        try client.put("empty", [])
        #expect(try client.get("empty") == [])
        #expect(try client.head("missing") == nil)
        let missing = #expect(throws: S3Error.self) { try client.get("missing/key") }
        #expect(missing?.code == .notFound)
        #expect(missing?.httpStatus == 404)
        #expect(missing?.s3Code == "NoSuchKey")
        #expect(missing?.description.contains("s3://\(bucket)/missing/key") == true)
        try client.delete(key)
        try client.delete(key)   // removing what is gone is not an error
        #expect(try client.head(key) == nil)
        try client.put("big", body)
        let limited = #expect(throws: S3Error.self) { try client.get("big", limit: 100) }
        #expect(limited?.code == .responseTooLarge)
    }

    @Test func listsWithPaginationAndDelimiter() throws {
        let bucket = try harness.makeBucket("list")
        try harness.seed(bucket, prefix: "many/", count: 2500)
        let client = try harness.client(bucket)
        let listing = try client.list(prefix: "many/")
        #expect(listing.objects.count == 2500)
        #expect(listing.objects.map(\.key) == (0 ..< 2500).map { "many/" + String(repeating: "0", count: 5 - String($0).count) + String($0) })
        #expect(listing.objects.allSatisfy { $0.size == 10 })
        let lists = try harness.log(bucket).filter { $0.method == "GET" && $0.query.contains("list-type=2") }
        #expect(lists.count == 3)   // 1000 + 1000 + 500
        #expect(lists.filter { $0.query.contains("continuation-token") }.count == 2)

        for key in ["d/a/1", "d/a/2", "d/b/1", "d/c", "d/with space/x", "e/other"] { try client.put(key, Array(key.utf8)) }
        let folders = try client.list(prefix: "d/", delimiter: "/")
        #expect(folders.commonPrefixes == ["d/a/", "d/b/", "d/with space/"])
        #expect(folders.objects.map(\.key) == ["d/c"])
        let small = try client.listPage(prefix: "d/", maxKeys: 2)
        #expect(small.objects.count == 2)
        let token: String = try #require(small.nextContinuationToken)
        let rest = try client.listPage(prefix: "d/", continuationToken: token, maxKeys: 1000)
        #expect(rest.objects.count == 3 && rest.nextContinuationToken == nil)
        #expect(try client.list(prefix: "nothing/").objects.isEmpty)
    }

    @Test func sixteenRacingCreatesHaveOneWinner() throws {
        let bucket = try harness.makeBucket("race")
        let client = try harness.client(bucket)
        let outcomes = Slots<S3CreateOutcome>(count: 16)
        Parallel.forEach(16, threads: 16) { index in
            if let outcome = try? client.create("runs/20250101_120000/.claim", Array("writer-\(index)".utf8)) { outcomes.set(index, outcome) }
        }
        let values = outcomes.values
        #expect(values.allSatisfy { $0 != nil })
        let winners = values.indices.filter { values[$0] == .created }
        #expect(winners.count == 1)
        let winner = try #require(winners.first)
        #expect(try client.get("runs/20250101_120000/.claim") == Array("writer-\(winner)".utf8))
        #expect(try harness.versions(bucket, "runs/20250101_120000/.claim") == 1)
    }

    @Test func createWhoseAnswerIsLostIsRecognisedAsOwn() throws {
        let bucket = try harness.makeBucket("lost")
        let client = try harness.client(bucket)
        for fault in ["reset", "500", "503", "truncate"] {
            let key = "claims/\(fault)"
            try harness.inject([.init(bucket: bucket, method: "PUT", fault: fault, after: true, key: key)])
            #expect(try client.create(key, Array("mine".utf8)) == .created, "\(fault)")
            #expect(try harness.versions(bucket, key) == 1, "\(fault)")
            let puts = try harness.log(bucket).filter { $0.method == "PUT" && $0.key == key }
            #expect(puts.map(\.status) == [200, 412], "\(fault)")
            // Someone else's object: the same lost answer does not make it ours.
            try harness.inject([.init(bucket: bucket, method: "PUT", fault: fault, after: true, key: key)])
            #expect(try client.create(key, Array("theirs".utf8)) == .alreadyExists, "\(fault)")
            #expect(try client.get(key) == Array("mine".utf8))
        }
        #expect(try client.create("claims/plain", Array("a".utf8)) == .created)
        #expect(try client.create("claims/plain", Array("a".utf8)) == .alreadyExists)   // no retry: a 412 is someone's
    }

    @Test(arguments: ["reset", "500", "503", "stall", "truncate"])
    func retriesEachFault(_ fault: String) throws {
        let bucket = try harness.makeBucket("retry\(fault)")
        let client = try harness.client(bucket) { $0.requestTimeout = 1 }
        let body = bytes(3000, seed: 3)
        let seconds: Double? = fault == "stall" ? 3 : nil
        // A write whose request never reaches moto (truncation needs a response to cut).
        if fault != "truncate" {
            try harness.inject([.init(bucket: bucket, method: "PUT", fault: fault, count: 2, key: "put", seconds: seconds)])
        }
        try client.put("put", body)
        #expect(try harness.versions(bucket, "put") == 1)
        // Reads.
        try harness.inject([.init(bucket: bucket, method: "GET", fault: fault, count: 2, after: true, key: "put", seconds: seconds)])
        #expect(try client.get("put") == body)
        try harness.inject([.init(bucket: bucket, method: "GET", fault: fault, count: 1, after: true, query: "list-type", seconds: seconds)])
        #expect(try client.list().objects.map(\.key) == ["put"])
        // A conditional create whose first answer is lost.
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: fault, count: 1, after: true, key: "create", seconds: seconds)])
        #expect(try client.create("create", body) == .created)
        #expect(try harness.versions(bucket, "create") == 1)
        let log = try harness.log(bucket)
        #expect(log.filter { $0.method == "GET" && $0.key == "put" }.count == 3)
    }

    @Test func conditionalRequestConflictIsRetried() throws {
        let bucket = try harness.makeBucket("conflict")
        let client = try harness.client(bucket)
        let conflict = "<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting conditional operation is currently in progress against this resource. Please try again.</Message></Error>"
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "body", count: 2, key: "claim", status: 409, body: conflict)])
        #expect(try client.create("claim", Array("mine".utf8)) == .created)
        #expect(try harness.versions(bucket, "claim") == 1)
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "body", count: 1, key: "claim", status: 409, body: conflict)])
        #expect(try client.create("claim", Array("other".utf8)) == .alreadyExists)
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "body", count: 9, key: "busy", status: 409, body: conflict)])
        let error = #expect(throws: S3Error.self) { try client.create("busy", [1]) }
        #expect(error?.code == .conflict)
        #expect(error?.httpStatus == 409)
        #expect(error?.s3Code == "ConditionalRequestConflict")
    }

    @Test func retriesRunOutIntoAnError() throws {
        let bucket = try harness.makeBucket("exhaust")
        let client = try harness.client(bucket) { $0.maximumAttempts = 3 }
        try client.put("k", [1, 2, 3])
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "503", count: 3, key: "k")])
        let error = #expect(throws: S3Error.self) { try client.get("k") }
        #expect(error?.code == .throttled)
        #expect(error?.httpStatus == 503)
        #expect(error?.s3Code == "SlowDown")
        #expect(try harness.log(bucket).filter { $0.method == "GET" }.count == 3)
        #expect(try client.get("k") == [1, 2, 3])
        // 429 without an S3 code, and throttling codes under other statuses, are retried too.
        try harness.inject([
            .init(bucket: bucket, method: "GET", fault: "body", key: "k", status: 429, body: ""),
            .init(bucket: bucket, method: "GET", fault: "body", key: "k", status: 400, body: "<Error><Code>RequestTimeout</Code><Message>Your socket connection to the server was not read from or written to within the timeout period.</Message></Error>"),
        ])
        #expect(try client.get("k") == [1, 2, 3])
        // What is not transient is not retried.
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "body", key: "k", status: 403, body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")])
        let denied = #expect(throws: S3Error.self) { try client.get("k") }
        #expect(denied?.code == .accessDenied)
        #expect(try harness.log(bucket).filter { $0.method == "GET" }.count == 3 + 1 + 2 + 1 + 1)
    }

    @Test func multipartConditionalComplete() throws {
        let bucket = try harness.makeBucket("multipart")
        let client = try harness.client(bucket) {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
        }
        let body = bytes(11 << 20, seed: 11)
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "500", count: 1, query: "partNumber=2")])
        #expect(try client.create("big/object", body) == .created)
        #expect(try client.get("big/object") == body)
        #expect(try client.head("big/object")?.sha256 == SigV4Signer.sha256Hex(body))
        var log = try harness.log(bucket)
        #expect(log.filter { $0.method == "PUT" && $0.query.contains("partNumber") }.count == 4)   // 3 parts, one retried
        #expect(log.filter { $0.method == "POST" && $0.query.contains("uploadId") }.count == 1)

        // A second create of the key fails at completion and aborts its upload.
        let other = bytes(6 << 20, seed: 12)
        #expect(try client.create("big/object", other) == .alreadyExists)
        log = try harness.log(bucket)
        #expect(log.filter { $0.method == "DELETE" && $0.query.contains("uploadId") }.count == 1)
        #expect(try harness.versions(bucket, "big/object") == 1)

        // Completion whose answer is lost: the retry meets 412 (or NoSuchUpload) and recognises its own object.
        try harness.inject([.init(bucket: bucket, method: "POST", fault: "reset", after: true, key: "big/second", query: "uploadId")])
        #expect(try client.create("big/second", other) == .created)
        #expect(try client.get("big/second") == other)
        #expect(try harness.versions(bucket, "big/second") == 1)

        // Unconditional multipart put replaces.
        try client.put("big/object", other)
        #expect(try client.get("big/object", range: 0 ..< 100) == Array(other[0 ..< 100]))
    }

    @Test func createFromAFileSendsPartsReadFromTheFile() throws {
        let bucket = try harness.makeBucket("fromfile")
        let client = try harness.client(bucket) {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
        }
        let folder = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let body = bytes(11 << 20, seed: 21)
        let path = folder + "/weights.bin"
        try Data(body).write(to: URL(fileURLWithPath: path))

        let created = try client.create("f/weights.bin", fromFile: path)
        #expect(created.outcome == .created)
        #expect(created.size == body.count)
        #expect(created.sha256 == SigV4Signer.sha256Hex(body))
        #expect(try client.get("f/weights.bin") == body)
        #expect(try client.head("f/weights.bin")?.sha256 == created.sha256)
        var log = try harness.log(bucket)
        #expect(log.filter { $0.method == "PUT" && $0.query.contains("partNumber") }.count == 3)

        // Conditional, as `create` is: a second upload to the key is refused and aborted.
        #expect(try client.create("f/weights.bin", fromFile: path).outcome == .alreadyExists)
        #expect(try harness.versions(bucket, "f/weights.bin") == 1)
        log = try harness.log(bucket)
        #expect(log.filter { $0.method == "DELETE" && $0.query.contains("uploadId") }.count == 1)

        // A small file is one conditional PUT.
        let small = folder + "/small.txt"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: small))
        let single = try client.create("f/small.txt", fromFile: small)
        #expect(single.outcome == .created && single.size == 5 && single.sha256 == SigV4Signer.sha256Hex(Array("hello".utf8)))
        #expect(try harness.log(bucket).filter { $0.method == "POST" && $0.key.hasSuffix("f/small.txt") }.isEmpty)

        // A file that cannot be read is an error naming it, and nothing is created.
        let missing = #expect(throws: LocalFileError.self) { try client.create("f/missing", fromFile: folder + "/missing.bin") }
        #expect(missing?.path == folder + "/missing.bin")
        #expect(try client.head("f/missing") == nil)
    }

    @Test func parallelGets() throws {
        let bucket = try harness.makeBucket("many")
        let client = try harness.client(bucket)
        let keys = (0 ..< 40).map { "objects/\($0)" }
        for key in keys { try client.put(key, Array(key.utf8)) }
        let results = client.getMany(keys + ["objects/missing"])
        #expect(results.count == 41)
        for (index, key) in keys.enumerated() { #expect((try? results[index].get()) == Array(key.utf8)) }
        guard case .failure(let error) = results[40] else { Issue.record("a missing key was read"); return }
        #expect(error.code == .notFound)
    }

    @Test func wrongCredentialsAndMissingBucketSayWhatAndWhere() throws {
        let bucket = try harness.makeBucket("errors")
        let good = try harness.client(bucket)
        try good.put("k", [1])
        let wrongSecret = "WRONGwrongWRONGwrong/SECRET+notTheRealOne0"
        let bad = try harness.client(bucket, secret: wrongSecret)
        let error = try #require(#expect(throws: S3Error.self) { try bad.get("k") })
        #expect(error.code == .authentication)
        #expect(error.httpStatus == 403)
        #expect(error.s3Code == "SignatureDoesNotMatch")
        let text = String(describing: error)
        for part in ["s3://\(bucket)/k", "403", "SignatureDoesNotMatch", "GetObject", "secret access key"] {
            #expect(text.contains(part), "\(text) lacks \(part)")
        }
        #expect(!text.contains(wrongSecret))
        #expect(!text.contains(harness.secretAccessKey))
        #expect(!String(reflecting: error).contains(wrongSecret))

        let unknown = try harness.client(bucket, accessKeyID: "AKIAUNKNOWNKEY000000")
        let unknownError = #expect(throws: S3Error.self) { try unknown.put("k2", [1]) }
        #expect(unknownError?.code == .authentication)
        #expect(unknownError?.s3Code == "InvalidAccessKeyId")

        let nowhere = try harness.client("no-such-bucket-\(UInt32.random(in: 0 ... .max))")
        let missing = try #require(#expect(throws: S3Error.self) { try nowhere.put("some/key", [1]) })
        #expect(missing.code == .noSuchBucket)
        #expect(missing.httpStatus == 404)
        #expect(missing.s3Code == "NoSuchBucket")
        let missingText = String(describing: missing)
        #expect(missingText.contains("s3://\(missing.bucket ?? "?")/some/key"))
        #expect(missingText.contains("bucket name"))
        #expect(!missingText.contains(harness.secretAccessKey))
    }

    @Test func checksTheBucket() throws {
        let bucket = try harness.makeBucket("check")
        try harness.client(bucket).checkBucket()
        let missing = #expect(throws: S3Error.self) { try harness.client("no-such-bucket-\(UInt32.random(in: 0 ... .max))").checkBucket() }
        #expect(missing?.code == .noSuchBucket)
        let denied = #expect(throws: S3Error.self) { try harness.client(bucket, secret: "wrong").checkBucket() }
        #expect(denied?.code == .accessDenied)
        #expect(denied?.httpStatus == 403)
        #expect(denied?.description.contains("credentials") == true)
    }

    @Test func wrongRegionIsNamed() throws {
        let bucket = try harness.makeBucket("region")
        let client = try harness.client(bucket)
        let body = "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region></Error>"
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "body", key: "k", status: 400, body: body)])
        let error = #expect(throws: S3Error.self) { try client.get("k") }
        #expect(error?.code == .wrongRegion)
        #expect(error?.description.contains("eu-west-1") == true)
        #expect(error?.description.contains("AWS_REGION") == true)
        try harness.inject([.init(bucket: bucket, method: "HEAD", fault: "body", status: 301, body: "", headers: ["x-amz-bucket-region": "ap-southeast-2"])])
        let moved = #expect(throws: S3Error.self) { try client.checkBucket() }
        #expect(moved?.code == .wrongRegion, "\(String(describing: moved))")
        #expect(moved?.description.contains("ap-southeast-2") == true)
    }

    @Test func refusesAnUntrustedCertificate() throws {
        let bucket = try harness.makeBucket("tls")
        let client = try harness.client(bucket, endpoint: URL(string: "https://127.0.0.1:\(harness.tlsPort)")!)
        let error = try #require(#expect(throws: S3Error.self) { try client.put("k", [1, 2, 3]) })
        #expect(error.code == .network)
        #expect(error.description.contains("certificate") || error.description.contains("TLS") || error.description.contains("SSL"), "\(error)")
        #expect(try harness.log(bucket).isEmpty)   // nothing reached the server
    }

    @Test func malformedAndHostileResponsesThrow() throws {
        let bucket = try harness.makeBucket("hostile")
        let client = try harness.client(bucket) { $0.maximumAttempts = 2 }
        try client.put("k", bytes(100))
        let bodies = [
            "<ListBucketResult><Contents><Key>a</Key>", "not xml at all", "<Error><Code>",
            "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
            "<ListBucketResult><Contents><Key>a</Key><Size>-5</Size></Contents></ListBucketResult>",
            "<ListBucketResult><Contents><Key>%zz</Key><Size>1</Size></Contents><EncodingType>url</EncodingType></ListBucketResult>",
            String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100),
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ListBucketResult><Contents><Key>&e;</Key><Size>1</Size></Contents></ListBucketResult>",
        ]
        for body in bodies {
            try harness.inject([.init(bucket: bucket, method: "GET", fault: "body", query: "list-type", status: 200, body: body)])
            let error = #expect(throws: S3Error.self, "\(body)") { try client.list() }
            #expect(error?.code == .malformedResponse, "\(body)")
        }
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "body", key: "k", status: 500, body: "<html>proxy error</html>")])
        #expect(try client.get("k") == bytes(100))   // retried past a non-XML 500
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "huge", key: "k", length: 1 << 50)])
        let huge = #expect(throws: S3Error.self) { try client.get("k", limit: 1 << 20) }
        #expect(huge?.code == .responseTooLarge)
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "huge", count: 2, key: "k", length: 1000)])
        let cut = #expect(throws: S3Error.self) { try client.get("k") }
        #expect(cut?.code == .network)
    }
}
