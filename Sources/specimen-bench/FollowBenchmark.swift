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
///   through `specimen run`'s `SPECIMEN_METRICS`, beside the same script writing a plain file,
///   in alternating rounds: the protocol's own CPU time for its rows (the 5% budget), its wall
///   time, `specimen run`'s own CPU (the follower's), and both whole processes;
///   `SPECIMEN_BASE_BIN`, when set, runs the same rounds through another build (a before).
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

        // FOLLOW_PARTS (e.g. "busy,ingest") runs only the parts named.
        let parts = ProcessInfo.processInfo.environment["FOLLOW_PARTS"].map { Set($0.split(separator: ",").map(String.init)) }
        if parts?.contains("busy") ?? true { try busyFollow(binary, root) }
        if parts?.contains("idle") ?? true { try idleFollow(binary, root) }
        if parts?.contains("ingest") ?? true { try ingestion(binary, root) }
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
        // The protocol reports its loop's CPU time (user + system: the cost it pays itself,
        // whatever else the machine runs), the loop's wall time, and its whole process's CPU
        // (so that `specimen run`'s own share is the rest of what wait4 reports for the tree).
        let script = """
            import json, os, resource, time
            rows = \(rows)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                for i in range(rows):
                    f.write(json.dumps({"step": i, "loss": 1.0 / (i + 1), "accuracy": (i % 100) / 100}) + "\\n")
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            usage = resource.getrusage(resource.RUSAGE_SELF)
            open(os.environ["BENCH_ELAPSED"], "w").write("%r %r %r" % (cpu, wall, usage.ru_utime + usage.ru_stime))

            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: specimen + "/protocol.py"))
        let elapsedFile = root + "/elapsed"
        struct Sample { var cpu: Double; var wall: Double; var protocolProcess: Double; var tree: Double; var whole: Double }
        func sample(_ executable: String, _ arguments: [String], _ environment: [String: String]) throws -> Sample {
            let start = DispatchTime.now().uptimeNanoseconds
            let (tree, _) = try Child(executable, arguments, environment: environment).wait()
            let whole = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let fields = try String(contentsOfFile: elapsedFile, encoding: .utf8).split(separator: " ").compactMap { Double($0) }
            guard fields.count == 3 else { return Sample(cpu: .nan, wall: .nan, protocolProcess: .nan, tree: tree, whole: whole) }
            return Sample(cpu: fields[0], wall: fields[1], protocolProcess: fields[2], tree: tree, whole: whole)
        }
        let plainFile = root + "/plain.jsonl"
        func throughSpecimen() throws -> Sample {
            try sample(binary, ["run", specimen], ["BENCH_ELAPSED": elapsedFile])
        }
        // SPECIMEN_BASE_BIN, when set, runs the same protocol through another build (a before).
        let base = ProcessInfo.processInfo.environment["SPECIMEN_BASE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
        var baseSamples: [Sample] = []
        func plain() throws -> Sample {
            try? FileManager.default.removeItem(atPath: plainFile)
            return try sample("/usr/bin/env", ["python3", specimen + "/protocol.py"], ["BENCH_ELAPSED": elapsedFile, "SPECIMEN_METRICS": plainFile])
        }
        // Alternating, each first in turn, so that both see the same state of a shared machine.
        var through: [Sample] = [], plainSamples: [Sample] = []
        for round in 0 ..< 7 {
            if round % 2 == 0 {
                through.append(try throughSpecimen())
                plainSamples.append(try plain())
                if let base { baseSamples.append(try sample(base, ["run", specimen], ["BENCH_ELAPSED": elapsedFile])) }
            } else {
                if let base { baseSamples.append(try sample(base, ["run", specimen], ["BENCH_ELAPSED": elapsedFile])) }
                plainSamples.append(try plain())
                through.append(try throughSpecimen())
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let cpu = median(through.map(\.cpu)), cpuPlain = median(plainSamples.map(\.cpu))
        // Wall time on a shared machine is the protocol's work plus whatever waited for a
        // core: the fastest round is the one least disturbed by the machine's other load.
        let wall = through.map(\.wall).min() ?? .nan, wallPlain = plainSamples.map(\.wall).min() ?? .nan
        let wallMedian = median(through.map(\.wall)), wallPlainMedian = median(plainSamples.map(\.wall))
        let whole = median(through.map(\.whole)), wholePlain = median(plainSamples.map(\.whole))
        let own = median(through.map { $0.tree - $0.protocolProcess })
        print(Harness.pad("protocol 500k rows, its own CPU", 34) + Harness.pad(String(format: "ours %.3f s", cpu), 22)
              + Harness.pad(String(format: "plain file %.3f s", cpuPlain), 26)
              + String(format: "%+.1f%% (budget +5%%; median of %d alternating rounds)", (cpu / cpuPlain - 1) * 100, through.count))
        print(Harness.pad("protocol 500k rows, its wall time", 34) + Harness.pad(String(format: "ours %.3f s", wall), 22)
              + Harness.pad(String(format: "plain file %.3f s", wallPlain), 26)
              + String(format: "%+.1f%% fastest round (medians %.3f s and %.3f s, %+.1f%%; %.0f rows/s)", (wall / wallPlain - 1) * 100,
                       wallMedian, wallPlainMedian, (wallMedian / wallPlainMedian - 1) * 100, Double(rows) / wall))
        print(Harness.pad("ingestion's CPU in specimen run", 34) + Harness.pad(String(format: "%.3f s", own), 22)
              + Harness.pad(String(format: "%.2f µs/row", own / Double(rows) * 1e6), 26)
              + String(format: "%.0f%% of the protocol's CPU, on another core where there is one (start-up and sealing included)", own / cpu * 100))
        if !baseSamples.isEmpty {
            let baseCPU = median(baseSamples.map(\.cpu)), baseOwn = median(baseSamples.map { $0.tree - $0.protocolProcess })
            print(Harness.pad("  base: protocol's own CPU", 34) + Harness.pad(String(format: "base %.3f s", baseCPU), 22)
                  + Harness.pad(String(format: "plain file %.3f s", cpuPlain), 26) + String(format: "%+.1f%%", (baseCPU / cpuPlain - 1) * 100))
            print(Harness.pad("  base: ingestion's CPU", 34) + Harness.pad(String(format: "%.3f s", baseOwn), 22)
                  + Harness.pad(String(format: "%.2f µs/row", baseOwn / Double(rows) * 1e6), 26)
                  + String(format: "ours %.2f× less", baseOwn / own))
        }
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
