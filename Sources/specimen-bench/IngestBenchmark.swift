#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parquet

/// The `ingest` area: a JSON-lines metrics file as a protocol writes it (2,000,000 rows of
/// `step` and 5 values — 3 doubles of up to 17 digits, a short double, an integer — about
/// 230 MB, in Python's `json.dumps` layout), ingested by `specimen run`
/// — a protocol (`protocol.sh`) that copies the file to `$SPECIMEN_METRICS` at once, so the
/// follower reads it while it grows, journals every row and seals the run to
/// `metrics.parquet` — beside polars' `pl.read_ndjson(file)` in a fresh Python process, both
/// timed as whole processes (start to exit) in alternating rounds, with CPU and peak RSS.
///
/// `SPECIMEN_BIN` names the binary (default `.build/release/specimen`); `SPECIMEN_BASE_BIN`,
/// when set, is measured too, alternating with ours, for a before/after. `--ingest-rows=N`
/// changes the row count. The file is generated once into the temporary folder and kept.
enum IngestBenchmark {
    static func run() throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("ingest: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let base = ProcessInfo.processInfo.environment["SPECIMEN_BASE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
        let rows = CommandLine.arguments.first { $0.hasPrefix("--ingest-rows=") }.flatMap { Int($0.dropFirst("--ingest-rows=".count)) } ?? 2_000_000
        let root = NSTemporaryDirectory() + "specimen-bench-ingest"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let data = root + "/metrics-\(rows).jsonl"
        let size = try generate(data, rows: rows)
        let specimen = root + "/specimen"
        try? FileManager.default.removeItem(atPath: specimen)
        try FileManager.default.createDirectory(atPath: specimen, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: specimen) }
        try Data("cat '\(data)' > \"$SPECIMEN_METRICS\"\n".utf8).write(to: URL(fileURLWithPath: specimen + "/protocol.sh"))
        let polars = "import sys, polars as pl\ndf = pl.read_ndjson(sys.argv[1])\nassert df.height == \(rows), df.height\n"

        var commands: [(name: String, executable: String, arguments: [String])] = [("ours", binary, ["run", specimen])]
        if let base { commands.append(("base", base, ["run", specimen])) }
        commands.append(("polars", Harness.python, ["-c", polars, data]))
        var samples: [String: [ExportBenchmark.Measurement]] = [:]
        for round in 0 ..< 3 {
            // Alternating order, so that each sees the same state of a shared machine.
            for command in round % 2 == 0 ? commands : commands.reversed() {
                guard let measured = try? ExportBenchmark.measure(command.executable, command.arguments) else {
                    FileHandle.standardError.write(Data("ingest: \(command.name) failed\n".utf8))
                    continue
                }
                samples[command.name, default: []].append(measured)
                if command.name != "polars" { try checkRun(specimen, rows: rows) }
            }
        }
        func median(_ name: String) -> ExportBenchmark.Measurement? {
            guard let values = samples[name], !values.isEmpty else { return nil }
            func middle(_ list: [Double]) -> Double { list.sorted()[list.count / 2] }
            return ExportBenchmark.Measurement(seconds: middle(values.map(\.seconds)), cpuSeconds: middle(values.map(\.cpuSeconds)),
                                               peakRSS: Int(middle(values.map { Double($0.peakRSS) })))
        }
        print(String(format: "%d rows × (step + 5 values), %.0f MB of JSON lines; median of 3 alternating rounds", rows, Double(size) / 1e6))
        guard let ours = median("ours") else { return }
        let label = "ingest \(rows / 1_000_000)M rows (process)"
        for peer in ["base", "polars"] {
            guard let theirs = median(peer) else { continue }
            Harness.report(label, ours: ours.seconds, peer: theirs.seconds, peerName: peer == "polars" ? "polars read_ndjson" : peer, unit: .milliseconds)
        }
        for name in ["ours", "base", "polars"] {
            guard let figures = median(name) else { continue }
            print(Harness.pad("  \(name) peak RSS, CPU", 34) + String(format: "%.0f MB, %.2f s CPU (%.0f MB/s of JSON lines)",
                                                                    Double(figures.peakRSS) / 1e6, figures.cpuSeconds, Double(size) / figures.seconds / 1e6))
        }
        print("  (ours: `specimen run` — follow, parse, journal, seal to metrics.parquet; polars: parse into a DataFrame only)")
    }

    /// Writes `rows` rows as Python's `json.dumps` writes them, unless the file exists; returns its size.
    static func generate(_ path: String, rows: Int) throws -> Int {
        var info = stat()
        if stat(path, &info) == 0, info.st_size > 0 { return Int(info.st_size) }
        guard let file = fopen(path + ".part", "w") else { throw CocoaError(.fileWriteUnknown) }
        var line = ""
        for i in 0 ..< rows {
            let x = Double(i)
            let loss = 2.5 / (1 + x / 10_000) + 0.01 * sin(x)
            let accuracy = 1 - 0.9 / (1 + x / 50_000)
            let lr = (1_000 * (0.5 + 0.5 * cos(Double.pi * x / Double(rows)))).rounded() / 1e6
            let gpu = (abs(sin(x)) * 100).rounded() / 100
            line = "{\"step\": \(i), \"loss\": \(loss), \"acc\": \(accuracy), \"lr\": \(lr), \"epoch\": \(i / 20_000), \"gpu\": \(gpu)}\n"
            fputs(line, file)
        }
        fclose(file)
        guard rename(path + ".part", path) == 0, stat(path, &info) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(info.st_size)
    }

    /// Checks that the run just made holds every row (`metrics.parquet` exists) and removes it.
    static func checkRun(_ specimen: String, rows: Int) throws {
        let runs = specimen + "/runs"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? [] {
            let folder = runs + "/" + name
            let count = (try? ParquetReader(path: folder + "/metrics.parquet"))?.metadata.numRows
            if count != Int64(rows) {
                FileHandle.standardError.write(Data("ingest: \(folder)/metrics.parquet holds \(count.map(String.init) ?? "no") rows, not \(rows)\n".utf8))
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
