import Foundation
import InteropSupport
import MessagePack
@testable import Parquet
import Testing
@testable import Specimens

/// Long runs: rows leave memory past `retainedValues` and sealing streams them back from the
/// journal row group by row group. Small sizes stand in for long runs here.
@Suite("Long runs")
struct LongRunTests {
    /// Options whose rows leave memory after `retained` values, sealed `batchRows` rows per row group.
    func spillingOptions(retained: Int, batchRows: Int) -> SpecimenStorage.Options {
        var options = testOptions()
        options.retainedValues = retained
        options.sealBatchRows = batchRows
        return options
    }

    /// Row `i` of a run that uses every value type, a late column, an int column promoted to
    /// double after the rows left memory, nulls, explicit steps and times.
    func row(_ i: Int) -> (step: Int?, time: Date, pairs: [(key: String, value: MetricValue)]) {
        var pairs: [(key: String, value: MetricValue)] = [("loss", .double(1 / Double(i + 1)))]
        pairs.append(("epoch", i == 250 ? .double(2.5) : .int(Int64(i / 10))))
        if i % 3 == 0 { pairs.append(("phase", .string(i % 2 == 0 ? "train" : "validation ✓"))) }
        if i % 4 == 1 { pairs.append(("best", .bool(i % 8 == 1))) }
        if i % 5 == 2 { pairs.append(("note", .null)) }
        if i % 7 == 3 { pairs.append(("when", .timestamp(microseconds: 1_600_000_000_000_000 + Int64(i)))) }
        if i >= 200 { pairs.append(("late", .int(Int64(-i)))) }
        pairs.append(("only_nulls", .null))
        if i % 11 == 5 { pairs.append(("infinite", .double(i % 2 == 0 ? .infinity : -.infinity))) }
        return (i % 50 == 49 ? i * 2 : nil, Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 0.25), pairs)
    }

    func logRows(_ storage: SpecimenStorage, _ count: Int) throws {
        for i in 0 ..< count {
            let row = row(i)
            try storage.log(step: row.step, time: row.time, pairs: row.pairs)
        }
    }

    /// Every column's values, `run_id` left out (it names a different run).
    func contents(_ table: Table) -> [String: [Value]] {
        var result: [String: [Value]] = [:]
        for column in table.columns where column.name != "run_id" {
            result[column.name + ":" + column.type.description] = (0 ..< column.count).map { column[$0] }
        }
        return result
    }

    @Test("a run whose rows left memory seals the same table and manifest summary as one that kept them")
    func sameAsInMemory() throws {
        let folder = try TemporaryFolder()
        let spilled = try SpecimenStorage(at: folder.file("spilled"), options: spillingOptions(retained: 100, batchRows: 37))
        let kept = try SpecimenStorage(at: folder.file("kept"), options: testOptions())
        try logRows(spilled, 400)
        try logRows(kept, 400)
        #expect(spilled.rowCount == 400)
        try spilled.finish()
        try kept.finish()
        let a = try spilled.readMetrics(), b = try kept.readMetrics()
        #expect(a.rowCount == 400)
        #expect(a.columnNames == b.columnNames)
        #expect(a.columns.map(\.type) == b.columns.map(\.type))
        #expect(a["epoch"]?.type == .double)
        #expect(contents(a) == contents(b))
        #expect(a["run_id"]?[0] == .string(spilled.runID.rawValue))
        #expect(a["run_id"]?[399] == .string(spilled.runID.rawValue))

        // Streamed: row groups of 37 rows; the whole-table seal wrote one.
        let spilledFile = spilled.strataPath + "/metrics.parquet"
        #expect(try ParquetReader(path: spilledFile).rowGroupCount == (400 + 36) / 37)
        #expect(try ParquetReader(path: kept.strataPath + "/metrics.parquet").rowGroupCount == 1)

        let manifestA = try readManifest(spilled.strataPath), manifestB = try readManifest(kept.strataPath)
        #expect(manifestA["metrics"] == manifestB["metrics"])
        #expect(manifestA["metrics"]?["rows"]?.intValue == 400)
        #expect(manifestA["warnings"] == nil)
        // The journal and temporary files are gone; the sealed file is listed with its digest.
        let names = try FileManager.default.contentsOfDirectory(atPath: spilled.strataPath)
        #expect(!names.contains { $0.hasPrefix(".") })
        #expect(manifestA["files"]?["metrics.parquet"] != nil)
        let report = try Specimen(at: folder.file("spilled")).verify(run: spilled.runID)
        #expect(report.isIntact)
    }

    @Test("readers of a running run see every row after its rows left memory")
    func readersSeeEveryRow() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: spillingOptions(retained: 30, batchRows: 16))
        try logRows(storage, 120)
        try storage.flush()
        let live = try storage.readMetrics(run: storage.runID)
        #expect(live.rowCount == 120)
        #expect(doubles(live["loss"]) == (0 ..< 120).map { 1 / Double($0 + 1) })
        try logRows(storage, 10)
        try storage.finish()
        let sealed = try storage.readMetrics()
        #expect(sealed.rowCount == 130)
        #expect(doubles(sealed["loss"]).prefix(120) == doubles(live["loss"])[...])
    }

    @Test("rows of a run with many columns, a row group at a time, equal what was logged")
    func manyRowGroups() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: spillingOptions(retained: 1_000, batchRows: 4_096))
        let names = (0 ..< 10).map { "metric_\($0)" }
        var values = [Double](repeating: 0, count: 10)
        let rows = 50_000
        for i in 0 ..< rows {
            for k in 0 ..< 10 { values[k] = Double(i) * 1e-3 + Double(k) }
            try storage.log(names, values)
        }
        try storage.finish()
        let table = try storage.readMetrics()
        #expect(table.rowCount == rows)
        #expect(int64s(table["step"]) == (0 ..< Int64(rows)).map { Optional($0) })
        for k in [0, 9] {
            #expect(doubles(table["metric_\(k)"]) == (0 ..< rows).map { Double($0) * 1e-3 + Double(k) })
        }
        #expect(try ParquetReader(path: storage.strataPath + "/metrics.parquet").rowGroupCount == (rows + 4_095) / 4_096)
        // The digest taken while the file was written is the file's.
        let digest = try FileDigest.sha256(storage.strataPath + "/metrics.parquet")
        let listed = try readManifest(storage.strataPath)["files"]?["metrics.parquet"]
        #expect(listed?["sha256"]?.stringValue == digest.hex)
        #expect(listed?["size"]?.intValue == Int64(digest.size))
    }

    @Test("rows ingested from metrics.jsonl into a run whose rows left memory are sealed whole")
    func followedLines() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: spillingOptions(retained: 50, batchRows: 64))
        var text = ""
        for i in 0 ..< 500 {
            text += "{\"step\": \(i), \"loss\": \(Double(i) / 8), \"phase\": \"p\(i % 3)\"" + (i % 4 == 0 ? ", \"ok\": true" : "") + "}\n"
        }
        let path = storage.strataPath + "/metrics.jsonl"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let follower = MetricsFollower(path: path, run: storage.activeRun, fallbackPoll: 0.01)
        follower.start()
        let warnings = try follower.stop()
        #expect(warnings.isEmpty)
        try storage.finish(status: .completed, exitCode: 0, signal: nil, warnings: warnings)
        let table = try storage.readMetrics()
        let expected = MetricLines.read(Array(text.utf8), name: "metrics.jsonl").rows.table()
        #expect(table.rowCount == 500)
        for name in ["step", "loss", "phase", "ok"] {
            #expect(table[name].map { column in (0 ..< column.count).map { column[$0] } } == expected[name].map { column in (0 ..< column.count).map { column[$0] } })
        }
        #expect(try ParquetReader(path: storage.strataPath + "/metrics.parquet").rowGroupCount == 8)
    }

    @Test("in storage that is not the local disk (an object store), rows leave memory too and are streamed back from the journal")
    func objectStorageRunsLetRowsGo() throws {
        let memory = MemoryStorage()
        var options = spillingOptions(retained: 100, batchRows: 37)
        options.flushInterval = 0.05
        let spilled = try SpecimenStorage(at: "mem/long", storage: memory, options: options)
        let folder = try TemporaryFolder()
        let kept = try SpecimenStorage(at: folder.file("kept"), options: testOptions())
        try logRows(spilled, 400)
        try logRows(kept, 400)
        try spilled.finish()
        try kept.finish()
        let specimen = try Specimen(at: "mem/long", storage: memory)
        let a = try specimen.readMetrics(run: spilled.runID), b = try kept.readMetrics()
        #expect(a.rowCount == 400)
        #expect(a.columnNames == b.columnNames)
        #expect(a.columns.map(\.type) == b.columns.map(\.type))
        #expect(contents(a) == contents(b))
        let runFolder = specimen.runPath(spilled.runID)
        #expect(memory.writes[runFolder + "/" + RunFolder.metrics] == 1)
        // Streamed from the journal: row groups of 37 rows.
        let sealed = try #require(memory.object(runFolder + "/" + RunFolder.metrics)).bytes
        #expect(try ParquetReader(bytes: sealed).rowGroupCount == (400 + 36) / 37)
        #expect(try specimen.verify(run: spilled.runID).isIntact)
        let manifest = try #require(specimen.runInfo(spilled.runID).manifest)
        #expect(manifest["metrics"]?["rows"]?.intValue == 400)
        #expect(manifest["warnings"] == nil)
    }
}
