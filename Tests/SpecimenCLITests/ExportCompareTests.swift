import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing

@Suite("specimen export and compare")
struct ExportCompareTests {
    static let protocolText = """
        import json, os
        p = json.loads(os.environ["SPECIMEN_PARAMS"])
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for step in range(3):
                f.write(json.dumps({"step": step, "time": 1700000000 + step, "loss": p["scale"] / (step + 1), "tag": "a,b" if step == 1 else "x"}) + "\\n")

        """

    private func twoRuns() throws -> (SpecimenFixture, [String]) {
        let fixture = try SpecimenFixture()
        try fixture.specimen("ex", Self.protocolText)
        #expect(try fixture.run(["run", "ex", "--param", "scale=4", "--param", "seed=1"]).status == 0)
        // Run IDs are seconds; the second run takes the next free ID.
        #expect(try fixture.run(["run", "ex", "--param", "scale=2", "--param", "seed=1"]).status == 0)
        let runs = try fixture.runs("ex")
        #expect(runs.count == 2)
        return (fixture, runs)
    }

    @Test func exportsCSVJSONLinesAndParquet() throws {
        let (fixture, runs) = try twoRuns()
        let csv = try fixture.run(["export", "ex", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderrText)")
        #expect(csv.stdoutText == """
            run_id,step,time,loss,tag
            \(runs[1]),0,2023-11-14T22:13:20Z,2.0,x
            \(runs[1]),1,2023-11-14T22:13:21Z,1.0,"a,b"
            \(runs[1]),2,2023-11-14T22:13:22Z,0.6666666666666666,x

            """)
        let jsonl = try fixture.run(["export", "ex", "--run", runs[0], "--format", "jsonl"])
        #expect(jsonl.status == 0)
        #expect(jsonl.stdoutText == """
            {"run_id":"\(runs[0])","step":0,"time":"2023-11-14T22:13:20Z","loss":4.0,"tag":"x"}
            {"run_id":"\(runs[0])","step":1,"time":"2023-11-14T22:13:21Z","loss":2.0,"tag":"a,b"}
            {"run_id":"\(runs[0])","step":2,"time":"2023-11-14T22:13:22Z","loss":1.3333333333333333,"tag":"x"}

            """)
        let file = fixture.folder.file("all.parquet")
        let parquet = try fixture.run(["export", "ex", "--all-runs", "--format", "parquet", "-o", file])
        #expect(parquet.status == 0, "\(parquet.stderrText)")
        #expect(parquet.stdout.isEmpty)
        let table = try ParquetReader(path: file).read()
        #expect(table.rowCount == 6)
        #expect(table.columnNames == ["run_id", "step", "time", "loss", "tag"])
        #expect(table["run_id"]?[0] == .string(runs[0]))
        #expect(table["run_id"]?[5] == .string(runs[1]))
        #expect(table["loss"]?[3] == .double(2.0))
        let again = try fixture.run(["export", "ex", "--all-runs", "--format", "parquet", "-o", file])
        #expect(again.status == 1)
        #expect(again.stderrText.contains("\(file) already exists"))
        let noOutput = try fixture.run(["export", "ex", "--format", "parquet"])
        #expect(noOutput.status == 64)
        #expect(noOutput.stderrText.contains("give it with -o FILE"))
    }

    @Test func comparesTheTwoLatestRuns() throws {
        let (fixture, runs) = try twoRuns()
        let text = try fixture.run(["compare", "ex"])
        #expect(text.status == 0, "\(text.stderrText)")
        let out = text.stdoutText
        #expect(out.hasPrefix("compare ex: 2 runs, changes against \(runs[0])\n"))
        func pad(_ text: String, _ column: Int = 0) -> String { text + String(repeating: " ", count: runs[column].count - text.count) }
        #expect(out.contains("""
            params that differ (1 of 2; --all-params shows all)
                     \(pad(runs[0]))  \(runs[1])
              scale  \(pad("4"))  2

            """))
        #expect(out.contains("""
            metrics
                          \(pad(runs[0]))  \(pad(runs[1], 1))  change
              loss  last  \(pad("1.33333"))  \(pad("0.666667", 1))  -0.666667 (-50.0%)
                    min   \(pad("1.33333"))  \(pad("0.666667", 1))  -0.666667 (-50.0%)
                    max   \(pad("4"))  \(pad("2", 1))  -2 (-50.0%)

            """))
        #expect(out.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let all = try fixture.run(["compare", "ex", runs[1], runs[0], "--all-params", "--json"])
        #expect(all.status == 0)
        let document = try SpecimenFixture.json(all)
        #expect(document["format"] as? String == "specimen.compare/1")
        #expect(document["base_run"] as? String == runs[1])
        let params = try #require(document["params"] as? [[String: Any]])
        #expect(params.map { $0["key"] as? String } == ["scale", "seed"])
        #expect(params.map { $0["differs"] as? Bool } == [true, false])
        let metrics = try #require(document["metrics"] as? [[String: Any]])
        let loss = try #require(metrics.first { $0["name"] as? String == "loss" })
        let perRun = try #require(loss["runs"] as? [[String: Any]])
        #expect(perRun[1]["max"] as? Double == 4.0)
        #expect(perRun[1]["change_max"] as? Double == 2.0)

        let missing = try fixture.run(["compare", "ex", "20990101_000000"])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("has no run 20990101_000000"))
    }
}
