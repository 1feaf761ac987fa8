#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing

/// Live ingestion of `SPECIMEN_METRICS` by `specimen run`, and `specimen view --follow`.
@Suite("watching runs as they happen")
struct FollowTests {
    /// A protocol that writes a row every `pause` seconds, without `time`, until the file
    /// `stop` appears in the specimen folder or `limit` rows are written; it records each row's
    /// write time (`wrote`) and its pid in `pid`.
    static func steadyProtocol(pause: Double, limit: Int) -> String {
        """
        import json, os, time
        open("pid", "w").write(str(os.getpid()))
        with open(os.environ["SPECIMEN_METRICS"], "a") as f:
            for i in range(\(limit)):
                if os.path.exists("stop"):
                    break
                f.write(json.dumps({"i": i, "loss": 1.0 / (i + 1), "wrote": time.time()}) + "\\n")
                f.flush()
                time.sleep(\(pause))

        """
    }

    /// The `time` column (µs) and the named int64 column of a sealed run's metrics.
    static func columns(_ path: String, _ name: String) throws -> (times: [Int64?], values: [Int64?]) {
        let table = try ParquetReader(path: path).read()
        let time = try #require(table["time"])
        let column = try #require(table[name])
        var times: [Int64?] = [], values: [Int64?] = []
        for row in 0 ..< table.rowCount {
            switch time[row] {
            case .timestamp(let v, _, _): times.append(v)
            case .int(let v): times.append(v)
            default: times.append(nil)
            }
            if case .int(let v) = column[row] { values.append(v) } else { values.append(nil) }
        }
        return (times, values)
    }

    static func micros(_ iso: String?) throws -> Int64 {
        let text = try #require(iso)
        let stamp = try #require(MessagePackTimestamp(iso8601: text))
        return stamp.seconds * 1_000_000 + Int64(stamp.nanoseconds / 1000)
    }

