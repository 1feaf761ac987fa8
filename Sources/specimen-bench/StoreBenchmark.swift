import Foundation
import Parquet
import Specimens

/// The store, ours against the fastest Python paths on the same data in the same run:
///
/// - logging rows of 8 doubles with the journal on (CPU ns per value, every thread of the
///   process) vs appending to Python lists and writing once with pyarrow (no crash safety);
/// - `readAllRuns()` over 1,000 runs × 10,000 rows vs polars `scan_parquet(glob).collect()` and
///   DuckDB `read_parquet(glob)` on the same files (generated once with our writer into
///   `$TMPDIR/specimen-bench-store`, reused by later runs): repeated calls in one process,
///   then the first call in a fresh process, ours and the peers' fresh interpreters in turn
///   (5 rounds, medians);
/// - `listRuns()` on 10,000 runs vs a bare `readdir` loop.
enum StoreBenchmark {
    static func run() throws {
        if let index = CommandLine.arguments.firstIndex(of: "--readall-child"), index + 1 < CommandLine.arguments.count {
            return try readAllChild(CommandLine.arguments[index + 1])
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-store").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // `--store-parts=readall,listing` runs some parts only (all by default).
        let chosen = CommandLine.arguments.first { $0.hasPrefix("--store-parts=") }
            .map { Set($0.dropFirst("--store-parts=".count).split(separator: ",").map(String.init)) }
        if chosen?.contains("logging") ?? true { try logging(root) }
        if chosen?.contains("readall") ?? true { try readAll(root) }
        if chosen?.contains("listing") ?? true { try listing(root) }
    }

    // MARK: Logging

    static func logging(_ root: String) throws {
        let rows = 500_000
        let folder = root + "/logging-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        let names = ["loss", "accuracy", "lr", "grad_norm", "val_loss", "val_accuracy", "epoch_time", "throughput"]
        // CPU time of the whole process (the logging thread and the flusher that writes and
        // syncs the journal), so a busy machine does not skew the figures; the peer likewise.
        func measure(_ body: (SpecimenStorage) throws -> Void) throws -> Double {
            var samples: [Double] = []
            for repetition in 0 ..< 6 {
                let storage = try SpecimenStorage(at: folder, options: options)
                let start = processCPUTime()
                try body(storage)
                let end = processCPUTime()
                try storage.finish()
                if repetition > 0 { samples.append((end - start) / Double(rows * 8)) }   // first: warm-up
            }
            samples.sort()
            return samples[samples.count / 2]
        }
        let pairs = try measure { storage in
            var x = 0.5
            for _ in 0 ..< rows {
                x = x * 0.999 + 0.001
                try storage.log([
                    "loss": .double(x), "accuracy": .double(1 - x), "lr": .double(0.001), "grad_norm": .double(x * 3),
                    "val_loss": .double(x + 0.1), "val_accuracy": .double(0.9 - x), "epoch_time": .double(12.5), "throughput": .double(x * 1000),
                ])
            }
        }
        let doubles = try measure { storage in
            var x = 0.5
            for _ in 0 ..< rows {
                x = x * 0.999 + 0.001
                try storage.log(names, [x, 1 - x, 0.001, x * 3, x + 0.1, 0.9 - x, 12.5, x * 1000])
            }
        }
        let peer = Harness.runPeer("store_log_peer.py", [String(rows)]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        Harness.report("log 8 doubles, names+[Double]", ours: doubles, peer: peer, peerName: "lists+pyarrow", unit: .nanoseconds)
        Harness.report("log 8 doubles, [name: value]", ours: pairs, peer: peer, peerName: "lists+pyarrow", unit: .nanoseconds)
        print(Harness.pad("  (CPU ns per value, journal on)", 34) + String(format: "goal ≤ 40 ns: %@", doubles <= 40e-9 ? "met" : "not met"))
    }

    /// CPU seconds used by this process so far (every thread).
    static func processCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    // MARK: Reading every run

    static func readAll(_ root: String) throws {
        let path = root + "/readall"
        let runCount = 1_000, rowsPerRun = 10_000
        try generateRuns(path, runs: runCount, rows: rowsPerRun)
        let specimen = try Specimen(at: path)
        var rowCount = 0
        // Each table is dropped before the next read, so only one is alive at a time.
        let ours = try Harness.measure(repetitions: 3) { rowCount = try specimen.readAllRuns().rowCount }
        guard rowCount == runCount * rowsPerRun else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "readAllRuns read \(rowCount) rows"])
        }
        var peers: [String: Double] = [:]
        if let output = Harness.runPeer("store_readall_peer.py", [path + "/runs/*/metrics.parquet", String(runCount * rowsPerRun)]) {
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let seconds = Double(parts[1]) { peers[String(parts[0])] = seconds }
            }
        }
        let label = "readAllRuns \(runCount)×\(rowsPerRun / 1000)k rows"
        Harness.report(label, ours: ours, peer: peers["polars"], peerName: "polars", unit: .milliseconds)
        Harness.report(label, ours: ours, peer: peers["duckdb"], peerName: "duckdb", unit: .milliseconds)

        // The first call in a fresh process (what a script that loads every run once pays),
        // median of 5 processes each; the peers do the same in fresh interpreters. Ours and
        // theirs alternate, so that each meets the same state of the machine's memory (how
        // fast fresh pages come depends on what the processes before freed).
        var firsts: [Double] = []
        var firstPeers: [String: [Double]] = [:]
        for _ in 0 ..< 5 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = ["store", "--readall-child", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            // The child prints the area header, then its seconds.
            if let last = output.split(separator: "\n").last, let seconds = Double(last) { firsts.append(seconds) }
            guard let peerOutput = Harness.runPeer("store_readall_peer.py", [path + "/runs/*/metrics.parquet", String(runCount * rowsPerRun), "--first"])
            else { break }
            for line in peerOutput.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let seconds = Double(parts[1]) { firstPeers[String(parts[0]), default: []].append(seconds) }
            }
        }
        func median(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.sorted()[values.count / 2] }
        if let first = median(firsts) {
            let firstLabel = "readAllRuns, first call in a process"
            Harness.report(firstLabel, ours: first, peer: median(firstPeers["polars"] ?? []), peerName: "polars", unit: .milliseconds)
            Harness.report(firstLabel, ours: first, peer: median(firstPeers["duckdb"] ?? []), peerName: "duckdb", unit: .milliseconds)
        }
    }

    /// `--readall-child PATH`: one `readAllRuns()` in this fresh process; prints its seconds.
    static func readAllChild(_ path: String) throws {
        let specimen = try Specimen(at: path)
        let start = DispatchTime.now().uptimeNanoseconds
        let rows = try specimen.readAllRuns().rowCount
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard rows > 0 else { exit(1) }
        print(seconds)
    }

    /// 1,000 sealed runs of 10,000 rows (step, time, 4 doubles, 1 int), written once by our
    /// own writer; a `.complete` file marks a finished set.
    static func generateRuns(_ path: String, runs: Int, rows: Int) throws {
        let done = path + "/.complete-\(runs)x\(rows)"
        if FileManager.default.fileExists(atPath: done) { return }
        try? FileManager.default.removeItem(atPath: path)
        FileHandle.standardError.write(Data("store: generating \(runs) runs of \(rows) rows in \(path) (once)…\n".utf8))
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        let base: Int64 = 1_700_000_000
        for run in 0 ..< runs {
            options.runID = try RunID(Self.runID(seconds: base + Int64(run) * 60))
            let storage = try SpecimenStorage(at: path, params: ["run": run], options: options)
            var x = Double(run % 17) / 17
            for step in 0 ..< rows {
                x = x * 0.9995 + 0.0005
                try storage.log(["loss": .double(1 - x), "accuracy": .double(x), "lr": .double(0.001 * Double(run % 5 + 1)),
                                 "grad_norm": .double(x * 2.5), "epoch": .int(Int64(step / 1000))])
            }
            try storage.finish()
        }
        _ = FileManager.default.createFile(atPath: done, contents: nil)
    }

    static func runID(seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02d_%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    // MARK: Listing

    static func listing(_ root: String) throws {
        let path = root + "/listing"
        let count = 10_000
        let runs = path + "/runs"
        let done = path + "/.complete-\(count)"
        if !FileManager.default.fileExists(atPath: done) {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
            for index in 0 ..< count {
                mkdir(runs + "/" + runID(seconds: 1_700_000_000 + Int64(index)), 0o755)
            }
            _ = FileManager.default.createFile(atPath: done, contents: nil)
        }
        let specimen = try Specimen(at: path)
        var listed = 0
        let ours = try Harness.measure(iterations: 20, repetitions: 7) { listed = try specimen.listRuns().count }
        guard listed == count else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "listRuns found \(listed) runs"])
        }
        var names = 0
        let bare = Harness.measure(iterations: 20, repetitions: 7) { names = bareListing(runs).count }
        guard names == count else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "readdir found \(names) names"])
        }
        Harness.report("listRuns \(count) runs", ours: ours, peer: bare, peerName: "bare readdir", unit: .milliseconds)
    }

    /// A bare directory listing: every name as a String, unsorted, nothing else.
    static func bareListing(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
