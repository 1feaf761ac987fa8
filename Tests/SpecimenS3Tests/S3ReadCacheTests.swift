import Foundation
import InteropSupport
import MessagePack
import Parquet
import SpecimenS3
import Specimens
import Testing

/// Reading many runs from S3: batched, parallel GETs give the answers sequential reads give, and
/// the local cache of sealed runs' files is filled (checked), reused, re-checked, bypassed, and
/// never holds a running run's files.
@Suite struct S3ReadCacheTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// A bucket holding three sealed runs and one running run of `lab/demo`, the local copy,
    /// and a client.
    func upload(_ name: String) throws -> (bucket: String, client: S3Client, local: String, running: RunID, writer: SpecimenStorage) {
        let bucket = try harness.makeBucket(name)
        let client = try harness.client(bucket)
        let local = try S3Upload.temporaryFolder()
        try S3SpecimenReadTests.writeRuns(local + "/demo")
        Thread.sleep(forTimeInterval: 1.1)   // a new second: the running run gets its own ID
        let writer = try SpecimenStorage(at: local + "/demo", params: ["live": MessagePackValue.int(1)])
        for step in 0 ..< 10 { try writer.log(["x": .double(Double(step))]) }
        try writer.flush()
        try S3Upload.folder(local, to: "lab", client: client)
        return (bucket, client, local, writer.runID, writer)
    }

    /// Every file under `folder`, relative to it.
    static func files(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var result: [String] = []
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue { result.append(relative) }
        }
        return result.sorted()
    }

    /// The GETs the proxy saw for keys ending in `suffix`.
    func gets(_ bucket: String, endingIn suffix: String) throws -> Int {
        try harness.log(bucket).filter { $0.method == "GET" && $0.key.hasSuffix(suffix) && !$0.query.contains("list-type") }.count
    }

    @Test func batchedParallelReadsGiveTheSequentialAnswers() throws {
        let (bucket, client, local, running, writer) = try upload("batched")
        defer { try? writer.finish(); try? FileManager.default.removeItem(atPath: local) }
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))   // no cache
        let remote = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let disk = try Specimen(at: local + "/demo")
        let ids = try remote.listRuns()
        #expect(ids.count == 4 && ids.last == running)

        let batched = try remote.runInfos()
        #expect(batched.map(\.id) == ids)
        for info in batched {
            let one = try remote.runInfo(info.id)   // read on its own, sequentially
            #expect(info.state == one.state)
            #expect(info.rows == one.rows)
            #expect(info.params == one.params)
            #expect(info.notes == one.notes)
            #expect(info.columns == one.columns)
            #expect(info.startedAt == one.startedAt && info.endedAt == one.endedAt)
        }
        #expect(!batched[3].state.isSealed && batched[3].rows == 10)
        #expect(try remote.readAllRuns() == disk.readAllRuns())
        let some = try remote.readRunsTable([ids[2], ids[0], running])
        let expected = try disk.readRunsTable([ids[2], ids[0], running])
        #expect(some.table == expected.table)
        #expect(some.skipped.map(\.run) == [running])
        let selected = try remote.runs(where: "status == 'completed'", sort: ["params.lr:desc"])
        #expect(selected.map(\.id) == Array(ids.prefix(3).reversed()))

        // readMany agrees with read, path by path, missing files included.
        let paths = ids.map { remote.runPath($0) + "/manifest.msgpack" } + ["lab/demo/runs/none/manifest.msgpack"]
        let many = storage.readMany(paths, limit: 1 << 20)
        for (path, result) in zip(paths, many) {
            switch result {
            case .success(let bytes): #expect(bytes == (try storage.read(path, limit: 1 << 20)))
            case .failure(let error): #expect(error.code == .notFound); #expect(throws: SpecimenError.self) { try storage.read(path, limit: 1 << 20) }
            }
        }
    }

    @Test func theCacheIsFilledCheckedReusedAndNeverHoldsARunningRun() throws {
        let (bucket, client, local, running, writer) = try upload("cache")
        defer { try? writer.finish(); try? FileManager.default.removeItem(atPath: local) }
        let folder = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = SealedFileCache(folder: folder)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket), cache: cache)
        let remote = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let disk = try Specimen(at: local + "/demo")
        let sealed = try disk.listRuns().filter { $0 != running }

        let table = try remote.readAllRuns()
        #expect(table == (try disk.readAllRuns()))
        let cached = Self.files(under: folder)
        let endpoint = "127.0.0.1_\(harness.port)"
        var expected: [String] = []
        for id in sealed {
            expected.append("s3/\(endpoint)/\(bucket)/lab/demo/runs/\(id)/manifest.msgpack")
            expected.append("s3/\(endpoint)/\(bucket)/lab/demo/runs/\(id)/metrics.parquet")
        }
        #expect(cached == expected.sorted())   // sealed runs only: no journal, marker, running run, temporary file
        #expect(!cached.contains { $0.contains(running.rawValue) || $0.contains("/.") })
        for id in sealed {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/s3/\(endpoint)/\(bucket)/lab/demo/runs/\(id)/metrics.parquet"))
            #expect([UInt8](bytes) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: local + "/demo/runs/\(id)/metrics.parquet"))))
        }

        // Reused: reading again fetches no sealed file from S3; the details come from the cache too.
        let before = try gets(bucket, endingIn: "metrics.parquet"), manifestsBefore = try gets(bucket, endingIn: "manifest.msgpack")
        #expect(try remote.readAllRuns() == table)
        #expect(try remote.runInfos().count == sealed.count + 1)
        #expect(try gets(bucket, endingIn: "metrics.parquet") == before)
        // Only the running run's manifest is asked for again (it has none yet).
        #expect(try gets(bucket, endingIn: "manifest.msgpack") - manifestsBefore == 2)

        // A cached file changed on the local disk is detected, removed and fetched again.
        let damaged = folder + "/s3/\(endpoint)/\(bucket)/lab/demo/runs/\(sealed[1])/metrics.parquet"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: damaged)))
        bytes[bytes.count / 2] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let manifest = folder + "/s3/\(endpoint)/\(bucket)/lab/demo/runs/\(sealed[0])/manifest.msgpack"
        try Data([0x80]).write(to: URL(fileURLWithPath: manifest))
        #expect(try remote.readAllRuns() == table)
        #expect(try gets(bucket, endingIn: "metrics.parquet") == before + 1)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: damaged))) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: local + "/demo/runs/\(sealed[1])/metrics.parquet"))))
        #expect(try remote.runInfo(sealed[0]).state.isSealed)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: manifest))) != [0x80])

        // A process with an empty cache reads the same; so does one without a cache.
        let empty = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let fresh = try Specimen(at: "s3://\(bucket)/lab/demo", storage: try S3Storage(client: client, root: try S3Address(bucket: bucket), cache: SealedFileCache(folder: empty)))
        #expect(try fresh.readAllRuns() == table)
        #expect(try fresh.runInfos().map(\.state) == (try remote.runInfos().map(\.state)))
        let uncached = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage.withoutCache())
        let untouched = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: untouched) }
        #expect(try uncached.readAllRuns() == table)
        #expect(try uncached.runInfos().map(\.id) == (try remote.listRuns()))

        // Once the running run is sealed (and uploaded), it is read and cached like the others.
        try writer.finish()
        try S3Upload.folder(local + "/demo/runs/\(running)", to: "lab/demo/runs/\(running)", client: client)
        #expect(try remote.runInfo(running).state.isSealed)
        #expect(try remote.readAllRuns() == (try disk.readAllRuns()))
        #expect(Self.files(under: folder).contains("s3/\(endpoint)/\(bucket)/lab/demo/runs/\(running)/metrics.parquet"))
    }

    @Test func aFileThatDoesNotMatchItsManifestIsAnErrorAndIsNotCached() throws {
        let (bucket, client, local, _, writer) = try upload("mismatch")
        defer { try? writer.finish(); try? FileManager.default.removeItem(atPath: local) }
        let folder = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let disk = try Specimen(at: local + "/demo")
        let ids = try disk.listRuns()
        // Replace run 1's metrics with run 0's bytes (a valid Parquet file, not the one sealed).
        let other = [UInt8](try Data(contentsOf: URL(fileURLWithPath: local + "/demo/runs/\(ids[0])/metrics.parquet")))
        try client.put("lab/demo/runs/\(ids[1])/metrics.parquet", other)

        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket), cache: SealedFileCache(folder: folder))
        let remote = try Specimen(at: "s3://\(bucket)/lab/demo", storage: storage)
        let result = try remote.readRunsTable()
        #expect(result.skipped.map(\.run) == [ids[1]])
        let reason = result.skipped.first?.reason ?? ""
        #expect(reason.contains("s3://\(bucket)/lab/demo/runs/\(ids[1])/metrics.parquet"), "\(reason)")
        #expect(reason.contains("SHA-256") || reason.contains("bytes"), "\(reason)")
        #expect(!Self.files(under: folder).contains { $0.contains("\(ids[1])/metrics.parquet") })
        #expect(Self.files(under: folder).contains { $0.contains("\(ids[0])/metrics.parquet") })
        let files = storage.readSealed([SealedFile(path: "lab/demo/runs/\(ids[1])/metrics.parquet", check: .digest(size: 1, sha256: "00"), limit: 1 << 20)])
        #expect(throws: SpecimenError.self) { try files[0].get() }
    }

    @Test func theCacheFolderComesFromTheEnvironment() {
        #expect(SealedFileCache.fromEnvironment(["SPECIMEN_CACHE": "/tmp/c/", "HOME": "/h"])?.folder == "/tmp/c")
        #expect(SealedFileCache.fromEnvironment(["SPECIMEN_CACHE": "off", "HOME": "/h"]) == nil)
        #expect(SealedFileCache.fromEnvironment(["XDG_CACHE_HOME": "/x", "HOME": "/h"])?.folder == "/x/specimen")
        #expect(SealedFileCache.fromEnvironment(["HOME": "/h"])?.folder == "/h/.cache/specimen")
        #expect(SealedFileCache.fromEnvironment([:]) == nil)
    }

    @Test func readingCommandsFillTheCacheUnlessToldNotTo() throws {
        let (bucket, _, local, running, writer) = try upload("clicache")
        defer { try? writer.finish(); try? FileManager.default.removeItem(atPath: local) }
        let cli = try S3CLITests()
        let cache = local + "/.cache/specimen"   // $HOME/.cache/specimen: HOME is `local`
        let specimen = "s3://\(bucket)/lab/demo"
        for command in [["runs", specimen, "--json"], ["view", specimen], ["compare", specimen], ["export", specimen, "--all-runs", "--format", "csv"],
                        ["verify", specimen]] {
            let result = try cli.specimen(command + ["--no-cache"], home: local)
            #expect(result.status == 0 || command[0] == "verify", "\(command): \(result.stderrText)")
            #expect(Self.files(under: cache).isEmpty, "\(command)")
        }
        let runs = try cli.specimen(["runs", specimen, "--json"], home: local)
        #expect(runs.status == 0, "\(runs.stderrText)")
        let filled = Self.files(under: cache)
        #expect(filled.count == 3 && filled.allSatisfy { $0.hasSuffix("/manifest.msgpack") } && !filled.contains { $0.contains(running.rawValue) })
        let export = try cli.specimen(["export", specimen, "--all-runs", "--format", "csv"], home: local)
        #expect(export.status == 0, "\(export.stderrText)")
        #expect(Self.files(under: cache).filter { $0.hasSuffix("/metrics.parquet") }.count == 3)
        let again = try cli.specimen(["export", specimen, "--all-runs", "--format", "csv", "--no-cache"], home: local)
        #expect(again.stdoutText == export.stdoutText)
    }
}
