#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import Parquet
import Specimens
import Testing
@testable import SpecimenCommandLine

/// `specimen export --all-runs` (and with a selection) streams run by run: its output must be
/// what the in-memory path gives (the stacked table of `readRunsTable`, rendered by
/// `ExportCommand.csv`/`jsonl`), byte for byte for text and row for row for Parquet.
@Suite("specimen export streaming")
struct ExportStreamTests {
    /// A specimen of seeded runs whose schemas differ: an int column that becomes double, a
    /// column only some runs have, an empty run, strings that need quoting and escaping,
    /// non-finite doubles, booleans and nulls.
    static func seeded(_ fixture: SpecimenFixture, runs: Int = 12) throws -> (path: String, ids: [RunID]) {
        let path = fixture.root + "/mix"
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        var generator = SeededGenerator(seed: 16)
        var ids: [RunID] = []
        let texts = ["plain", "a,b", "say \"hi\"", "line\nbreak", " padded ", "naïve", "tab\there", "back\\slash", ""]
        for run in 0 ..< runs {
            let id = try RunID(String(format: "20240101_0000%02d", run))
            ids.append(id)
            options.runID = id
            let storage = try SpecimenStorage(at: path, params: ["run": run], options: options)
            let rows = run == 3 ? 0 : Int.random(in: 1 ... 40, using: &generator)
            for step in 0 ..< rows {
                var pairs: [(key: String, value: MetricValue)] = []
                // `score` is int64 in the early runs and double later: stacked as double.
                pairs.append(("score", run < 5 ? .int(Int64(step * run)) : .double(Double.random(in: -1e6 ... 1e6, using: &generator))))
                if run % 2 == 0 { pairs.append(("loss", .double([Double.nan, .infinity, -.infinity, 0.1, -0.0, 1e-7, 1e16][step % 7]))) }
                if run % 3 == 1 { pairs.append(("tag", .string(texts[(step + run) % texts.count]))) }
                if run >= 6 { pairs.append(("ok", step % 3 == 0 ? .null : .bool(step % 2 == 0))) }
                if run == 7 { pairs.append(("only7", .int(-Int64(step) * 1_000_000_007))) }
                try storage.log(pairs: pairs)
            }
            try storage.finish()
        }
        return (path, ids)
    }

    /// What the in-memory export writes for `table`.
    static func expected(_ table: Table, _ format: String) -> [UInt8] {
        Array((format == "csv" ? ExportCommand.csv(table) : ExportCommand.jsonl(table)).utf8)
    }