    @Test func rowsWithoutTimeGetTheirArrivalTime() throws {
        let fixture = try SpecimenFixture()
        // Slow rows without time, one with its own time, a line written in two halves, a
        // malformed line (line 4) and a type clash (line 6).
        try fixture.specimen("slow", """
            import json, os, time
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                def put(text):
                    f.write(text); f.flush(); time.sleep(0.15)
                put(json.dumps({"n": 0}) + "\\n")
                put(json.dumps({"n": 1}) + "\\n")
                put('{"n": 2, "time": 1000000000}\\n')
                put('{"n": oops}\\n')
                put('{"n": ')
                put('3}\\n')
                put('{"n": "text"}\\n')
                for n in range(4, 8):
                    put(json.dumps({"n": n}) + "\\n")

            """)
        let result = try fixture.run(["run", "slow"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("metrics.jsonl line 4:"), "\(result.stderrText)")
        #expect(result.stderrText.contains("metrics.jsonl line 6:"), "\(result.stderrText)")
        let run = try #require(try fixture.runs("slow").first)
        let folder = "\(fixture.root)/slow/runs/\(run)"
        let manifest = try fixture.manifest("slow", run)
        #expect(manifest["metrics"]?["rows"]?.intValue == 8)
        let written = try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8)
        #expect(written == "{\"n\": 0}\n{\"n\": 1}\n{\"n\": 2, \"time\": 1000000000}\n{\"n\": oops}\n{\"n\": 3}\n{\"n\": \"text\"}\n"
                + (4 ..< 8).map { "{\"n\": \($0)}\n" }.joined())
        let (times, values) = try Self.columns(folder + "/metrics.parquet", "n")
        #expect(values == (0 ..< 8).map { Int64($0) })
        let ownTime: Int64 = 1_000_000_000_000_000   // 2001-09-09, the row's own time, kept
        #expect(times[2] == ownTime, "\(times)")
        let arrived = times.enumerated().filter { $0.offset != 2 }.map(\.element)
        #expect(arrived.allSatisfy { $0 != nil }, "\(times)")
        let stamps = arrived.compactMap { $0 }
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 <= $1 }, "\(stamps)")
        #expect(stamps.first! < stamps.last!)
        let started = try Self.micros(manifest["started_at"]?.stringValue)
        let ended = try Self.micros(manifest["ended_at"]?.stringValue)
        #expect(stamps.allSatisfy { $0 >= started && $0 <= ended }, "\(stamps) not in \(started)...\(ended)")
    }

    @Test func followAsJSONLinesEndsWhenTheRunIsSealed() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("grow", Self.steadyProtocol(pause: 0.1, limit: 30))
        let running = try fixture.start(["run", "grow"])
        defer { if running.isRunning { running.terminate() }; running.waitUntilExit() }
        try fixture.waitFor("\(fixture.root)/grow/pid")
        let run = try #require(try fixture.runs("grow").first)
        try fixture.waitFor("\(fixture.root)/grow/runs/\(run)/metrics.jsonl")

        let result = try fixture.run(["view", "grow", "--follow", "--json", "--interval", "0.2"])
        #expect(result.status == 0, "\(result.stderrText)")
        let documents = try result.stdoutText.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(documents.count >= 3, "\(result.stdoutText)")
        #expect(documents.allSatisfy { $0["format"] as? String == "specimen.view/1" })
        let states = documents.map { (($0["runs"] as? [[String: Any]])?.first?["status"] as? String) ?? "?" }
        let rows = documents.map { (($0["runs"] as? [[String: Any]])?.first?["rows"] as? Int) ?? -1 }
        #expect(states.first == "running")
        #expect(states.last == "completed", "\(states)")
        #expect(states.dropLast().allSatisfy { $0 == "running" }, "\(states)")
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 <= $1 }, "\(rows)")
        #expect(Set(rows.dropLast()).count >= 2, "row counts did not grow: \(rows)")
        #expect(rows.last == 30)
        let last = try #require(documents.last?["run"] as? [String: Any])
        #expect(last["status"] as? String == "completed")
        let metrics = try #require(last["metrics"] as? [[String: Any]])
        #expect(metrics.contains { $0["name"] as? String == "loss" })
    }

    @Test func followWithNothingRunningPrintsOneDocument() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("done", Self.steadyProtocol(pause: 0, limit: 3))
        #expect(try fixture.run(["run", "done"]).status == 0)
        let result = try fixture.run(["view", "done", "--follow"])   // not a terminal: JSON lines
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"status\":\"completed\"") == true, "\(result.stdoutText)")
        let all = try fixture.run(["view", "--all", "--follow", "--json"])
        #expect(all.status == 0, "\(all.stderrText)")
        #expect(all.stdoutText.split(separator: "\n").count == 1)
        #expect(all.stdoutText.contains("\"format\":\"specimen.view-all/1\""))
    }

    @Test func killedRunKeepsEveryRowOlderThanOneFlushInterval() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("kill", Self.steadyProtocol(pause: 0.01, limit: 100_000))
        let running = try fixture.start(["run", "kill"])
        try fixture.waitFor("\(fixture.root)/kill/pid")
        let run = try #require(try fixture.runs("kill").first)
        let folder = "\(fixture.root)/kill/runs/\(run)"
        // Let rows flow for a while (well past a flush interval), then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        while ((try? String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0) < 200 {
            #expect(Date() < deadline, "the protocol wrote too few rows")
            if Date() >= deadline { break }
            usleep(50_000)
        }
        let killedAt = Date().timeIntervalSince1970
        kill(running.processIdentifier, SIGKILL)
        let pid = try #require(Int32(try String(contentsOfFile: "\(fixture.root)/kill/pid", encoding: .utf8)))
        kill(pid, SIGKILL)
        running.waitUntilExit()
        while kill(pid, 0) == 0 { usleep(10_000) }

        // What the protocol wrote: row i and when.
        var wrote: [Int64: Double] = [:]
        for line in try String(contentsOfFile: folder + "/metrics.jsonl", encoding: .utf8).split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let i = object["i"] as? Int, let at = object["wrote"] as? Double else { continue }
            wrote[Int64(i)] = at
        }
        let recovered = try fixture.run(["recover", "kill"])
        #expect(recovered.status == 0, "\(recovered.stderrText)")
        #expect(try fixture.manifest("kill", run)["status"]?.stringValue == "crashed")
        let (times, values) = try Self.columns(folder + "/metrics.parquet", "i")
        var journaled = Set<Int64>(), all: [Int64] = []
        for (time, value) in zip(times, values) {
            guard let value else { continue }
            all.append(value)
            if time != nil { journaled.insert(value) }
        }
        #expect(all.count == Set(all).count, "a row was kept twice")
        let flushInterval = 1.0
        let old = wrote.filter { $0.value < killedAt - flushInterval }.map(\.key)
        #expect(old.count >= 100)
        let lost = old.filter { !journaled.contains($0) }
        #expect(lost.isEmpty, "rows older than one flush interval missing from the journal: \(lost.sorted().prefix(10))")
        // The rest of the file (rows after the last flush) is kept too, without arrival times.
        #expect(Set(all) == Set(wrote.keys))
    }
}
