import Foundation
import InteropSupport
import Testing

/// `specimen runs`, and `--where/--sort/--limit` on `view`, `compare` and `export`: the built
/// binary's stdout, stderr and exit status.
@Suite("specimen runs and --where")
struct RunsCommandTests {
    static let protocolText = """
        import json, os
        p = json.loads(os.environ["SPECIMEN_PARAMS"])
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for step in range(3):
                f.write(json.dumps({"step": step, "loss": p["scale"] / (step + 1)}) + "\\n")

        """

    /// Four runs with scale 1…4 (final loss scale/3), oldest first.
    private func fourRuns() throws -> (SpecimenFixture, [String]) {
        let fixture = try SpecimenFixture()
        try fixture.specimen("sw", Self.protocolText)
        for scale in 1 ... 4 {
            let result = try fixture.run(["run", "sw", "--param", "scale=\(scale)", "--param", "seed=7"])
            #expect(result.status == 0, "\(result.stderrText)")
        }
        let runs = try fixture.runs("sw")
        #expect(runs.count == 4)
        return (fixture, runs)
    }

    @Test func runsSelectsSortsAndPrintsJSON() throws {
        let (fixture, runs) = try fourRuns()
        let result = try fixture.run(["runs", "sw", "--where", "params.scale >= 2 and status == 'completed'", "--sort", "metrics.loss.last:desc", "--json"])
        #expect(result.status == 0, "\(result.stderrText)")
        let json = try SpecimenFixture.json(result)
        #expect(json["format"] as? String == "specimen.runs/1")
        #expect(json["specimen"] as? String == "sw")
        #expect(json["total_runs"] as? Int == 4)
        let selected = try #require(json["runs"] as? [[String: Any]])
        #expect(selected.map { $0["id"] as? String } == [runs[3], runs[2], runs[1]])
        let first = selected[0]
        #expect(first["status"] as? String == "completed")
        #expect((first["params"] as? [String: Any])?["scale"] as? Int == 4)
        let loss = try #require((first["metrics"] as? [String: Any])?["loss"] as? [String: Any])
        #expect(abs((loss["last"] as? Double ?? 0) - 4.0 / 3) < 1e-12 && loss["min"] as? Double != nil && loss["count"] as? Int == 3)
        #expect(first["tags"] as? [String] == [])
        #expect(first["started_at"] as? String != nil && first["ended_at"] as? String != nil && first["rows"] as? Int == 3)

        let limited = try fixture.run(["runs", "sw", "--sort", "params.scale:desc", "--limit", "1", "--json"])
        #expect(try (SpecimenFixture.json(limited)["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == [runs[3]])
    }

    @Test func runsPrintsVaryingParamsAndLastMetrics() throws {
        let (fixture, runs) = try fourRuns()
        let result = try fixture.run(["runs", "sw", "--where", "params.scale < 3"])
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let header = lines[0].split(separator: " ").map(String.init)
        #expect(header == ["run", "status", "started", "(UTC)", "duration", "rows", "scale", "loss"])   // seed is the same everywhere
        #expect(lines[1].hasPrefix(runs[0]) && lines[1].hasSuffix("0.333333") && lines[1].contains("completed"))
        #expect(lines[2].hasPrefix(runs[1]) && lines[2].hasSuffix("0.666667"))
        #expect(result.stderrText == "2 of 4 runs\n")
        let columns = try fixture.run(["runs", "sw", "--where", "id == '\(runs[2])'", "--columns", "params.seed,metrics.loss.min,exit_code"])
        #expect(columns.stdoutText.split(separator: "\n").last?.split(separator: " ").suffix(3) == ["7", "1", "0"])
    }

