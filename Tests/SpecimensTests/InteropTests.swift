import Foundation
import InteropSupport
import MessagePack
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
}
