import Foundation
import MessagePack
import Parquet
import SpecimenS3
@testable import Specimens
import Testing

/// Long runs in a bucket: rows leave memory as on the local disk, the journal keeps a local
/// copy that sealing reads instead of downloading the chunks, and an appended file's chunks
/// are read by range without fetching the others.
@Suite struct S3LongRunTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    @Test func anAppendedFileKeepsALocalCopyAndIsReadByRangeAcrossItsChunks() throws {
        let bucket = try harness.makeBucket("append")
        let storage = try S3Storage(client: try harness.client(bucket), root: try S3Address(bucket: bucket))
        let file = try storage.openAppend("s3://\(bucket)/lab/runs/r/.journal")
        var appended: [UInt8] = []
        for chunk in 0 ..< 5 {
            let bytes = (0 ..< (100 + chunk * 37)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ chunk) }
            try bytes.withUnsafeBytes { try file.append($0) }
            appended += bytes
            if chunk < 4 { try file.sync() }   // the last is uploaded by close
        }
        let copy = try #require(file.localCopy)
        file.close()
        #expect(FileManager.default.contents(atPath: copy).map(Array.init) == appended)
        #expect(try storage.read("s3://\(bucket)/lab/runs/r/.journal", limit: 1 << 20) == appended)
        for range in [0 ..< 10, 95 ..< 105, 90 ..< 400, 137 ..< 238, 500 ..< appended.count, 0 ..< appended.count, 600 ..< 900] {
            let expected = Array(appended[min(range.lowerBound, appended.count) ..< min(range.upperBound, appended.count)])
            #expect(try storage.read("s3://\(bucket)/lab/runs/r/.journal", range: range) == expected, "range \(range)")
        }
        file.removeLocalCopy()
        #expect(!FileManager.default.fileExists(atPath: copy))
    }

    @Test func aRunWhoseRowsLeftMemoryIsSealedFromItsJournal() throws {
        let bucket = try harness.makeBucket("long")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket))
        let path = "s3://\(bucket)/lab/long"
        var options = SpecimenStorage.Options()
        options.flushInterval = 0.1
        options.recordGit = false
        options.retainedValues = 200
        options.sealBatchRows = 64
        let writer = try SpecimenStorage(at: path, storage: storage, params: ["a": MessagePackValue.int(1)], options: options)
        for step in 0 ..< 1_500 {
            // `epoch` is promoted to double after the rows left memory.
            var pairs: [(key: String, value: MetricValue)] = [("loss", .double(1 / Double(step + 1))),
                                                              ("epoch", step == 700 ? .double(7.5) : .int(Int64(step / 100)))]
            if step % 3 == 0 { pairs.append(("phase", .string(step % 2 == 0 ? "train" : "eval"))) }
            try writer.log(step: nil, time: nil, pairs: pairs)
        }
        try writer.finish()
        // Sealing read the journal's local copy: no chunk of it was downloaded.
        let chunkGETs = try harness.log(bucket).filter { $0.method == "GET" && $0.key.contains(".journal.chunks/") }
        #expect(chunkGETs.isEmpty, "\(chunkGETs.count) GETs of journal chunks")
        let specimen = try Specimen(at: path, storage: storage)
        let table = try specimen.readMetrics(run: writer.runID)
        #expect(table.rowCount == 1_500)
        #expect(table["epoch"]?.type == .double)
        #expect(table["loss"]?[1_499] == .double(1 / 1_500))
        #expect(table["epoch"]?[700] == .double(7.5))
        #expect(table["phase"]?[1] == .null && table["phase"]?[3] == .string("eval") && table["phase"]?[6] == .string("train"))
        let sealed = try client.get("lab/long/runs/\(writer.runID)/metrics.parquet")
        #expect(try ParquetReader(bytes: sealed).rowGroupCount == (1_500 + 63) / 64)
        #expect(try specimen.verify(run: writer.runID).isIntact)
        #expect(try specimen.runInfo(writer.runID).manifest?["warnings"] == nil)
    }
}
