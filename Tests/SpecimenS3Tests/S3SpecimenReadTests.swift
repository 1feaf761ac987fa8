import Foundation
import MessagePack
import Parquet
import SpecimenS3
import Specimens
import Testing

/// Specimens written on disk, uploaded to a bucket, and read back through `S3Storage`: the
/// same runs, details and metrics as the local copy.
@Suite struct S3SpecimenReadTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// Writes three sealed runs (the third with an extra column) into `folder`.
    static func writeRuns(_ folder: String) throws {
        for index in 0 ..< 3 {
            let params: MessagePackValue = ["lr": .float64(0.1 * Double(index + 1)), "index": .int(Int64(index))]
            let storage = try SpecimenStorage(at: folder, params: params)
            for step in 0 ..< 50 {
                try storage.log(["loss": .double(1.0 / Double(step + 1)), "accuracy": .double(Double(step) / 50)])
                if index == 2 { try storage.log(["extra": .int(Int64(step))]) }
            }
            try storage.setNotes("run \(index)")
            try storage.finish()
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    @Test func readsAnUploadedSpecimenLikeTheLocalCopy() throws {
        let bucket = try harness.makeBucket("read")
        let client = try harness.client(bucket)
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        try Self.writeRuns(local + "/demo")
        try S3Upload.folder(local, to: "lab", client: client)

        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let remote = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let disk = try Specimen(at: local + "/demo")
        #expect(remote.name == "demo")
        let ids = try disk.listRuns()
        #expect(ids.count == 3)
        #expect(try remote.listRuns() == ids)
        for id in ids {
            let a = try disk.runInfo(id), b = try remote.runInfo(id)
            #expect(b.state == a.state)
            #expect(b.rows == a.rows)
            #expect(b.params == a.params)
            #expect(b.notes == a.notes)
            #expect(b.path == "s3://\(bucket)/lab/demo/runs/\(id)")
            #expect(try remote.readMetrics(run: id) == disk.readMetrics(run: id))
            let report = try remote.verify(run: id)
            #expect(report.changed.isEmpty && report.missing.isEmpty && report.verified > 0)
        }
        #expect(try remote.runInfos().map(\.id) == ids)
        #expect(try remote.readAllRuns() == disk.readAllRuns())
        #expect(try remote.readMetrics() == disk.readMetrics())

        let root = try SpecimenRoot(at: "s3://\(bucket)/lab", storage: storage)
        #expect(try root.specimenNames() == ["demo"])
        #expect(throws: SpecimenError.self) { try Specimen(at: "s3://\(bucket)/lab/missing", storage: storage) }
        #expect(throws: SpecimenError.self) { try remote.runInfo(try RunID("20000101_000000")) }
    }

    @Test func readsAnUnsealedRunFromItsJournal() throws {
        let bucket = try harness.makeBucket("journal")
        let client = try harness.client(bucket)
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        let writer = try SpecimenStorage(at: local + "/live", params: ["k": MessagePackValue.int(1)])
        for step in 0 ..< 20 { try writer.log(["x": .double(Double(step))]) }
        try writer.flush()
        try S3Upload.folder(local, to: "p", client: client)
        try writer.finish()

        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket, prefix: "p"))
        let remote = try Specimen(at: "live", storage: storage)   // relative to the root prefix
        let id = try #require(try remote.listRuns().first)
        let info = try remote.runInfo(id)
        #expect(!info.state.isSealed)
        #expect(info.rows == 20)
        #expect(try remote.readMetrics(run: id).rowCount == 20)
        #expect(((try? remote.readAllRuns())?.rowCount ?? 0) == 0)   // unsealed runs are not history yet
    }

    @Test func storageFailuresAreErrorsNotEmptyAnswers() throws {
        let bucket = try harness.makeBucket("failures")
        let client = try harness.client(bucket)
        try client.put("lab/demo/manifest.msgpack", [0x80])
        try client.put("lab/demo/runs/20250101_120000/manifest.msgpack", [0x80])
        let secret = "wrong-secret-\(UInt32.random(in: 0 ... .max))"
        let wrong = try S3Storage(client: try harness.client(bucket, secret: secret), root: try S3Address(bucket: bucket))
        let refused = #expect(throws: SpecimenError.self) { try Specimen(at: "s3://\(bucket)/lab/demo", storage: wrong) }
        #expect(refused?.code != .notFound)
        #expect(refused.map { "\($0)".contains(bucket) } == true)
        #expect(refused.map { "\($0)".contains(secret) } == false)
        #expect(throws: SpecimenError.self) { try SpecimenRoot(at: "s3://\(bucket)", storage: wrong) }
        #expect(throws: SpecimenError.self) { try SpecimenRoot(at: "s3://no-such-bucket-\(UInt32.random(in: 0 ... .max))", storage: try S3Storage.fromEnvironment("s3://no-such-bucket-x", environment: [
            "AWS_ACCESS_KEY_ID": harness.accessKeyID, "AWS_SECRET_ACCESS_KEY": harness.secretAccessKey, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": harness.endpoint.absoluteString, "HOME": NSTemporaryDirectory()]))
        }
        // Listing the runs while the server fails (past the retries) throws; it is not "no runs".
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let specimen = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        #expect(try specimen.listRuns().count == 1)
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "500", count: 20, query: "list-type")])
        #expect(throws: SpecimenError.self) { try specimen.listRuns() }
    }
}