    @Test func malformedExpressionsExit64WithACaret() throws {
        let (fixture, _) = try fourRuns()
        let missing = try fixture.run(["runs", "sw", "--where", "params.scale < and rows > 1"])
        #expect(missing.status == 64)
        #expect(missing.stdoutText.isEmpty)
        #expect(missing.stderrText == """
            specimen: --where: expected a value after '<' (a number, 'text', true, false, null or a date such as 2026-11-01), found the keyword 'and'
              params.scale < and rows > 1
                             ^

            """)
        let unknown = try fixture.run(["view", "sw", "--where", "rows > 1 and lr < 3"])
        #expect(unknown.status == 64)
        #expect(unknown.stderrText.hasPrefix("specimen: --where: unknown field 'lr'; fields are id, status, started, ended, duration, rows, exit_code"))
        #expect(unknown.stderrText.hasSuffix("  rows > 1 and lr < 3\n               ^\n"))
        let sort = try fixture.run(["compare", "sw", "--sort", "started:sideways"])
        #expect(sort.status == 64 && sort.stderrText.hasPrefix("specimen: --sort: expected asc or desc after ':'"))
        let columns = try fixture.run(["runs", "sw", "--columns", "metrics.loss"])
        #expect(columns.status == 64 && columns.stderrText.contains("metrics.<name>.<last|min|max|count>"))
        #expect(try fixture.run(["export", "sw", "--format", "csv", "--limit", "-1"]).status == 64)
    }

    @Test func viewCompareAndExportTakeTheSameSelection() throws {
        let (fixture, runs) = try fourRuns()
        let view = try fixture.run(["view", "sw", "--where", "params.scale <= 2", "--json"])
        #expect(view.status == 0, "\(view.stderrText)")
        let viewed = try SpecimenFixture.json(view)
        #expect((viewed["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == [runs[0], runs[1]])
        #expect((viewed["run"] as? [String: Any])?["id"] as? String == runs[1])
        #expect((viewed["run"] as? [String: Any])?["exit_code"] as? Int == 0)

        let compare = try fixture.run(["compare", "sw", "--where", "params.scale > 1", "--sort", "params.scale:desc", "--limit", "2", "--json"])
        #expect(compare.status == 0, "\(compare.stderrText)")
        let compared = try SpecimenFixture.json(compare)
        #expect(compared["base_run"] as? String == runs[3])
        #expect((compared["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == [runs[3], runs[2]])
        let none = try fixture.run(["compare", "sw", "--where", "params.scale > 10"])
        #expect(none.status == 1 && none.stderrText.contains("no run of specimen sw matches"))
        #expect(try fixture.run(["compare", "sw", runs[0], "--where", "rows > 1"]).status == 64)

        let export = try fixture.run(["export", "sw", "--where", "params.scale in [1, 3]", "--format", "csv"])
        #expect(export.status == 0, "\(export.stderrText)")
        let rows = export.stdoutText.split(separator: "\n")
        #expect(rows.first == "run_id,step,time,loss")
        #expect(rows.dropFirst().map { String($0.prefix { $0 != "," }) } == [runs[0], runs[0], runs[0], runs[2], runs[2], runs[2]])
    }

    @Test func damagedCatalogIsReportedOnceAndRebuilt() throws {
        let (fixture, _) = try fourRuns()
        let before = try fixture.run(["runs", "sw", "--json"])
        #expect(before.status == 0 && before.stderrText.isEmpty)
        let catalog = fixture.root + "/sw/.catalog"
        let segments = try FileManager.default.contentsOfDirectory(atPath: catalog).filter { $0.hasSuffix(".segment") }
        #expect(segments.count == 1)
        try Data("not a catalog".utf8).write(to: URL(fileURLWithPath: catalog + "/" + segments[0]))
        let damaged = try fixture.run(["runs", "sw", "--json"])
        #expect(damaged.status == 0)
        #expect(damaged.stdoutText == before.stdoutText)
        #expect(damaged.stderrText.split(separator: "\n").count == 1 && damaged.stderrText.contains("is damaged"))
        let after = try fixture.run(["runs", "sw", "--json"])
        #expect(after.stdoutText == before.stdoutText && after.stderrText.isEmpty)
    }
}
