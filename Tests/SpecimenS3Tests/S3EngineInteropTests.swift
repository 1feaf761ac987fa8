import Foundation
import InteropSupport
import MessagePack
import Parquet
import SpecimenS3
import Specimens
import Testing

/// Other engines read a bucket written through `S3Storage` with the glob a user would write,
/// `s3://bucket/prefix/<specimen>/runs/*/metrics.parquet`, and see what `readAllRuns` sees.
///
/// DuckDB is not among them: its `httpfs` extension is downloaded on first use and cannot be
/// obtained here (no pip package matches DuckDB 2.0.1), so DuckDB over S3 is documented only.
@Suite struct S3EngineInteropTests {
    let harness: S3Harness

    init() throws { harness = try S3Harness.get() }

    func options() -> SpecimenStorage.Options {
        var options = SpecimenStorage.Options()
        options.flushInterval = 0.2
        options.recordGit = false
        return options
    }

    /// A cell of `readAllRuns`, compared with what the engine printed as JSON (floats as text,
    /// since Foundation's JSON parser may round a long decimal to a neighbouring Double).
    static func matches(_ value: Value, _ json: Any) -> Bool {
        switch value {
        case .null: json is NSNull
        case .string(let text): (json as? String) == text
        case .int(let integer): (json as? NSNumber)?.int64Value == integer && (json as? NSNumber)?.doubleValue == Double(integer)
        case .double(let double): (json as? String).flatMap(Double.init) == double   // printed as text: exact
        default: false
        }
    }

    @Test func pyarrowAndPolarsReadTheBucketLikeReadAllRuns() throws {
        let bucket = try harness.makeBucket("engines")
        let client = try harness.client(bucket)
        let storage = try S3Storage(client: client, root: try S3Address(bucket: bucket, prefix: "lab"))
        let path = "s3://\(bucket)/lab/sweep"
        var written: [RunID] = []
        for index in 0 ..< 3 {
            let writer = try SpecimenStorage(at: path, storage: storage, params: ["i": MessagePackValue.int(Int64(index))], options: options())
            for step in 0 ..< 40 {
                var values: [(key: String, value: MetricValue)] = [(key: "loss", value: .double(Double(index + 1) / Double(step + 1)))]
                if index == 1 { values.append((key: "extra", value: .int(Int64(step * 3)))) }
                try writer.log(pairs: values)
            }
            try writer.finish()
            written.append(writer.runID)
        }
        // A running run: its claim and journal chunks are in the bucket, but no metrics.parquet.
        let running = try SpecimenStorage(at: path, storage: storage, options: options())
        for step in 0 ..< 10 { try running.log(["loss": .double(Double(step))]) }
        try running.flush()
        defer { try? running.finish() }
        #expect(try !client.list(prefix: "lab/sweep/runs/\(running.runID)/.journal.chunks/").objects.isEmpty)

        let specimen = try Specimen(at: path, storage: storage)
        let table = try specimen.readAllRuns()
        #expect(table.rowCount == 120)

        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = harness.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = harness.secretAccessKey
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let started = Date()
        let result = try ProcessResult.run(Python.interpreter, [
            Python.scriptsFolder.appendingPathComponent("s3_engines_read.py").path,
            harness.endpoint.absoluteString, bucket, "lab/sweep",
        ], environment: environment)
        let elapsed = Date().timeIntervalSince(started)
        try #require(result.status == 0, "s3_engines_read.py failed (run scripts/python-env if a package is missing): \(result.stderrText)")
        #expect(!result.stdoutText.contains(harness.secretAccessKey))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])

        // What readAllRuns says, as rows [run_id, step, extra, loss] sorted like the script's.
        let metrics = table.columnNames.filter { !["run_id", "step", "time"].contains($0) }.sorted()
        #expect(metrics == ["extra", "loss"])
        let order = ["run_id", "step"] + metrics
        var expected = (0 ..< table.rowCount).map { row in order.map { table[$0]![row] } }
        expected.sort { a, b in
            guard case .string(let x) = a[0], case .string(let y) = b[0], case .int(let s) = a[1], case .int(let t) = b[1] else { return false }
            return (x, s) < (y, t)
        }
        let expectedFiles = written.map { "\(bucket)/lab/sweep/runs/\($0)/metrics.parquet" }.sorted()

        for engine in ["pyarrow", "polars"] {
            let view = try #require(json[engine] as? [String: Any], "no \(engine) answer")
            #expect(view["rows"] as? Int == table.rowCount, "\(engine) rows")
            #expect(view["columns"] as? [String] == table.columnNames.sorted(), "\(engine) columns")
            #expect(view["time_type"] as? String == "timestamp[us, tz=UTC]", "\(engine) time type")
            #expect(view["files"] as? [String] == expectedFiles, "\(engine) read other objects than the sealed runs' metrics")
            let rows = try #require(view["values"] as? [[Any]])
            #expect(rows.count == expected.count)
            var mismatches = 0
            for (got, want) in zip(rows, expected) where got.count != want.count || !zip(want, got).allSatisfy(Self.matches) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(engine): \(got) != \(want)") }
            }
            #expect(mismatches == 0, "\(engine): \(mismatches) rows differ from readAllRuns")
            let runIDs = Set(rows.compactMap { $0.first as? String })
            #expect(runIDs == Set(written.map(\.rawValue)))
        }
        // The listing held more than the three metrics files: claims, manifests, the running run's chunks.
        #expect((json["pyarrow"] as? [String: Any])?["listed_objects"] as? Int ?? 0 > 3 * 2 + 1)
        print("s3_engines_read.py took \(String(format: "%.1f", elapsed)) s")
    }
}
