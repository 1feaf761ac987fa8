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
        #expect(tableContents(a) == tableContents(b))
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
        #expect(tableContents(a) == tableContents(b))
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

    /// Row `i` of a run whose columns and types are settled from its first rows: every value
    /// type, nulls, and a column that holds only nulls.
    func settledRow(_ i: Int) -> [(key: String, value: MetricValue)] {
        [("loss", .double(1 / Double(i + 1))), ("epoch", .int(Int64(i / 100))), ("phase", i % 3 == 0 ? .string(i % 2 == 0 ? "train" : "validation ✓") : .null),
         ("ok", i % 4 == 1 ? .bool(i % 8 == 1) : .null), ("when", .timestamp(microseconds: 1_600_000_000_000_000 + Int64(i))), ("only_nulls", .null)]
    }

    /// The hidden part files in a run folder.
    func partFiles(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(RunFolder.temporaryPrefix + RunFolder.metrics + "-part-") }
    }

    @Test("on the local disk, rows that leave memory go to a hidden part file as the run logs; sealing finishes it into the table, row groups and summary that streaming from the journal gives")
    func partFile() throws {
        let folder = try TemporaryFolder()
        let memory = MemoryStorage()
        let options = spillingOptions(retained: 1_000, batchRows: 4_096)
        let local = try SpecimenStorage(at: folder.file("local"), options: options)
        let streamed = try SpecimenStorage(at: "mem/streamed", storage: memory, options: options)
        let rows = 30_000
        for i in 0 ..< rows {
            let time = Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 0.25)
            try local.log(step: i % 1_000 == 999 ? i * 2 : nil, time: time, pairs: settledRow(i))
            try streamed.log(step: i % 1_000 == 999 ? i * 2 : nil, time: time, pairs: settledRow(i))
        }
        // While the run logs, its rows are in the part file (row groups of 4,096 rows so far).
        let parts = partFiles(local.strataPath)
        #expect(parts.count == 1)
        try local.flush()
        try local.finish()
        try streamed.finish()
        #expect(partFiles(local.strataPath).isEmpty)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: local.strataPath)).contains { $0.hasPrefix(".") })

        let specimen = try Specimen(at: "mem/streamed", storage: memory)
        let a = try local.readMetrics(), b = try specimen.readMetrics(run: streamed.runID)
        #expect(a.rowCount == rows)
        #expect(a.columnNames == b.columnNames)
        #expect(a.columns.map(\.type) == b.columns.map(\.type))
        #expect(tableContents(a) == tableContents(b))
        #expect(a["run_id"]?[rows - 1] == .string(local.runID.rawValue))
        let fileA = try ParquetReader(path: local.strataPath + "/metrics.parquet")
        let fileB = try ParquetReader(bytes: try #require(memory.object(specimen.runPath(streamed.runID) + "/" + RunFolder.metrics)).bytes)
        #expect(fileA.rowGroupCount == (rows + 4_095) / 4_096)
        #expect(fileA.metadata.rowGroups.map(\.numRows) == fileB.metadata.rowGroups.map(\.numRows))
        #expect(fileA.metadata.schema == fileB.metadata.schema)

        let manifestA = try readManifest(local.strataPath), manifestB = try #require(specimen.runInfo(streamed.runID).manifest)
        #expect(manifestA["metrics"] == manifestB["metrics"])
        #expect(manifestA["warnings"] == nil)
        // The digest taken as the part file grew is the sealed file's.
        let digest = try FileDigest.sha256(local.strataPath + "/metrics.parquet")
        #expect(manifestA["files"]?["metrics.parquet"]?["sha256"]?.stringValue == digest.hex)
        #expect(try Specimen(at: folder.file("local")).verify(run: local.runID).isIntact)
    }

    @Test("a part file whose columns change (a new metric, an int64 metric become double) is given up: the rows are streamed from the journal instead")
    func partFileGivenUp() throws {
        for change in ["new column", "promotion", "typed after nulls"] {
            let folder = try TemporaryFolder()
            let storage = try SpecimenStorage(at: folder.file("s"), options: spillingOptions(retained: 600, batchRows: 500))
            let kept = try SpecimenStorage(at: folder.file("kept"), options: testOptions())
            for i in 0 ..< 3_000 {
                var pairs = settledRow(i)
                if i >= 2_000 {
                    switch change {
                    case "new column": pairs.append(("late", .double(Double(i))))
                    case "promotion": pairs[1] = ("epoch", .double(Double(i) / 100))
                    default: pairs[5] = ("only_nulls", .int(Int64(i)))
                    }
                }
                try storage.log(step: nil, time: nil, pairs: pairs)
                try kept.log(step: nil, time: nil, pairs: pairs)
            }
            #expect(partFiles(storage.strataPath).isEmpty, "\(change): the part file was given up")
            try storage.finish()
            try kept.finish()
            let a = try storage.readMetrics(), b = try kept.readMetrics()
            #expect(a.rowCount == 3_000)
            #expect(a.columns.map(\.type) == b.columns.map(\.type), "\(change)")
            var expected = tableContents(b), got = tableContents(a)
            expected.removeValue(forKey: "time:" + (b["time"]?.type.description ?? ""))
            got.removeValue(forKey: "time:" + (a["time"]?.type.description ?? ""))
            #expect(got == expected, "\(change)")
            #expect(try ParquetReader(path: storage.strataPath + "/metrics.parquet").rowGroupCount == 6, "\(change)")
            #expect(try readManifest(storage.strataPath)["warnings"] == nil)
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: storage.strataPath)).contains { $0.hasPrefix(".") })
        }
    }

    @Test("rows logged from several threads reach the part file in the journal's order")
    func partFileKeepsTheJournalsOrder() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: spillingOptions(retained: 300, batchRows: 1_000))
        let threads = 4, perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in 0 ..< perThread {
                try? storage.log(["thread": .int(Int64(thread)), "i": .int(Int64(i)), "x": .double(Double(thread * perThread + i))])
            }
        }
        try storage.flush()
        let live = try storage.readMetrics(run: storage.runID)   // from the journal
        try storage.finish()
        let sealed = try storage.readMetrics()
        #expect(sealed.rowCount == threads * perThread)
        #expect(tableContents(sealed) == tableContents(live))
        for thread in 0 ..< threads {
            let mine = (0 ..< sealed.rowCount).filter { sealed["thread"]?[$0] == .int(Int64(thread)) }.map { sealed["i"]?[$0] }
            #expect(mine == (0 ..< perThread).map { .int(Int64($0)) })
        }
    }
}
