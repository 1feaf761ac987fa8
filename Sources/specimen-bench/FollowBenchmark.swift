#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Specimens
import MessagePack

/// The `follow` area: watching runs as they happen, with the release `specimen` binary as a
/// whole process (its CPU time from `wait4`).
///
/// - `specimen view <specimen> --follow --json --interval 0.25` over 100 running runs that
///   each get 5 rows every 50 ms (every run changes at every refresh): CPU ms per refresh
///   (the process's CPU over the documents it printed), beside the 50 ms budget;
/// - the same over 100 running runs where nothing changes, for 10 s: CPU % of one core,
///   beside the 1% budget;
/// - a Python protocol writing 500,000 rows as fast as it can (well over 100,000 rows/s)
///   through `specimen run`'s `SPECIMEN_METRICS`, beside the same script writing a plain file:
///   the protocol's own time for its rows, and both whole processes.
enum FollowBenchmark {
    static func run() throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("follow: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let root = NSTemporaryDirectory() + "specimen-bench-follow"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }

        try busyFollow(binary, root)
        try idleFollow(binary, root)
        try ingestion(binary, root)
    }

    /// 100 runs of `specimen`, open for writing in this process, with `rows` rows each.
    static func openRuns(_ specimen: String, rows: Int) throws -> [SpecimenStorage] {
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        var storages: [SpecimenStorage] = []
        for index in 0 ..< 100 {
            options.runID = try RunID(StoreBenchmark.runID(seconds: 1_700_000_000 + Int64(index) * 60))
            let storage = try SpecimenStorage(at: specimen, params: .map([("index", .int(Int64(index)))]), options: options)
            for step in 0 ..< rows { try storage.log(["loss": .double(1 / Double(step + 1)), "accuracy": .double(Double(step % 100) / 100)]) }
            try storage.flush()
            storages.append(storage)
        }
        return storages
    }

    private static func busyFollow(_ binary: String, _ root: String) throws {
        let specimen = root + "/busy"
        let storages = try openRuns(specimen, rows: 1000)
        let child = try Child(binary, ["view", specimen, "--follow", "--json", "--interval", "0.25"])
        let until = Date().addingTimeInterval(5)
        var step = 1000
        while Date() < until {
            for storage in storages {
                for offset in 0 ..< 5 { try storage.log(["loss": .double(1 / Double(step + offset + 1)), "accuracy": 0.5]) }
            }
            step += 5
            usleep(50_000)
        }
        for storage in storages { try storage.finish() }
        let (cpu, lines) = child.wait()
        let perRefresh = cpu / Double(max(1, lines))
        print(Harness.pad("follow 100 running runs", 34) + Harness.pad(String(format: "%.1f ms CPU/refresh", perRefresh * 1e3), 24)
              + Harness.pad("budget 50 ms", 16) + String(format: "%.2f× of budget (%d refreshes, %d rows/run)", perRefresh / 0.050, lines, step))
    }

    private static func idleFollow(_ binary: String, _ root: String) throws {
        let specimen = root + "/idle"
        let storages = try openRuns(specimen, rows: 1000)
        let child = try Child(binary, ["view", specimen, "--follow", "--json", "--interval", "1"])
        // Steady state: CPU between 3 s (start-up and the first read of the 100 runs done)
        // and 13 s, from /proc/<pid>/stat; the whole process's total is printed beside it.
        Thread.sleep(forTimeInterval: 3)
        let before = processCPU(child.pid)
        let seconds = 10.0
        Thread.sleep(forTimeInterval: seconds)
        let after = processCPU(child.pid)
        kill(child.pid, SIGTERM)
        let (cpu, lines) = child.wait()
        for storage in storages { try storage.finish() }
        guard let before, let after else { print("idle follow: /proc/<pid>/stat unreadable"); return }
        let percent = (after - before) / seconds * 100
        print(Harness.pad("idle follow, 100 running runs", 34) + Harness.pad(String(format: "%.3f%% of a core", percent), 24)
              + Harness.pad("budget 1%", 16) + String(format: "%.2f× of budget (%.0f ms CPU in %.0f s idle; %.0f ms in all, start-up included; %d documents)",
                                                      percent / 1, (after - before) * 1e3, seconds, cpu * 1e3, lines))
    }

