#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The `export` area: `specimen export <specimen> --all-runs --format F -o FILE` over 1,000
/// runs × 10,000 rows, timed as a whole process (start to exit) with its peak RSS, beside
/// polars (`scan_parquet(glob).collect().write_parquet/csv/ndjson`) and DuckDB
/// (`COPY (SELECT * FROM read_parquet(glob)) TO FILE`), each a whole Python process too.
///
/// The runs are the `store` area's (generated once with the library into
/// `$TMPDIR/specimen-bench-store/readall`). `SPECIMEN_BIN` names the binary (default
/// `.build/release/specimen`); `SPECIMEN_BASE_BIN`, when set, is measured too, alternating
/// with ours, for a before/after. Figures are medians of 3 runs; outputs (in /dev/shm when it
/// exists, else `SPECIMEN_BENCH_EXPORT_DIR` or the temporary folder) are removed between.
enum ExportBenchmark {
    static func run() throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("export: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let base = ProcessInfo.processInfo.environment["SPECIMEN_BASE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-store").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/readall"
        let runCount = 1_000, rowsPerRun = 10_000
        try StoreBenchmark.generateRuns(path, runs: runCount, rows: rowsPerRun)
        // Outputs go to memory (/dev/shm) when there is one, so a slow disk does not decide the
        // race; SPECIMEN_BENCH_EXPORT_DIR picks another folder.
        let environment = ProcessInfo.processInfo.environment
        let folder = environment["SPECIMEN_BENCH_EXPORT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
        let output = folder + "/specimen-bench-export-\(getpid())"
        let glob = path + "/runs/*/metrics.parquet"
        let formats = CommandLine.arguments.first { $0.hasPrefix("--export-formats=") }
            .map { $0.dropFirst("--export-formats=".count).split(separator: ",").map(String.init) } ?? ["parquet", "csv", "jsonl"]
        for format in formats {
            var commands: [(name: String, executable: String, arguments: [String])] = [
                ("ours", binary, ["export", path, "--all-runs", "--format", format, "-o", output]),
            ]
            if let base { commands.append(("base", base, ["export", path, "--all-runs", "--format", format, "-o", output])) }
            let peer = FileManager.default.currentDirectoryPath + "/benchmarks/peers/export_peer.py"
            commands.append(("polars", Harness.python, [peer, "polars", glob, format, output]))
            commands.append(("duckdb", Harness.python, [peer, "duckdb", glob, format, output]))
            var samples: [String: [Measurement]] = [:]
            for _ in 0 ..< 3 {
                for command in commands {
                    unlink(output)
                    guard let measured = try? measure(command.executable, command.arguments) else {
                        FileHandle.standardError.write(Data("export: \(command.name) \(format) failed\n".utf8))
                        continue
                    }
                    samples[command.name, default: []].append(measured)
                }
            }
            unlink(output)
            func median(_ name: String) -> Measurement? {
                guard let values = samples[name], !values.isEmpty else { return nil }
                return Measurement(seconds: values.map(\.seconds).sorted()[values.count / 2], cpuSeconds: values.map(\.cpuSeconds).sorted()[values.count / 2],
                                   peakRSS: values.map(\.peakRSS).sorted()[values.count / 2])
            }
            guard let ours = median("ours") else { continue }
            let label = "export \(runCount)×\(rowsPerRun / 1000)k \(format)"
            for peer in ["base", "polars", "duckdb"] {
                guard let theirs = median(peer) else { continue }
                Harness.report(label, ours: ours.seconds, peer: theirs.seconds, peerName: peer, unit: .milliseconds)
            }
            for name in ["ours", "base", "polars", "duckdb"] {
                guard let figures = median(name) else { continue }
                print(Harness.pad("  \(name) peak RSS, CPU", 34) + String(format: "%.0f MB, %.2f s CPU", Double(figures.peakRSS) / 1e6, figures.cpuSeconds)
                      + (name == "ours" ? String(format: " (goal < 256 MB: %@)", figures.peakRSS < 256_000_000 ? "met" : "not met") : ""))
            }
        }
    }

    /// A child process's wall time, CPU time (user + system) and peak resident set.
    struct Measurement {
        var seconds: Double
        var cpuSeconds: Double
        var peakRSS: Int
    }

    /// Runs `executable arguments…` with output to /dev/null, waits, and measures it.
    static func measure(_ executable: String, _ arguments: [String]) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        let started = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard started == 0 else { throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: "\(executable): \(String(cString: strerror(started)))"]) }
        var status: Int32 = 0
        var usage = rusage()
        // The child's peak RSS is its VmHWM, polled until it exits: `ru_maxrss` of a spawned child
        // starts from this (large) process's high-water mark, so it cannot be trusted here.
        var peak = 0
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peak = max(peak, kilobytes * 1024)
            }
            usleep(2_000)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else { throw CocoaError(.executableRuntimeMismatch, userInfo: [NSDebugDescriptionErrorKey: "\(executable) exited with \(status)"]) }
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Measurement(seconds: seconds, cpuSeconds: cpu, peakRSS: peak)
    }
}
