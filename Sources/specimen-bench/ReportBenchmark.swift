import Foundation
import MessagePack
import Specimens

/// The `report` area: `specimen report` of one specimen, as a whole process, beside polars
/// reading the same runs' metrics.parquet files (a whole Python process too), and the size of
/// the page it wrote.
///
/// Data: `--runs N` runs (default 1,000) × `--rows N` rows (default 10,000) × 8 double
/// metrics, written once with the library into a temporary folder and kept for later runs.
/// Needs the release binary (`swift build -c release --product specimen`, or `SPECIMEN_BIN`).
enum ReportBenchmark {
    static func run() throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("report: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let runs = option("--runs") ?? 1_000
        let rows = option("--rows") ?? 10_000
        let root = NSTemporaryDirectory() + "specimen-bench-report"
        let specimen = root + "/sweep-\(runs)x\(rows)"
        try generate(specimen, runs: runs, rows: rows)
        let output = root + "/report.html"

        let ours = try Harness.measure(repetitions: 3) { try CLIBenchmark.spawn(binary, ["report", specimen, "-o", output]) }
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        let script = FileManager.default.currentDirectoryPath + "/benchmarks/peers/report_polars_peer.py"
        let peer = try? Harness.measure(repetitions: 3) {
            try CLIBenchmark.spawn(Harness.python, [script, specimen + "/runs/*/metrics.parquet", String(runs * rows)])
        }
        Harness.report("report \(runs) runs × \(rows) rows × 8 (process)", ours: ours, peer: peer, peerName: "polars read", unit: .milliseconds)
        print(Harness.pad("report page size", 34) + String(format: "%.2f MB (%d bytes)", Double(size) / 1e6, size))

        // Opening it: headless Chromium loads the page, runs its script and dumps the DOM.
        let chromium = ["/usr/bin/chromium", "/usr/local/bin/chromium"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if let chromium {
            let profile = root + "/chromium-profile"
            let open = try Harness.measure(repetitions: 3) {
                try CLIBenchmark.spawn(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile,
                                                  "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
                                                  "--virtual-time-budget=30000", "--dump-dom", "file://" + output])
            }
            print(Harness.pad("open in headless chromium", 34) + String(format: "%.2f s (load, script, DOM dump)", open))
        } else {
            print(Harness.pad("open in headless chromium", 34) + "n/a (install chromium: scripts/browser-env)")
        }
    }

    /// The value of `--name N` on the command line, if given.
    static func option(_ name: String) -> Int? {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return Int(arguments[index + 1])
    }

    /// `runs` sealed runs of `rows` rows × 8 metrics (loss curves with noise), once.
    static func generate(_ path: String, runs: Int, rows: Int) throws {
        let done = path + "/.complete"
        if FileManager.default.fileExists(atPath: done) { return }
        try? FileManager.default.removeItem(atPath: path)
        FileHandle.standardError.write(Data("report: generating \(runs) runs × \(rows) rows × 8 metrics in \(path) (once)…\n".utf8))
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        options.flushInterval = 60
        let names = ["loss", "val_loss", "accuracy", "val_accuracy", "lr", "grad_norm", "throughput", "memory"]
        var state: UInt64 = 42
        for run in 0 ..< runs {
            options.runID = try RunID(StoreBenchmark.runID(seconds: 1_700_000_000 + Int64(run) * 60))
            let lr = 0.0001 * Double(run % 10 + 1)
            let storage = try SpecimenStorage(at: path, params: .map([("lr", .float64(lr)), ("depth", .int(Int64(2 + run % 6))), ("seed", .int(Int64(run)))]), options: options)
            var values = [Double](repeating: 0, count: 8)
            for step in 0 ..< rows {
                let x = Double(step) / Double(max(1, rows))
                for index in 0 ..< 8 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let noise = Double(state >> 11) / Double(1 << 53) - 0.5
                    values[index] = exp(-x * (3 + Double(index) + lr * 1000)) + 0.02 * noise + Double(index)
                }
                try storage.log(step: step, names, values)
            }
            try storage.finish()
        }
        _ = FileManager.default.createFile(atPath: done, contents: nil)
    }
}
