import Foundation
import MessagePack
import Parallel
import Parquet
import SpecimenS3
import Specimens
import Testing

/// Runs written straight into a bucket through `S3Storage`: claimed IDs, journal chunks,
/// sealing; every object created once (the bucket is versioned, so an overwrite would show).
@Suite struct S3SpecimenWriteTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    /// Checks that no object of `bucket` has more than one version; returns how many objects.
    func expectNoOverwrites(_ bucket: String, _ client: S3Client) throws -> Int {
        let objects = try client.list(prefix: "").objects
        for object in objects {
            let versions = try harness.versions(bucket, object.key)
            #expect(versions == 1, "\(object.key) has \(versions) versions")
        }
        return objects.count
    }

    func options(flushInterval: Double = 0.2) -> SpecimenStorage.Options {
        var options = SpecimenStorage.Options()
        options.flushInterval = flushInterval
        options.recordGit = false
        return options
    }

    @Test func writesAndSealsARun() throws {
        let bucket = try harness.makeBucket("write")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let path = "s3://\(bucket)/lab/w"
        let writer = try SpecimenStorage(at: path, storage: storage, params: ["a": MessagePackValue.int(1)], options: options())
        for step in 0 ..< 100 { try writer.log(["loss": .double(Double(step))]) }
        try writer.flush()
        let id = writer.runID
        let specimen = try Specimen(at: path, storage: storage)
        #expect(try specimen.listRuns() == [id])
        let live = try specimen.runInfo(id)
        #expect(live.state == .running)
        #expect(live.rows == 100)
        #expect(try specimen.readMetrics(run: id).rowCount == 100)
        let chunks = try client.list(prefix: "lab/w/runs/\(id)/.journal.chunks/").objects
        #expect(!chunks.isEmpty)
        #expect(try client.head("lab/w/runs/\(id)/.claim") != nil)

        try writer.setTags(["s3"])
        try writer.finish()
        let sealed = try specimen.runInfo(id)
        #expect(sealed.state == .sealed(.completed))
        #expect(sealed.rows == 100)
        #expect(sealed.tags == ["s3"])
        #expect(sealed.params == ["a": .int(1)])
        let table = try specimen.readAllRuns()
        #expect(table.rowCount == 100)
        #expect(table.columns.first?.name == "run_id")
        let report = try specimen.verify(run: id)
        #expect(report.changed.isEmpty && report.missing.isEmpty && report.extra.isEmpty)
        #expect(try specimen.recover().isEmpty)
        #expect(try expectNoOverwrites(bucket, client) > 5)
    }

    @Test func concurrentWritersGetDistinctSealedRuns() throws {
        let bucket = try harness.makeBucket("writers")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let path = "s3://\(bucket)/many"
        let count = 8
        let ids = Slots<RunID>(count: count)
        let failures = Slots<String>(count: count)
        Parallel.forEach(count, threads: count) { index in
            do {
                let writer = try SpecimenStorage(at: path, storage: storage, params: ["i": MessagePackValue.int(Int64(index))], options: options())
                for step in 0 ..< 20 { try writer.log(["v": .double(Double(index * 100 + step))]) }
                try writer.finish()
                ids.set(index, writer.runID)
            } catch {
                failures.set(index, "\(error)")
            }
        }
        #expect(failures.values.compactMap { $0 }.isEmpty)
        let written = ids.values.compactMap { $0 }
        #expect(Set(written).count == count)
        let specimen = try Specimen(at: path, storage: storage)
        #expect(try specimen.listRuns() == written.sorted())
        for info in try specimen.runInfos() {
            #expect(info.state == .sealed(.completed))
            #expect(info.rows == 20)
        }
        #expect(try specimen.readAllRuns().rowCount == 20 * count)
        _ = try expectNoOverwrites(bucket, client)
    }

    @Test func runsInABucketFlushEveryTenSecondsUnlessTold() throws {
        let bucket = try harness.makeBucket("interval")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        #expect(storage.defaultFlushInterval == 10)
        var defaults = options()
        defaults.flushInterval = nil
        let writer = try SpecimenStorage(at: "s3://\(bucket)/d", storage: storage, options: defaults)
        let environment = ProcessInfo.processInfo.environment["SPECIMEN_FLUSH_INTERVAL"].flatMap(Double.init)
        #expect(writer.flushInterval == environment ?? 10)
        try writer.log(["x": .double(1)])
        try writer.finish()
        let told = try SpecimenStorage(at: "s3://\(bucket)/d", storage: storage, options: options(flushInterval: 0.5))
        #expect(told.flushInterval == 0.5)
        try told.finish()
        #expect(try Specimen(at: "s3://\(bucket)/d", storage: storage).runInfos().map(\.state) == [.sealed(.completed), .sealed(.completed)])
    }

    @Test func aTakenRunIDIsRefused() throws {
        let bucket = try harness.makeBucket("taken")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        var fixed = options()
        fixed.runID = try RunID("20250101_120000")
        let first = try SpecimenStorage(at: "s3://\(bucket)/s", storage: storage, options: fixed)
        let error = #expect(throws: SpecimenError.self) { try SpecimenStorage(at: "s3://\(bucket)/s", storage: storage, options: fixed) }
        #expect(error?.code == .alreadyExists)
        try first.finish()
        _ = try expectNoOverwrites(bucket, client)
    }

    @Test func recoversARunWithoutAWriter() throws {
        let bucket = try harness.makeBucket("recover")
        let client = try harness.client(bucket)
        let local = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: local) }
        let writer = try SpecimenStorage(at: local + "/r", params: ["k": MessagePackValue.int(7)], options: options())
        for step in 0 ..< 30 { try writer.log(["x": .double(Double(step))]) }
        try writer.flush()
        // The run as a dead writer leaves it: a journal, and no live marker. A copy is uploaded,
        // since the live writer's flusher keeps rewriting the marker in its own folder.
        let dead = try S3Upload.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dead) }
        try FileManager.default.removeItem(atPath: dead)
        try FileManager.default.copyItem(atPath: local, toPath: dead)
        try? FileManager.default.removeItem(atPath: dead + "/r/runs/\(writer.runID)/.running")
        #expect(!FileManager.default.fileExists(atPath: dead + "/r/runs/\(writer.runID)/.running"))
        try S3Upload.folder(dead, to: "lab", client: client)
        try writer.finish()

        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let specimen = try Specimen(at: "s3://\(bucket)/lab/r", storage: storage)
        let id = writer.runID
        guard case .crashed = try specimen.runInfo(id).state else {
            Issue.record("expected a crashed run, got \(try specimen.runInfo(id).state)")
            return
        }
        #expect(try specimen.recover() == [id])
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.crashed))
        #expect(info.rows == 30)
        #expect(info.params == ["k": .int(7)])
        #expect(try specimen.readMetrics(run: id).rowCount == 30)
        _ = try expectNoOverwrites(bucket, client)
    }

    @Test func aRunSurvivesResetsAndServerErrors() throws {
        let bucket = try harness.makeBucket("faults")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        try harness.inject([
            .init(bucket: bucket, method: "PUT", fault: "reset", after: true, key: ".claim"),
            .init(bucket: bucket, method: "PUT", fault: "500", count: 2, key: ".journal.chunks/"),
            .init(bucket: bucket, method: "PUT", fault: "reset", count: 1, after: true, key: ".journal.chunks/00000002"),
            .init(bucket: bucket, method: "PUT", fault: "503", count: 1, key: "metrics.parquet"),
            .init(bucket: bucket, method: "PUT", fault: "reset", count: 1, after: true, key: "runs/2"),
            .init(bucket: bucket, method: "GET", fault: "reset", count: 2, query: "list-type"),
        ])
        let path = "s3://\(bucket)/f"
        let writer = try SpecimenStorage(at: path, storage: storage, params: ["f": MessagePackValue.int(1)], options: options())
        for step in 0 ..< 200 {
            try writer.log(["v": .double(Double(step))])
            if step % 50 == 0 { try writer.flush() }
        }
        try writer.finish()
        let specimen = try Specimen(at: path, storage: storage)
        let info = try specimen.runInfo(writer.runID)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 200)
        #expect(try specimen.readMetrics(run: writer.runID).rowCount == 200)
        #expect(try harness.log(bucket).contains { $0.fault != nil })
        _ = try expectNoOverwrites(bucket, client)
    }
}
