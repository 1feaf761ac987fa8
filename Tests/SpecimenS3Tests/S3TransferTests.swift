import Foundation
import MessagePack
import SpecimenS3
@testable import Specimens
import Testing

/// `SpecimenTransfer` with a bucket at one end (what `specimen push` and `pull` do), and the
/// commands themselves: round trips byte for byte, nothing copied twice, clashes left alone,
/// running runs not copied, interrupted pushes completed, every object created once.
@Suite struct S3TransferTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// Sealed runs with a file in a subfolder, and (when `running`) one more left open.
    static func makeSpecimen(_ folder: String, sealed: Int, running: Bool) throws -> SpecimenStorage? {
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.sealAtExit = false
        options.joinEnvironmentRun = false
        for index in 0 ..< sealed {
            let writer = try SpecimenStorage(at: folder, params: ["index": .int(Int64(index))], options: options)
            for step in 0 ..< 50 { try writer.log(["loss": .double(Double(index * 100 + step))]) }
            let extra = writer.strataPath + "/out"
            try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
            try Data(repeating: UInt8(index), count: 1000 + index).write(to: URL(fileURLWithPath: extra + "/model.bin"))
            try writer.finish()
        }
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: folder + "/field_notes.md"))
        guard running else { return nil }
        let open = try SpecimenStorage(at: folder, params: ["open": true], options: options)
        try open.log(["loss": .double(1)])
        try open.flush()
        return open
    }

    /// Every visible file under `folder` on disk, relative path → bytes.
    static func tree(_ folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for path in FileDigest.visibleFiles(in: folder) { result[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)) }
        return result
    }

    /// Checks that no object of the bucket has more than one version; returns how many objects.
    func expectOneVersionEach(_ bucket: String, _ client: S3Client) throws -> Int {
        let objects = try client.list(prefix: "").objects
        for object in objects {
            let versions = try harness.versions(bucket, object.key)
            #expect(versions == 1, "\(object.key) has \(versions) versions")
        }
        return objects.count
    }

    @Test func pushThenPullRoundTripsByteForByte() throws {
        let bucket = try harness.makeBucket("push")
        let client = try harness.client(bucket)
        let s3 = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        let open = try Self.makeSpecimen(local + "/demo", sealed: 3, running: true)
        defer { try? open?.finish() }
        let source = try Specimen(at: local + "/demo")
        let openID = try #require(open?.runID)
        let sealed = try source.listRuns().filter { $0 != openID }
        let remote = "s3://\(bucket)/lab/demo"

        let push = try SpecimenTransfer(from: source, to: remote, storage: s3).run()
        #expect(push.runs(.copied) == sealed)
        #expect(push.runs(.running) == [openID])
        #expect(!push.hasProblems)
        let objects = try expectOneVersionEach(bucket, client)
        #expect(objects == 2 + 3 * 3)   // specimen manifest and notes; per run metrics, model, manifest
        #expect(try client.head("lab/demo/runs/\(openID)/metrics.parquet") == nil)
        let onS3 = try Specimen(at: remote, storage: s3)
        #expect(try onS3.listRuns() == sealed)
        for id in sealed { #expect(try onS3.verify(run: id).isIntact) }

        let again = try SpecimenTransfer(from: source, to: remote, storage: s3).run()
        #expect(again.runs(.copied).isEmpty && again.runs(.skipped) == sealed && again.bytesCopied == 0)
        let puts = try harness.log(bucket).filter { $0.method == "PUT" }.count
        #expect(puts == objects, "the second push wrote nothing")

        let pull = try SpecimenTransfer(from: onS3, to: local + "/pulled/demo", storage: LocalStorage.shared).run()
        #expect(pull.runs(.copied) == sealed && !pull.hasProblems)
        #expect(try Self.tree(local + "/pulled/demo/runs") == Self.tree(local + "/demo/runs").filter { !$0.key.hasPrefix(openID.rawValue) })
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/pulled/demo/field_notes.md")) == Data("notes\n".utf8))
        let pulled = try Specimen(at: local + "/pulled/demo")
        for id in sealed { #expect(try pulled.verify(run: id).isIntact) }
        let pullAgain = try SpecimenTransfer(from: onS3, to: local + "/pulled/demo", storage: LocalStorage.shared).run()
        #expect(pullAgain.runs(.skipped) == sealed)
    }

    @Test func largeFilesGoBothWaysInPiecesAndArriveChecked() throws {
        let bucket = try harness.makeBucket("pieces")
        let client = try harness.client(bucket) {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
        }
        let s3 = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        var options = SpecimenStorage.Options()
        options.recordGit = false
        let writer = try SpecimenStorage(at: local + "/big", options: options)
        try writer.log(["loss": .double(1)])
        let weights = (0 ..< (18 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        try Data(weights).write(to: URL(fileURLWithPath: writer.strataPath + "/weights.bin"))
        try writer.finish()
        let source = try Specimen(at: local + "/big")
        let id = try #require(try source.listRuns().first)
        let key = "lab/big/runs/\(id)/weights.bin"

        let push = try SpecimenTransfer(from: source, to: "s3://\(bucket)/lab/big", storage: s3).run()
        #expect(push.runs(.copied) == [id] && !push.hasProblems)
        #expect(try client.get(key) == weights)
        #expect(try harness.log(bucket).contains { $0.method == "POST" && $0.key.hasSuffix("/weights.bin") && $0.query.contains("uploads") }, "not sent in parts")

        let onS3 = try Specimen(at: "s3://\(bucket)/lab/big", storage: s3)
        var start = try harness.log(bucket).count
        let pull = try SpecimenTransfer(from: onS3, to: local + "/pulled/big", storage: LocalStorage.shared).run()
        #expect(pull.runs(.copied) == [id] && !pull.hasProblems)
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/pulled/big/runs/\(id)/weights.bin")) == Data(weights))
        #expect(try harness.log(bucket).dropFirst(start).filter { $0.method == "GET" && $0.key.hasSuffix("/weights.bin") }.count == 2, "two 16 MiB pieces")

        // An object that no longer matches its run's manifest is fetched, refused, and leaves nothing behind.
        try client.put(key, Array(weights.reversed()))
        start = try harness.log(bucket).count
        let refused = try SpecimenTransfer(from: onS3, to: local + "/again/big", storage: LocalStorage.shared).run()
        #expect(refused.runs(.failed) == [id])
        #expect(refused.runs.first?.message?.contains("does not match the size and SHA-256") == true, "\(refused.runs.first?.message ?? "")")
        let folder = local + "/again/big/runs/\(id)"
        #expect(!FileManager.default.fileExists(atPath: folder + "/weights.bin"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).allSatisfy { !$0.hasPrefix(".tmp") })
    }

    @Test func aClashIsReportedAndLeftAlone() throws {
        let bucket = try harness.makeBucket("clash")
        let client = try harness.client(bucket)
        let s3 = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        _ = try Self.makeSpecimen(local + "/demo", sealed: 2, running: false)
        let source = try Specimen(at: local + "/demo")
        let ids = try source.listRuns()
        // Another run under the first ID already in the bucket (a different manifest).
        var manifest = try RunManifest(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: source.runPath(ids[0]) + "/manifest.msgpack"))))
        manifest.append(key: "notes", value: "another machine's run")
        _ = try client.create("lab/demo/runs/\(ids[0])/manifest.msgpack", manifest.encoded())

        let report = try SpecimenTransfer(from: source, to: "s3://\(bucket)/lab/demo", storage: s3).run()
        #expect(report.runs(.clash) == [ids[0]])
        #expect(report.runs(.copied) == [ids[1]])
        #expect(report.hasProblems)
        #expect(try client.list(prefix: "lab/demo/runs/\(ids[0])/").objects.map(\.key) == ["lab/demo/runs/\(ids[0])/manifest.msgpack"])
        #expect(try expectOneVersionEach(bucket, client) > 0)
    }

    @Test func anInterruptedPushIsCompletedWithEveryObjectAtOneVersion() throws {
        let bucket = try harness.makeBucket("resume")
        let client = try harness.client(bucket) { $0.maximumAttempts = 2; $0.baseRetryDelay = 0.01 }
        let s3 = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        _ = try Self.makeSpecimen(local + "/demo", sealed: 3, running: false)
        let source = try Specimen(at: local + "/demo")
        let ids = try source.listRuns()
        // A push killed half way: the first run's metrics copied, not its other file nor its manifest.
        _ = try client.create("lab/demo/runs/\(ids[0])/metrics.parquet",
                              Array(try Data(contentsOf: URL(fileURLWithPath: source.runPath(ids[0]) + "/metrics.parquet"))))
        // And the third run's model upload fails on both attempts: that run is left without
        // its manifest (incomplete), to be completed by the next push.
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "500", count: 2, key: "runs/\(ids[2])/out/model.bin")])

        let first = try SpecimenTransfer(from: source, to: "s3://\(bucket)/lab/demo", storage: s3).run()
        #expect(first.runs(.copied) == [ids[0], ids[1]])
        #expect(first.runs.first?.filesPresent == 1)
        #expect(first.runs(.failed) == [ids[2]])
        #expect(try client.head("lab/demo/runs/\(ids[2])/manifest.msgpack") == nil)
        let onS3 = try Specimen(at: "s3://\(bucket)/lab/demo", storage: s3)
        #expect(try onS3.runInfo(ids[2]).state.isSealed == false)

        // The completing manifest's answer is lost once (it took effect): the retry meets 412
        // and must count the object as its own, not as a clash.
        try harness.inject([.init(bucket: bucket, method: "PUT", fault: "reset", count: 1, after: true, key: "runs/\(ids[2])/manifest.msgpack")])
        let second = try SpecimenTransfer(from: source, to: "s3://\(bucket)/lab/demo", storage: s3).run()
        #expect(second.runs(.copied) == [ids[2]], "\(second.runs)")
        #expect(second.runs(.skipped) == [ids[0], ids[1]])
        #expect(!second.hasProblems)
        for id in ids { #expect(try onS3.verify(run: id).isIntact) }
        #expect(try expectOneVersionEach(bucket, client) == 2 + 3 * 3)
    }
}
