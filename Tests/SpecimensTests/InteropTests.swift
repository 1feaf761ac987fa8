import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

@Suite("Interop")
struct StoreInteropTests {
    @Test("pyarrow, pandas and polars read a sealed run's metrics; Python msgpack (strict_map_key) reads its manifest")
    func pythonReadsRun() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("interop"), params: ["lr": 0.5, "name": "x"], options: testOptions())
        try storage.log(["loss": 1, "phase": "train", "ok": true])
        try storage.log(["loss": 0.5, "when": .timestamp(microseconds: 1_766_432_813_250_000)])
        try storage.log(step: 9, ["loss": nil, "phase": "eval"])
        try storage.finish()
        let output = try Python.run("store_read_run.py", [storage.strataPath])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        #expect(json["columns"] as? [String] == ["run_id", "step", "time", "loss", "phase", "ok", "when"])
        #expect(json["types"] as? [String] == ["string", "int64", "timestamp[us, tz=UTC]", "double", "string", "bool", "timestamp[us, tz=UTC]"])
        #expect(json["rows"] as? Int == 3)
        #expect((json["metadata"] as? [String: String])?["specimen.run_id"] == storage.runID.rawValue)
        let values = try #require(json["values"] as? [String: [Any]])
        #expect(values["run_id"] as? [String] == Array(repeating: storage.runID.rawValue, count: 3))
        #expect(values["step"] as? [Int] == [0, 1, 9])
        #expect((values["loss"]?[0] as? Double) == 1 && (values["loss"]?[1] as? Double) == 0.5 && values["loss"]?[2] is NSNull)
        #expect((values["when"]?[1] as? String)?.hasPrefix("2025-12-22T19:46:53.250000") == true)
        #expect(json["pandas_rows"] as? Int == 3)
        #expect((json["polars_columns"] as? [String])?.first == "run_id")
        let manifest = try #require(json["manifest"] as? [String: Any])
        #expect(manifest["format"] as? String == "specimen.run/1")
        #expect(manifest["run_id"] as? String == storage.runID.rawValue)
        #expect(manifest["status"] as? String == "completed")
        #expect((manifest["params"] as? [String: Any])?["lr"] as? Double == 0.5)
        #expect(((manifest["metrics"] as? [String: Any])?["rows"]) as? Int == 3)
        #expect((json["files"] as? [String: Any])?["metrics.parquet"] != nil)
        let keys = try #require(json["manifest_keys"] as? [String])
        #expect(Array(keys.prefix(3)) == ["format", "run_id", "run_timestamp"])
    }
    @Test("pyarrow, pandas and polars read a long run's metrics.parquet streamed from its journal in many row groups")
    func pythonReadsStreamedRun() throws {
        let folder = try TemporaryFolder()
        var options = testOptions()
        options.retainedValues = 100   // rows leave memory: sealing streams them from the journal
        options.sealBatchRows = 37
        let storage = try SpecimenStorage(at: folder.file("streamed"), options: options)
        let rows = 300
        for i in 0 ..< rows {
            // Dyadic values: exact in any JSON round trip (Foundation's parser is not exact for every double).
            var pairs: [(key: String, value: MetricValue)] = [("loss", .double(1 + Double(i) * 0.125)), ("epoch", i == 150 ? .double(7.5) : .int(Int64(i / 10)))]
            if i % 3 == 0 { pairs.append(("phase", .string(i % 2 == 0 ? "train" : "eval"))) }
            if i % 7 == 2 { pairs.append(("loss2", .null)) } else { pairs.append(("loss2", .double(Double(i) * -0.25))) }
            try storage.log(step: nil, time: nil, pairs: pairs)
        }
        try storage.finish()
        #expect(try ParquetReader(path: storage.strataPath + "/metrics.parquet").rowGroupCount == (rows + 36) / 37)
        let output = try Python.run("store_read_run.py", [storage.strataPath])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        #expect(json["columns"] as? [String] == ["run_id", "step", "time", "loss", "epoch", "phase", "loss2"])
        #expect(json["types"] as? [String] == ["string", "int64", "timestamp[us, tz=UTC]", "double", "double", "string", "double"])
        #expect(json["rows"] as? Int == rows)
        #expect(json["pandas_rows"] as? Int == rows)
        let values = try #require(json["values"] as? [String: [Any]])
        #expect(values["run_id"] as? [String] == Array(repeating: storage.runID.rawValue, count: rows))
        #expect(values["step"] as? [Int] == Array(0 ..< rows))
        let loss: [Double] = (0 ..< rows).map { 1 + Double($0) * 0.125 }
        let epoch: [Double] = (0 ..< rows).map { (i: Int) -> Double in i == 150 ? 7.5 : Double(i / 10) }
        let phase: [String?] = (0 ..< rows).map { (i: Int) -> String? in i % 3 != 0 ? nil : i % 2 == 0 ? "train" : "eval" }
        let loss2: [Double?] = (0 ..< rows).map { (i: Int) -> Double? in i % 7 == 2 ? nil : Double(i) * -0.25 }
        let readPhase: [String?]? = values["phase"]?.map { $0 as? String }
        let readLoss2: [Double?]? = values["loss2"]?.map { $0 as? Double }
        #expect(values["loss"] as? [Double] == loss)
        #expect(values["epoch"] as? [Double] == epoch)
        #expect(readPhase == phase)
        #expect(readLoss2 == loss2)
        #expect(((json["manifest"] as? [String: Any])?["metrics"] as? [String: Any])?["rows"] as? Int == rows)
    }

    @Test("Spark (pyspark, local mode) reads a whole tree of specimens by glob and gets every run's rows with their run_id")
    func sparkReadsATree() throws {
        let folder = try TemporaryFolder()
        var runs: [String: Table] = [:]   // "<specimen>/<run_id>": run IDs are unique within a specimen only
        for (name, count) in [("alpha", 3), ("beta", 2)] {
            for index in 0 ..< count {
                let storage = try SpecimenStorage(at: folder.file("specimens/\(name)"), params: ["i": .int(Int64(index))], options: testOptions())
                for step in 0 ..< 10 + index * 5 {
                    let loss = Double(index + 1) / Double(step + 1)
                    if name == "beta" {
                        try storage.log(["loss": .double(loss), "accuracy": .double(Double(step) / 20)])
                    } else {
                        try storage.log(["loss": .double(loss)])
                    }
                }
                try storage.finish()
                runs["\(name)/\(storage.runID)"] = try storage.specimen.readMetrics(run: storage.runID)
            }
        }
        #expect(runs.count == 5)
        let started = Date()
        let result = try ProcessResult.run(Python.interpreter, [Python.scriptsFolder.appendingPathComponent("spark_read_tree.py").path, folder.file("specimens")])
        let elapsed = Date().timeIntervalSince(started)
        try #require(result.status == 0, "spark_read_tree.py failed (pyspark and Java 17 are needed: run scripts/python-env): \(result.stderrText.suffix(2000))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(Set(json["columns"] as? [String] ?? []) == ["run_id", "step", "time", "loss", "accuracy"])
        #expect(json["rows"] as? Int == runs.values.map(\.rowCount).reduce(0, +))
        let seen = try #require(json["runs"] as? [String: [String: Any]])
        #expect(Set(seen.keys) == Set(runs.keys))
        for (id, table) in runs {
            let run = try #require(seen[id], "Spark did not see run \(id)")
            let steps = try #require(table["step"])
            let losses = try #require(table["loss"])
            #expect(run["rows"] as? Int == table.rowCount, "\(id)")
            #expect(run["first"] as? Int == steps[0].doubleValue.map { Int($0) }, "\(id)")
            #expect(run["last"] as? Int == steps[table.rowCount - 1].doubleValue.map { Int($0) }, "\(id)")
            let sum = (0 ..< table.rowCount).compactMap { losses[$0].doubleValue }.reduce(0, +)
            #expect(abs((run["loss_sum"] as? Double ?? .nan) - sum) < 1e-9, "\(id)")
        }
        let sample = try #require(json["sample"] as? [[Any]])
        #expect(sample.compactMap { $0[0] as? String } == runs.keys.sorted())
        for row in sample {
            let table = try #require(runs[row[0] as? String ?? ""])
            #expect(row[2] as? Double == table["loss"]?[0].doubleValue)
        }
        print("spark_read_tree.py took \(String(format: "%.1f", elapsed)) s")
    }
}
