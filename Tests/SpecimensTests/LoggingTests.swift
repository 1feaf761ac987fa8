import Foundation
import InteropSupport
import MessagePack
@testable import Parquet
import Testing
@testable import Specimens

@Suite("Logging")
struct LoggingTests {
    @Test("an int column given a double becomes double; values keep their order")
    func promotion() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        try storage.log(["lr": 1, "name": "a"])
        try storage.log(["lr": 0.5])
        try storage.log(["lr": 3, "flag": true])
        try storage.finish()
        let table = try storage.readMetrics()
        #expect(table.columnNames == ["run_id", "step", "time", "lr", "name", "flag"])
        #expect(table["lr"]?.type == .double)
        #expect(doubles(table["lr"]) == [1, 0.5, 3])
        #expect(int64s(table["step"]) == [0, 1, 2])
        #expect(table["name"]?[1] == .null)
        #expect(table["flag"]?[2] == .bool(true))
        #expect(table["flag"]?[0] == .null)
        #expect(table["time"]?.type == .timestamp(.microseconds, isAdjustedToUTC: true))
    }

    @Test("a type clash throws naming the column and both types, and records nothing of the row")
    func clash() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        try storage.log(["loss": 0.5, "phase": "train"])
        do {
            try storage.log(["loss": 0.4, "phase": 3, "new": 1])
            Issue.record("expected a type clash")
        } catch let error as SpecimenError {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("'phase'") && error.message.contains("string") && error.message.contains("int64"))
        }
        #expect(throws: SpecimenError.self) { try storage.log(["loss": "high"]) }
        #expect(throws: SpecimenError.self) { try storage.log(["when": .timestamp(microseconds: 5)]); try storage.log(["when": true]) }
        try storage.log(["loss": 0.3])
        try storage.finish()
        let table = try storage.readMetrics()
        #expect(table.rowCount == 3)
        #expect(doubles(table["loss"]) == [0.5, nil, 0.3])
        #expect(table["new"] == nil)
        #expect(int64s(table["step"]) == [0, 1, 2])
    }

    @Test("reserved, empty and repeated names throw")
    func names() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        for bad: KeyValuePairs<String, MetricValue> in [["step": 1], ["time": 1], ["run_id": "x"], ["": 1], ["a": 1, "a": 2]] {
            #expect(throws: SpecimenError.self) { try storage.log(bad) }
        }
        try storage.log(["a": 1, "b": 2])
        #expect(throws: SpecimenError.self) { try storage.log(["a": 1, "a": 2]) }
        #expect(storage.rowCount == 1)
        try storage.finish()
    }

    @Test("steps count from 0, follow a given step, and every value type round-trips")
    func stepsAndTypes() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        let when = Date(timeIntervalSince1970: 1_766_432_813.25)
        try storage.log(["i": 1, "d": 2.5, "b": false, "s": "héllo", "t": .date(when), "n": nil])
        try storage.log(step: 10, ["i": -7])
        try storage.log(["i": .int(Int64.max)])
        try storage.finish()
        let table = try storage.readMetrics()
        #expect(int64s(table["step"]) == [0, 10, 11])
        #expect(int64s(table["i"]) == [1, -7, Int64.max])
        #expect(table["s"]?[0] == .string("héllo"))
        #expect(table["t"]?[0] == .timestamp(1_766_432_813_250_000, .microseconds, isAdjustedToUTC: true))
        #expect(table["n"]?.nullCount == 3)
    }

    @Test("writing into a sealed run throws; finish twice is harmless")
    func sealedThrows() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        try storage.log(["a": 1])
        try storage.finish()
        try storage.finish()
        #expect { try storage.log(["a": 2]) } throws: { ($0 as? SpecimenError)?.code == .runSealed }
        #expect(throws: SpecimenError.self) { try storage.setNotes("late") }
        // Direct writes into the sealed folder are refused by the file modes.
        #expect(fileMode(storage.strataPath + "/metrics.parquet") == 0o444)
        #expect(fileMode(storage.strataPath + "/manifest.msgpack") == 0o444)
    }

    @Test("readMetrics() reads the latest sealed run with rows, never the caller's open run")
    func readMetricsSemantics() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("s")
        var options = testOptions()
        options.runID = try RunID("20240101_000000")
        let first = try SpecimenStorage(at: path, options: options)
        #expect(throws: SpecimenError.self) { try first.readMetrics() }
        try first.log(["a": 1])
        try first.finish()
        options.runID = try RunID("20240101_000001")
        let empty = try SpecimenStorage(at: path, options: options)
        try empty.finish()
        options.runID = nil
        let open = try SpecimenStorage(at: path, options: options)
        try open.log(["a": 99])
        try open.flush()
        let table = try open.readMetrics()
        #expect(table["run_id"]?[0] == .string("20240101_000000"))
        #expect(int64s(table["a"]) == [1])
        // Naming a run reads exactly that run, live while it is open.
        let live = try open.readMetrics(run: open.runID)
        #expect(int64s(live["a"]) == [99])
        #expect(live["run_id"]?[0] == .string(open.runID.rawValue))
        #expect(throws: SpecimenError.self) { try open.readMetrics(run: try RunID("20240101_000009")) }
        try open.finish()
    }

    @Test("newRun seals the current run and starts the next; readAllRuns unions columns")
    func newRunAndReadAll() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), params: ["lr": 0.1], options: testOptions())
        try storage.log(["loss": 1, "acc": 0.5])
        let first = storage.runID
        try storage.newRun(params: ["lr": 0.2])
        #expect(storage.runID != first)
        try storage.log(["loss": 0.5, "extra": "x"])
        try storage.log(["loss": 0.25])
        try storage.finish()
        #expect(try storage.runInfo(first).state == .sealed(.completed))
        #expect(try storage.runInfo(first).params["lr"]?.doubleValue == 0.1)
        #expect(try storage.runInfo(storage.runID).params["lr"]?.doubleValue == 0.2)
        let all = try storage.readAllRuns()
        #expect(all.columnNames == ["run_id", "step", "time", "loss", "acc", "extra"])
        #expect(all.rowCount == 3)
        #expect(all["loss"]?.type == .double)
        #expect(doubles(all["loss"]) == [1, 0.5, 0.25])
        #expect(all["run_id"]?[0] == .string(first.rawValue))
        #expect(all["run_id"]?[2] == .string(storage.runID.rawValue))
        #expect(all["acc"]?[1] == .null)
        #expect(all["extra"]?[0] == .null)
        #expect(try storage.listRuns() == [first, storage.runID])
        #expect(try storage.latestRun == storage.runID)
    }

    @Test("readAllRuns equals the runs read one by one and concatenated: widening, missing columns, nulls, every type, empty and unsealed runs")
    func readAllEqualsConcatenation() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("s")
        let rows: [[(key: String, value: MetricValue)]] = [
            [("n", .int(1)), ("flag", .bool(true)), ("name", .string("a")), ("at", .timestamp(microseconds: 1_700_000_000_000_000))],
            [("n", .double(2.5)), ("flag", .null), ("name", .string("")), ("only_here", .int(7))],
            [],
            [("n", .int(-3)), ("name", .null), ("loss", .double(.nan)), ("at", .null)],
        ]
        for (index, run) in rows.enumerated() {
            let storage = try SpecimenStorage(at: path, options: testOptions())
            // 70 rows per run: not a multiple of 64, so validity bitmaps meet mid-word.
            for step in 0 ..< (run.isEmpty ? 0 : 70) {
                try storage.log(step: step, pairs: step % 3 == 1 ? run.map { ($0.key, MetricValue.null) } : run)
            }
            if index == 1 { try storage.log(step: 70, pairs: [("extra", .string("late"))]) }
            try storage.finish()
        }
        let unsealed = try SpecimenStorage(at: path, options: testOptions())
        try unsealed.log(["n": .int(99)])
        let specimen = try Specimen(at: path)
        let sealed = try specimen.listRuns().filter { $0 != unsealed.runID }
        #expect(sealed.count == 4)
        let expected = try Table.concatenate(try sealed.map { try specimen.readMetrics(run: $0) })
        let all = try specimen.readAllRuns()
        // The fast path (footers first, then decoding into place) took these runs.
        let files = sealed.map { StackFile(path: specimen.runPath($0) + "/metrics.parquet", constant: $0.rawValue) }
        let options = StackOptions(constantColumn: "run_id")
        let (parts, failures) = StackPlan.read(files, options: options, read: ReadOptions())
        #expect(failures.isEmpty && parts.count == 4)
        let gathered = StackGatherer.gather(parts, layout: try StackPlan.layout(parts), options: options, read: ReadOptions())
        #expect(gathered == all)
        #expect(all.columnNames == expected.columnNames)
        #expect(all.rowCount == 70 + 71 + 70)
        #expect(all == expected)
        #expect(all["n"]?.type == .double)
        #expect(all["run_id"]?[0] == .string(sealed[0].rawValue))
        #expect(all["run_id"]?[all.rowCount - 1] == .string(sealed[3].rawValue))
        #expect(all["only_here"]?[0] == .null)
        try unsealed.finish()
    }

    @Test("a footer whose statistics call a clashing column all-null makes readAllRuns report the clash, not trap")
    func lyingStatisticsAreAClashNotATrap() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("s")
        for value in [MetricValue.bool(true), .string("x")] {
            let storage = try SpecimenStorage(at: path, options: testOptions())
            for step in 0 ..< 5 { try storage.log(step: step, pairs: [("flag", value)]) }
            try storage.finish()
        }
        let specimen = try Specimen(at: path)
        let file = specimen.runPath(try specimen.listRuns()[1]) + "/metrics.parquet"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        var metadata = try Footer.read(from: bytes)
        let footerLength = bytes.suffix(8).prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        bytes.removeLast(8 + footerLength)
        for group in metadata.rowGroups.indices {
            for chunk in metadata.rowGroups[group].columns.indices where metadata.rowGroups[group].columns[chunk].metaData?.pathInSchema == ["flag"] {
                metadata.rowGroups[group].columns[chunk].metaData?.statistics?.nullCount = 5
            }
        }
        bytes += try FooterWriter.serialize(metadata)
        chmod(file, 0o644)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect { try specimen.readAllRuns() } throws: { ($0 as? SpecimenError)?.code == .typeMismatch }
    }

    @Test("notes, tags and params reach the manifest; run info summarises the metrics")
    func manifestDetails() throws {
        struct Params: Encodable { var lr: Double; var layers: Int; var name: String }
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), params: Params(lr: 0.01, layers: 4, name: "base"), options: testOptions())
        try storage.setNotes("first try")
        try storage.setTags(["baseline", "cpu"])
        for i in 0 ..< 5 { try storage.log(["loss": .double(1 / Double(i + 1)), "epoch": .int(Int64(i))]) }
        try storage.finish()
        let info = try storage.runInfo(storage.runID)
        #expect(info.status == .completed)
        #expect(info.rows == 5)
        #expect(info.notes == "first try")
        #expect(info.tags == ["baseline", "cpu"])
        #expect(info.params["layers"]?.intValue == 4)
        let loss = try #require(info.summary.first { $0.name == "loss" })
        #expect(loss.last == 0.2 && loss.min == 0.2 && loss.max == 1 && loss.count == 5)
        let epoch = try #require(info.summary.first { $0.name == "epoch" })
        #expect(epoch.last == 4 && epoch.count == 5)
        #expect(info.startedAt != nil && info.endedAt != nil && (info.duration ?? -1) >= 0)
    }
}