    private static func ingestion(_ binary: String, _ root: String) throws {
        let specimen = root + "/ingest"
        try FileManager.default.createDirectory(atPath: specimen, withIntermediateDirectories: true)
        let rows = 500_000
        let script = """
            import json, os, time
            rows = \(rows)
            start = time.perf_counter()
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                for i in range(rows):
                    f.write(json.dumps({"step": i, "loss": 1.0 / (i + 1), "accuracy": (i % 100) / 100}) + "\\n")
            elapsed = time.perf_counter() - start
            open(os.environ["BENCH_ELAPSED"], "w").write(repr(elapsed))

            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: specimen + "/protocol.py"))
        let elapsedFile = root + "/elapsed"
        var through: [(inner: Double, whole: Double)] = [], plain: [(inner: Double, whole: Double)] = []
        for _ in 0 ..< 3 {
            let start1 = DispatchTime.now().uptimeNanoseconds
            _ = try Child(binary, ["run", specimen], environment: ["BENCH_ELAPSED": elapsedFile]).wait()
            let whole1 = Double(DispatchTime.now().uptimeNanoseconds - start1) / 1e9
            through.append((try Double(String(contentsOfFile: elapsedFile, encoding: .utf8)) ?? .nan, whole1))

            let plainFile = root + "/plain.jsonl"
            try? FileManager.default.removeItem(atPath: plainFile)
            let start2 = DispatchTime.now().uptimeNanoseconds
            _ = try Child("/usr/bin/env", ["python3", specimen + "/protocol.py"], environment: ["BENCH_ELAPSED": elapsedFile, "SPECIMEN_METRICS": plainFile]).wait()
            let whole2 = Double(DispatchTime.now().uptimeNanoseconds - start2) / 1e9
            plain.append((try Double(String(contentsOfFile: elapsedFile, encoding: .utf8)) ?? .nan, whole2))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let inner = median(through.map(\.inner)), innerPlain = median(plain.map(\.inner))
        let whole = median(through.map(\.whole)), wholePlain = median(plain.map(\.whole))
        print(Harness.pad("protocol 500k rows, its own time", 34) + Harness.pad(String(format: "ours %.2f s", inner), 22)
              + Harness.pad(String(format: "plain file %.2f s", innerPlain), 26)
              + String(format: "%+.1f%% (%.0f rows/s through SPECIMEN_METRICS)", (inner / innerPlain - 1) * 100, Double(rows) / inner))
        print(Harness.pad("protocol 500k rows, whole process", 34) + Harness.pad(String(format: "ours %.2f s", whole), 22)
              + Harness.pad(String(format: "plain file %.2f s", wholePlain), 26)
              + String(format: "%+.1f%% (specimen run includes sealing %d rows)", (whole / wholePlain - 1) * 100, rows))
    }

    /// The CPU seconds (user + system) process `pid` has used so far, from `/proc/<pid>/stat`.
    static func processCPU(_ pid: pid_t) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based, in clock ticks).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A child process whose stdout lines are counted and whose CPU time is read at its end.
    final class Child: @unchecked Sendable {
        let pid: pid_t
        private let reader: Thread
        private let done = DispatchSemaphore(value: 0)
        private let readEnd: Int32

        init(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in extra { environment[key] = value }
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let started = posix_spawn(&pid, executable, &actions, nil, argv, envp)
            close(fds[1])
            guard started == 0 else { close(fds[0]); throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: "\(executable): \(String(cString: strerror(started)))"]) }
            self.pid = pid
            readEnd = fds[0]
            let fd = fds[0]
            let finished = done
            let counter = counted
            reader = Thread {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(fd, &buffer, buffer.count)
                    if n <= 0 { break }
                    for byte in buffer[0 ..< n] where byte == 0x0A { counter.value += 1 }
                }
                finished.signal()
            }
            reader.start()
        }

        /// Lines read by the reader thread (read after it signalled `done`).
        private final class Counter: @unchecked Sendable { var value = 0 }
        private let counted = Counter()

        /// Waits for the end; returns its CPU seconds (user + system) and the lines it printed.
        func wait() -> (cpu: Double, lines: Int) {
            var status: Int32 = 0
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            done.wait()
            close(readEnd)
            let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            return (cpu, counted.value)
        }
    }
}
