#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack

/// The `runs` area: `specimen runs <specimen> --where … --json` over 100,000 sealed runs, timed
/// as a whole process (the release binary, start to exit):
///
/// - warm: the catalog (`<specimen>/.catalog/`) exists; the target is at most 100 ms;
/// - warm, `runs/` just changed: a folder is made and removed in `runs/` before each query, so
///   the catalog's recorded listing is stale and `runs/` is read (a sweep still adding runs);
/// - cold: the catalog is deleted before each run, so every manifest is read (and the catalog
///   written again);
/// - beside Python reading the 100,000 manifests with `msgpack` and applying the same
///   condition (timed inside Python, without its start-up), which cold must not be slower than.
///
/// The runs are written directly as sealed-run folders holding a realistic manifest (as
/// `SpecimenStorage` writes one: params, metric summaries, files, host, git); no metrics file,
/// which queries never read. Built once, kept in the temporary folder.
enum RunsBenchmark {
    static let count = 100_000
    static let expression = "params.lr < 0.002 and status == 'completed' and metrics.loss.last < 0.2"

    static func run() throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("runs: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let root = NSTemporaryDirectory() + "specimen-bench-runs"
        let specimen = root + "/sweep"
        try generate(specimen)
        let arguments = ["runs", specimen, "--where", expression, "--sort", "metrics.loss.last", "--json"]
        let catalog = specimen + "/.catalog"

        var cold: [Double] = []
        for _ in 0 ..< 3 {
            try? FileManager.default.removeItem(atPath: catalog)
            cold.append(try time { try CLIBenchmark.spawn(binary, arguments) })
        }
        cold.sort()
        let warm = try Harness.measure(repetitions: 9) { try CLIBenchmark.spawn(binary, arguments) }
        let best = try Harness.measure(repetitions: 9) { try CLIBenchmark.spawn(binary, arguments + ["--limit", "10"]) }
        let touch = specimen + "/runs/.bench-touch"
        let changed = try Harness.measure(repetitions: 9) {
            mkdir(touch, 0o755)
            rmdir(touch)
            try CLIBenchmark.spawn(binary, arguments)
        }
        let python = Harness.runPeer("runs_manifest_peer.py", [specimen]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        print("100,000 sealed runs; --where \(expression) --sort metrics.loss.last --json")
        Harness.report("runs --where warm (process)", ours: warm, peer: python, peerName: "py msgpack loop", unit: .milliseconds)
        Harness.report("runs --where --limit 10 warm", ours: best, peer: python, peerName: "py msgpack loop", unit: .milliseconds)
        Harness.report("runs --where warm, runs/ changed", ours: changed, peer: python, peerName: "py msgpack loop", unit: .milliseconds)
        Harness.report("runs --where cold, no catalog", ours: cold[cold.count / 2], peer: python, peerName: "py msgpack loop", unit: .milliseconds)
        let version = try Harness.measure(repetitions: 9) { try CLIBenchmark.spawn(binary, ["--version"]) }
        Harness.report("  (specimen --version, for scale)", ours: version, peer: nil, peerName: "-", unit: .milliseconds)
        print(String(format: "warm target 100 ms: %@ (%.1f ms; %.1f ms with --limit 10); the selection has ~6,900 runs", warm <= 0.1 ? "met" : "NOT met", warm * 1e3, best * 1e3))
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// `count` sealed runs, one a minute from 2026-01-01; a `.complete` file marks a finished tree.
    static func generate(_ specimen: String) throws {
        let done = specimen + "/../.complete-\(count)"
        if FileManager.default.fileExists(atPath: done) { return }
        try? FileManager.default.removeItem(atPath: specimen)
        try FileManager.default.createDirectory(atPath: specimen + "/runs", withIntermediateDirectories: true)
        FileHandle.standardError.write(Data("runs: writing \(count) sealed runs to \(specimen) (once)…\n".utf8))
        var state: UInt64 = 0x5eed_0013
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let statuses = ["completed", "completed", "completed", "completed", "failed", "interrupted", "crashed"]
        for index in 0 ..< count {
            let seconds = 1_767_225_600 + Int64(index) * 60
            let id = StoreBenchmark.runID(seconds: seconds)
            let started = MessagePackTimestamp(seconds: seconds).iso8601.dropLast() + ".125000Z"
            let ended = MessagePackTimestamp(seconds: seconds + 30 + Int64(random() * 600)).iso8601.dropLast() + ".500000Z"
            let loss = random()
            func summary(_ last: Double) -> MessagePackValue {
                ["last": .float64(last), "min": .float64(last * 0.9), "max": .float64(last * 3 + 1), "count": 200]
            }
            let manifest: MessagePackValue = [
                "format": "specimen.run/1", "run_id": .string(id), "run_timestamp": .string(MessagePackTimestamp(seconds: seconds).iso8601),
                "specimen": "sweep", "status": .string(statuses[index % statuses.count]),
                "started_at": .string(String(started)), "ended_at": .string(String(ended)),
                "params": [
                    "lr": .float64([1e-4, 3e-4, 1e-3, 3e-3, 1e-2][index % 5]), "batch_size": .int(Int64(32 << (index % 4))),
                    "layers": .int(Int64(index % 7 + 1)), "dropout": .float64(Double(index % 6) / 10),
                    "optimizer": ["name": .string(index % 3 == 0 ? "sgd" : "adam"), "momentum": 0.9],
                    "model": .string(["resnet18", "resnet50", "vit-b"][index % 3]), "seed": .int(Int64(index)),
                ],
                "metrics": [
                    "rows": 200,
                    "columns": [["name": "run_id", "type": "string"], ["name": "step", "type": "int64"],
                                ["name": "time", "type": "timestamp"], ["name": "loss", "type": "double"], ["name": "accuracy", "type": "double"]],
                    "summary": ["step": summary(199), "loss": summary(loss), "accuracy": summary(1 - loss)],
                ],
                "files": ["metrics.parquet": ["size": 9120, "sha256": .string(String(repeating: "ab", count: 32))]],
                "command": ["python", "train.py"], "exit_code": .int(index % 7 == 4 ? 1 : 0),
                "host": ["hostname": "gpu-07", "os": "linux", "arch": "x86_64", "cpus": 32],
                "git": ["commit": "4f2a9c1e5b7d", "branch": "main", "dirty": false],
                "runtime": ["swift": "6.2", "specimen": "0.1.0"],
                "tags": index % 10 == 0 ? ["baseline"] : [],
            ]
            let folder = specimen + "/runs/" + id
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { throw CocoaError(.fileWriteUnknown) }
            let bytes = manifest.encoded()
            let fd = open(folder + "/manifest.msgpack", O_WRONLY | O_CREAT | O_TRUNC, 0o444)
            guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        _ = FileManager.default.createFile(atPath: done, contents: nil)
    }
}