    @Test("text and Parquet equal the in-memory export", arguments: ["csv", "jsonl", "parquet"])
    func equalsInMemory(format: String) throws {
        let fixture = try SpecimenFixture()
        let (path, _) = try Self.seeded(fixture)
        let reference = try Specimen(at: path).readRunsTable()
        #expect(reference.skipped.isEmpty)
        let file = fixture.folder.file("all.\(format)")
        let result = try fixture.run(["export", "mix", "--all-runs", "--format", format, "-o", file])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText == "specimen: wrote \(reference.table.rowCount) rows to \(file)\n")
        if format == "parquet" {
            let table = try ParquetReader(path: file).read()
            #expect(table == reference.table)
            #expect(try ParquetReader(path: file).schema == Schema(of: reference.table))
        } else {
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: file))) == Self.expected(reference.table, format))
            // And the same on standard output.
            let out = try fixture.run(["export", "mix", "--all-runs", "--format", format])
            #expect(out.stdout == Self.expected(reference.table, format))
        }
        // No temporary file is left beside the output.
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)
        #expect(!names.contains { $0.contains("specimen-export") })
    }

    @Test("pyarrow, polars and DuckDB read the streamed Parquet file as the in-memory one")
    func peersAgree() throws {
        let fixture = try SpecimenFixture()
        let (path, _) = try Self.seeded(fixture, runs: 30)
        let reference = fixture.folder.file("memory.parquet")
        try ParquetWriter.write(try Specimen(at: path).readAllRuns(), to: reference)
        let streamed = fixture.folder.file("streamed.parquet")
        let result = try fixture.run(["export", "mix", "--all-runs", "--format", "parquet", "-o", streamed])
        #expect(result.status == 0, "\(result.stderrText)")
        let code = """
            import sys, duckdb, polars as pl, pyarrow.parquet as pq
            a, b = sys.argv[1], sys.argv[2]
            ta, tb = pq.read_table(a), pq.read_table(b)
            assert ta.schema.equals(tb.schema, check_metadata=True), (ta.schema, tb.schema)
            assert pq.ParquetFile(a).schema_arrow.metadata == pq.ParquetFile(b).schema_arrow.metadata
            # NaN is unequal to itself in pyarrow's and polars' equals: compare with NaN spelled out.
            def cells(rows):
                return [tuple("nan" if isinstance(v, float) and v != v else v for v in row) for row in rows]
            assert cells(zip(*ta.to_pydict().values())) == cells(zip(*tb.to_pydict().values())), "pyarrow rows"
            pa_, pb = pl.read_parquet(a), pl.read_parquet(b)
            assert pa_.schema == pb.schema, (pa_.schema, pb.schema)
            assert cells(pa_.rows()) == cells(pb.rows()), "polars rows"
            for x, y in ((a, b), (b, a)):
                n = duckdb.sql(f"SELECT count(*) FROM (SELECT * FROM read_parquet('{x}') EXCEPT ALL SELECT * FROM read_parquet('{y}'))").fetchall()[0][0]
                assert n == 0, n
            order = duckdb.sql(f"SELECT count(*) FROM (SELECT row_number() OVER () AS i, * FROM read_parquet('{a}')) x JOIN (SELECT row_number() OVER () AS i, * FROM read_parquet('{b}')) y ON x.i = y.i AND x.run_id = y.run_id").fetchall()[0][0]
            assert order == ta.num_rows, (order, ta.num_rows)
            print("same", ta.num_rows)
            """
        let out = String(decoding: try Python.run(code: code, [reference, streamed]), as: UTF8.self)
        #expect(out.hasPrefix("same "))
    }

    @Test("a selection exports the selected runs in the selection's order", arguments: ["csv", "jsonl", "parquet"])
    func selection(format: String) throws {
        let fixture = try SpecimenFixture()
        let (path, ids) = try Self.seeded(fixture)
        let chosen = ids.filter { [2, 3, 7, 9].contains(ids.firstIndex(of: $0)!) }.reversed()
        let reference = try Specimen(at: path).readRunsTable(Array(chosen))
        let file = fixture.folder.file("some.\(format)")
        let result = try fixture.run(["export", "mix", "--where", "params.run >= 2 and params.run != 4 and params.run <= 9 and params.run != 5 and params.run != 6 and params.run != 8",
                                      "--sort", "params.run:desc", "--format", format, "-o", file])
        #expect(result.status == 0, "\(result.stderrText)")
        if format == "parquet" {
            #expect(try ParquetReader(path: file).read() == reference.table)
        } else {
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: file))) == Self.expected(reference.table, format))
        }
    }

    @Test("a run whose data fails to decode is skipped and reported, as in memory", arguments: ["csv", "jsonl", "parquet"])
    func damagedRun(format: String) throws {
        let fixture = try SpecimenFixture()
        let (path, ids) = try Self.seeded(fixture)
        // Run 7 (the only one with `only7`): its pages damaged, its footer intact.
        let metrics = path + "/runs/\(ids[7])/metrics.parquet"
        chmod(metrics, 0o644)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: metrics)))
        for offset in 4 ..< min(200, bytes.count / 2) { bytes[offset] = 0xff }
        try Data(bytes).write(to: URL(fileURLWithPath: metrics))
        let reference = try Specimen(at: path).readRunsTable()
        #expect(reference.skipped.map(\.run) == [ids[7]])
        #expect(!reference.table.columnNames.contains("only7"))
        let file = fixture.folder.file("all.\(format)")
        let result = try fixture.run(["export", "mix", "--all-runs", "--format", format, "-o", file])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText == "specimen: skipped run \(ids[7]): \(reference.skipped[0].reason)\nspecimen: wrote \(reference.table.rowCount) rows to \(file)\n")
        if format == "parquet" {
            #expect(try ParquetReader(path: file).read() == reference.table)
        } else {
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: file))) == Self.expected(reference.table, format))
        }
    }

    @Test("runTables hands out the stacked table run by run, schema first")
    func runTables() throws {
        let fixture = try SpecimenFixture()
        let (path, ids) = try Self.seeded(fixture)
        let specimen = try Specimen(at: path)
        let reference = try specimen.readAllRuns()
        let runs = try specimen.runTables()
        #expect(runs.schema == Schema(of: reference))
        #expect(runs.runs == ids)
        #expect(runs.rowCount == reference.rowCount)
        var tables: [Table] = []
        var seen: [RunID] = []
        let skipped = try specimen.forEachRunTable { id, table in
            seen.append(id)
            tables.append(table)
        }
        #expect(skipped.isEmpty)
        #expect(seen == ids)
        #expect(try Table.concatenate(tables) == reference)
    }

    @Test("the encoder writes doubles and timestamps as the Value path does")
    func encoderMatchesValues() throws {
        var generator = SeededGenerator(seed: 7)
        var doubles: [Double?] = [0, -0.0, 1, 0.1, 1e16, 1e-5, 5e-324, .greatestFiniteMagnitude, .nan, .infinity, nil, 123456789.125]
        var times: [Int64?] = [0, -1, 1, 999_999, -86_400_000_001, 253_402_300_799_999_999, nil]
        for _ in 0 ..< 2000 {
            doubles.append(Double(bitPattern: generator.next()))
            doubles.append(Double.random(in: -1000 ... 1000, using: &generator))
            times.append(Int64.random(in: -10_000_000_000_000_000 ... 10_000_000_000_000_000, using: &generator))
        }
        times += Array(repeating: 1_700_000_000_000_000, count: doubles.count - times.count)
        let table = try Table(columns: [
            Column(name: "d", doubles: doubles),
            Column(name: "t", timestamps: times, unit: .microseconds),
            Column(name: "n", timestamps: times.map { $0.map { $0 / 7 } }, unit: .nanoseconds, isAdjustedToUTC: false),
            Column(name: "i", int64s: times.map { $0.map { $0 / 3 } }),
            Column(name: "b", bools: times.map { $0.map { $0 % 2 == 0 } }),
        ])
        for format in [TableTextEncoder.Format.csv, .jsonl] {
            let encoder = TableTextEncoder(format: format, columns: table.columnNames)
            let text = encoder.header + encoder.encode(table)
            #expect(text == Self.expected(table, format == .csv ? "csv" : "jsonl"))
        }
    }
}
