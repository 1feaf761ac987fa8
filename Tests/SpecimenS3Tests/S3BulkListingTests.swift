import Foundation
import MessagePack
import Parquet
import SpecimenS3
import Specimens
import Testing

/// `readAllRuns` without a cache learns which runs are sealed from one listing of the runs'
/// files (`S3Storage.filesOfSubfolders`) instead of a manifest GET per run, and falls back to
/// the manifests wherever the listing cannot tell.
@Suite struct S3BulkListingTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// Three sealed runs with several journal chunks each, and one running run, in `path`;
    /// returns the running run's writer (finish it at the end).
    func writeRuns(_ path: String, storage: S3Storage) throws -> SpecimenStorage {
        var options = SpecimenStorage.Options()
        options.flushInterval = 60
        options.recordGit = false
        for index in 0 ..< 3 {
            let writer = try SpecimenStorage(at: path, storage: storage, params: ["i": MessagePackValue.int(Int64(index))], options: options)
            for step in 0 ..< 30 {
                try writer.log(["loss": .double(Double(step)), "index": .int(Int64(index))])
                if step % 10 == 9 { try writer.flush() }   // a chunk per flush
            }
            try writer.finish()
        }
        let running = try SpecimenStorage(at: path, storage: storage, params: ["i": MessagePackValue.int(3)], options: options)
        try running.log(["loss": .double(0)])
        try running.flush()
        return running
    }

    /// The GETs of `bucket` since `start` (an index into its log) whose key ends with `suffix`.
    func gets(_ bucket: String, since start: Int, endingWith suffix: String) throws -> Int {
        try harness.log(bucket).dropFirst(start).filter { $0.method == "GET" && $0.key.hasSuffix(suffix) }.count
    }

    /// A sweep of ``writeRuns(_:storage:)`` in a fresh bucket, read without a cache.
    struct Sweep {
        let bucket: String, client: S3Client, storage: S3Storage, specimen: Specimen, running: SpecimenStorage
    }

    func sweep(_ name: String) throws -> Sweep {
        let bucket = try harness.makeBucket(name)
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let path = "s3://\(bucket)/lab/sweep"
        let running = try writeRuns(path, storage: storage)
        return Sweep(bucket: bucket, client: client, storage: storage, specimen: try Specimen(at: path, storage: storage), running: running)
    }

    @Test func readAllRunsListsTheRunsInsteadOfReadingTheirManifests() throws {
        let sweep = try sweep("bulk")
        defer { try? sweep.running.finish() }
        let (bucket, client, storage, specimen, running) = (sweep.bucket, sweep.client, sweep.storage, sweep.specimen, sweep.running)
        let ids = try specimen.listRuns()
        #expect(ids.count == 4)

        let listed = try #require(storage.filesOfSubfolders(specimen.runsPath))
        #expect(Set(listed.keys) == Set(ids.map(\.rawValue)))
        for id in ids.dropLast() {
            let files = try #require(listed[id.rawValue])
            let size = try #require(try client.head("lab/sweep/runs/\(id)/metrics.parquet")?.size)
            #expect(files["metrics.parquet"] == size)
            #expect(files["manifest.msgpack"] != nil)
            #expect(files.keys.allSatisfy { !$0.contains(S3Storage.chunkSuffix) }, "\(files.keys.sorted())")
        }
        #expect(listed[running.runID.rawValue]?["manifest.msgpack"] == nil)
        #expect(listed[running.runID.rawValue]?[S3Storage.claimName] != nil)

        // Through the manifests (a cache makes the reader read them: it checks what it keeps).
        let cache = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let cached = try S3Storage(client: client, root: storage.root, cache: SealedFileCache(folder: cache))
        #expect(cached.filesOfSubfolders(specimen.runsPath) == nil)
        let expected = try Specimen(at: specimen.path, storage: cached).readAllRuns()
        #expect(expected.rowCount == 90)

        let start = try harness.log(bucket).count
        #expect(try specimen.readAllRuns() == expected)
        #expect(try gets(bucket, since: start, endingWith: "/manifest.msgpack") == 0)
        #expect(try gets(bucket, since: start, endingWith: "/metrics.parquet") == 3)
    }

    @Test func theManifestsAreReadWhereTheListingCannotTell() throws {
        let sweep = try sweep("bulkfall")
        defer { try? sweep.running.finish() }
        let (bucket, storage, specimen) = (sweep.bucket, sweep.storage, sweep.specimen)
        let ids = try specimen.listRuns()
        let expected = try specimen.readAllRuns()
        #expect(expected.rowCount == 90)

        // A server that rolls keys up at the wrong place (it does not honour the delimiter).
        let wrong = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult><Name>\(bucket)</Name><Prefix>lab/sweep/runs/</Prefix><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>
            <CommonPrefixes><Prefix>lab/sweep/runs/\(ids[0])/manifest.</Prefix></CommonPrefixes></ListBucketResult>
            """
        try harness.inject([.init(bucket: bucket, method: "GET", fault: "body", count: 2, query: "delimiter=.chunks", status: 200, body: wrong)])
        #expect(storage.filesOfSubfolders(specimen.runsPath) == nil)
        var start = try harness.log(bucket).count
        #expect(try specimen.readAllRuns() == expected)
        #expect(try gets(bucket, since: start, endingWith: "/manifest.msgpack") == 4)

        // A run of many files: the listing stops before it pays, and every run is read through its manifest.
        try harness.seed(bucket, prefix: "lab/sweep/runs/\(ids[0])/artifacts/", count: 1_100)
        let listed = try #require(storage.filesOfSubfolders(specimen.runsPath))
        #expect(listed.isEmpty)
        start = try harness.log(bucket).count
        #expect(try specimen.readAllRuns() == expected)
        #expect(try gets(bucket, since: start, endingWith: "/manifest.msgpack") == 4)
    }
}
