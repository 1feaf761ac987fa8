import Foundation
import InteropSupport
import MessagePack
import Parquet
@testable import Specimens
import Testing

/// `MetricsFollower` through a real protocol run: a file larger than one batch
/// (`MetricsFollower.batchBytes`) appears at once, with malformed lines on both sides of the
/// batch boundary and an unterminated last line.
@Suite("MetricsFollower")
struct MetricsFollowerTests {
    @Test("a file written at once is ingested in bounded batches: every row, the file's line numbers, arrival times")
    func batches() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s"
        try Specimen.create(at: path)
        var text = ""
        var expected: [Double] = []
        var lineNumber = 0
        let bad: Set<Int> = [3, 90_001, 180_000]
        while text.utf8.count < MetricsFollower.batchBytes * 2 + 100_000 {
            lineNumber += 1
            if bad.contains(lineNumber) {
                text += "{\"loss\": NaN, \"n\": \(lineNumber)}\n"
                continue
            }
            let loss = 1 / Double(lineNumber) + Double(lineNumber) * 1e-9
            text += "{\"loss\": \(loss), \"n\": \(lineNumber)}\n"
            expected.append(loss)
        }
        #expect(lineNumber > 180_000)
        lineNumber += 1
        text += "{\"loss\": 0.5, \"n\": \(lineNumber)}"   // no newline: read when the protocol has ended
        expected.append(0.5)
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.path + "/lines.jsonl"))
        try Data("cat '\(folder.path)/lines.jsonl' > \"$SPECIMEN_METRICS\"\n".utf8).write(to: URL(fileURLWithPath: path + "/protocol.sh"))

        let outcome = try ProtocolLauncher(specimen: path).launch()
        #expect(outcome.status == .completed)
        let specimen = try Specimen(at: path)
        let table = try specimen.readMetrics(run: outcome.runID)
        #expect(table.rowCount == expected.count)
        let loss = try #require(table["loss"])
        guard case .double(let values) = loss.values else { Issue.record("loss is \(loss.type)"); return }
        #expect(Array(values.prefix(table.rowCount)) == expected)
        let time = try #require(table["time"])
        #expect((0 ..< table.rowCount).allSatisfy { !time.isNull($0) })
        let steps = try #require(table["step"])
        #expect(steps[table.rowCount - 1] == .int(Int64(expected.count - 1)))
        let manifest = try #require(try specimen.runInfo(outcome.runID).manifest)
        let warnings = manifest["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.count == 3, "\(warnings)")
        for line in bad.sorted() {
            #expect(warnings.contains { $0.hasPrefix("metrics.jsonl line \(line): ") }, "line \(line): \(warnings)")
        }
        // metrics.jsonl is listed with the digest the follower took as it read the file.
        let size = try Self.expectListedDigest(manifest, runFolder: specimen.runPath(outcome.runID))
        #expect(size == text.utf8.count)
    }

    /// Checks that `manifest` lists `metrics.jsonl` with the size and SHA-256 of the file in
    /// `runFolder`; returns the file's size.
    static func expectListedDigest(_ manifest: MessagePackValue, runFolder: String) throws -> Int {
        let listed = manifest["files"]?["metrics.jsonl"]
        let actual = try FileDigest.sha256(runFolder + "/metrics.jsonl")
        #expect(listed?["sha256"]?.stringValue == actual.hex)
        #expect(listed?["size"]?.intValue == Int64(actual.size))
        return actual.size
    }

    @Test("the follower's digest of metrics.jsonl is the file's, read in batches on one thread or two")
    func digest() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s"
        try Specimen.create(at: path)
        var text = ""
        var line = 0
        while text.utf8.count < MetricsFollower.splitBytes * 3 {
            line += 1
            text += "{\"x\": \(line), \"y\": \(Double(line) / 3)}\n"
        }
        // Some rows at once (split across the two threads), then some as small writes.
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.path + "/lines.jsonl"))
        let script = "cat '\(folder.path)/lines.jsonl' > \"$SPECIMEN_METRICS\"\n"
            + "for i in 1 2 3; do echo \"{\\\"x\\\": $i}\" >> \"$SPECIMEN_METRICS\"; sleep 0.05; done\n"
            + "printf '{\"x\": 9}' >> \"$SPECIMEN_METRICS\"\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path + "/protocol.sh"))
        let outcome = try ProtocolLauncher(specimen: path).launch()
        #expect(outcome.status == .completed)
        let specimen = try Specimen(at: path)
        #expect(try specimen.readMetrics(run: outcome.runID).rowCount == line + 4)
        let manifest = try #require(try specimen.runInfo(outcome.runID).manifest)
        _ = try Self.expectListedDigest(manifest, runFolder: specimen.runPath(outcome.runID))
    }
}
