#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack
import Specimens

/// The `cli` area: the release `specimen` binary, timed as a whole process (start to exit).
///
/// - `specimen view --all` over 100 specimens of 1,000 sealed runs each, beside a bare Python
///   `os.scandir` of the same 100,000 run folders (timed inside Python, without its start-up);
/// - `specimen view <specimen>` of one specimen with 1,000 runs, beside `os.scandir` of it and
///   beside Python reading its 1,000 manifests with `msgpack` (both timed inside Python);
/// - `specimen --version`, beside `python3 -c pass` (a whole process too).
///
/// One specimen of 1,000 runs (8 rows each) is written with the library, once; the other 99
/// are hard-linked copies (`cp -al`), so the tree costs seconds to build, not minutes.
enum CLIBenchmark {
    static func run() throws {
        let binary = FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        let chosen = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? binary
        guard FileManager.default.isExecutableFile(atPath: chosen) else {
            FileHandle.standardError.write(Data("cli: \(chosen) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let root = NSTemporaryDirectory() + "specimen-bench-cli"
        try generate(root, specimens: 100, runs: 1000)
        let one = root + "/s000"

        let all = try Harness.measure(repetitions: 7) { try spawn(chosen, ["view", "--all", "--root", root]) }
        let scanAll = Harness.runPeer("cli_scandir_peer.py", [root]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        Harness.report("view --all 100×1000 runs (process)", ours: all, peer: scanAll, peerName: "py scandir", unit: .milliseconds)

        let view = try Harness.measure(repetitions: 7) { try spawn(chosen, ["view", one]) }
        let scanOne = Harness.runPeer("cli_scandir_peer.py", [root, "--one", "s000"]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        Harness.report("view <specimen> 1000 runs vs names", ours: view, peer: scanOne, peerName: "py scandir", unit: .milliseconds)

        let readOne = Harness.runPeer("cli_scandir_peer.py", [root, "--manifests", "s000"]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        Harness.report("view <specimen> 1000 runs (process)", ours: view, peer: readOne, peerName: "py msgpack", unit: .milliseconds)

        let json = try Harness.measure(repetitions: 7) { try spawn(chosen, ["view", one, "--json"]) }
        Harness.report("view <specimen> --json (process)", ours: json, peer: readOne, peerName: "py msgpack", unit: .milliseconds)

        let version = try Harness.measure(repetitions: 11) { try spawn(chosen, ["--version"]) }
        let pythonStart = try? Harness.measure(repetitions: 11) { try spawn(Harness.python, ["-c", "pass"]) }
        Harness.report("--version (process)", ours: version, peer: pythonStart, peerName: "python -c pass", unit: .milliseconds)
    }

    /// Runs `executable arguments…` with output to /dev/null and waits; throws on failure.
    static func spawn(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard started == 0 else { throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: "\(executable): \(String(cString: strerror(started)))"]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw CocoaError(.executableRuntimeMismatch, userInfo: [NSDebugDescriptionErrorKey: "\(executable) \(arguments) exited with \(status)"]) }
    }

    /// `specimens` specimens `s000`… of `runs` sealed runs each; a `.complete` file marks a finished tree.
    static func generate(_ root: String, specimens: Int, runs: Int) throws {
        let done = root + "/.complete-\(specimens)x\(runs)"
        if FileManager.default.fileExists(atPath: done) { return }
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        FileHandle.standardError.write(Data("cli: generating \(specimens) specimens × \(runs) runs in \(root) (once)…\n".utf8))
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        options.flushInterval = 60
        let first = root + "/s000"
        for run in 0 ..< runs {
            options.runID = try RunID(StoreBenchmark.runID(seconds: 1_700_000_000 + Int64(run) * 60))
            let storage = try SpecimenStorage(at: first, params: .map([("run", .int(Int64(run))), ("lr", .float64(0.001 * Double(run % 7 + 1)))]), options: options)
            var x = Double(run % 13) / 13
            for _ in 0 ..< 8 {
                x = x * 0.9 + 0.1
                try storage.log(["loss": .double(1 - x), "accuracy": .double(x)])
            }
            let failed = run % 50 == 49
            try storage.finish(status: failed ? RunStatus.failed : RunStatus.completed, exitCode: failed ? 1 : 0)
        }
        for index in 1 ..< specimens {
            let copy = Process()
            copy.executableURL = URL(fileURLWithPath: "/bin/cp")
            copy.arguments = ["-al", first, root + "/" + String(format: "s%03d", index)]
            try copy.run()
            copy.waitUntilExit()
        }
        _ = FileManager.default.createFile(atPath: done, contents: nil)
    }
}
