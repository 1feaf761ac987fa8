#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MessagePack
import Parquet
import SpecimenS3
import Specimens

/// The `s3` area: reading and writing specimens in S3, against the S3 server the tests use
/// (`Tests/InteropScripts/s3_server.py`: moto with signature checks, behind the proxy that
/// serializes writes), every figure beside its peer on the same server in the same run:
///
/// - listing 10,000 runs: `listRuns()` (ListObjectsV2 with delimiter `/`, paginated) beside
///   boto3's paginated `list_objects_v2` of the same prefix (with the same delimiter, and
///   without: every object), both timed in-process; goal within 1.5×. Also
///   `specimen runs <s3 specimen> --json` as a whole process (what users feel: it lists, then
///   reads every run's manifest), with an empty cache, a warm cache, and `--no-cache`;
/// - `readAllRuns()` of 1,000 runs × 10,000 rows (the `store` area's runs, ~310 MB of Parquet)
///   beside polars' `scan_parquet("s3://…/runs/*/metrics.parquet").collect()` in a fresh
///   interpreter; ours as the first call in this process with no cache (every file fetched),
///   then with a warm cache; goal faster than polars. The CPU seconds of the server's process
///   and of the reader during each read are printed too: the server (one Python process) is
///   the bottleneck, and whichever reader keeps it busier finishes first;
/// - logging 1,000,000 rows of 8 doubles into an S3 run and into a local run, with a 50 ms
///   flush interval (so uploads happen while logging): the logging thread's CPU and wall time
///   per value; goal the same.
///
/// The data sets are put straight into moto's backend (`/__harness/load`), not uploaded with
/// signed PUTs: loading is not what is measured. About 3 minutes in all. For experiments,
/// `BENCH_S3_READ_PARALLELISM` sets the GETs in flight (default 16) and `BENCH_S3_FLUSH` the
/// logging part's flush interval in seconds.
enum S3Benchmark {
    static let listCount = 10_000

    static func run() throws {
        let server = try BenchS3Server()
        defer { server.stop() }
        let bucket = "bench-\(getpid())"
        try server.control("bucket?name=\(bucket)")
        setenv("AWS_ACCESS_KEY_ID", server.accessKeyID, 1)
        setenv("AWS_SECRET_ACCESS_KEY", server.secret, 1)
        setenv("AWS_REGION", "us-east-1", 1)
        setenv("AWS_ENDPOINT_URL", server.endpoint, 1)
        unsetenv("AWS_PROFILE")
        let scratch = NSTemporaryDirectory() + "specimen-bench-s3-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        // `--s3-parts=listing,readall,logging` runs some parts only (all by default).
        let chosen = CommandLine.arguments.first { $0.hasPrefix("--s3-parts=") }.map { $0.dropFirst("--s3-parts=".count).split(separator: ",").map(String.init) }
        if chosen?.contains("listing") ?? true { try listing(server, bucket: bucket, scratch: scratch) }
        if chosen?.contains("readall") ?? true { try readAll(server, bucket: bucket, scratch: scratch) }
        if chosen?.contains("logging") ?? true { try logging(bucket: bucket, scratch: scratch) }
    }

    static func progress(_ text: String) {
        fflush(nil)   // the figures so far, even into a pipe
        FileHandle.standardError.write(Data("s3: \(text)\n".utf8))
    }

    static func storage(_ bucket: String, cache: String?) throws -> S3Storage {
        let base = try S3Storage.fromEnvironment("s3://\(bucket)", caching: false)
        var client = base.client
        if let text = ProcessInfo.processInfo.environment["BENCH_S3_READ_PARALLELISM"], let parallelism = Int(text) {
            var configuration = base.client.configuration
            configuration.options.readParallelism = parallelism
            client = try S3Client(bucket: bucket, configuration: configuration)
        }
        return try S3Storage(client: client, root: base.root, cache: cache.map(SealedFileCache.init(folder:)))
    }

    // MARK: Listing

    static func listing(_ server: BenchS3Server, bucket: String, scratch: String) throws {
        let local = scratch + "/list/sweep"
        progress("writing \(listCount) sealed runs' manifests and loading them into the server…")
        try writeManifests(local, count: listCount)
        try server.control("load?bucket=\(bucket)&prefix=list/sweep/&folder=\(local)")
        try? FileManager.default.removeItem(atPath: scratch + "/list")

        let specimen = try Specimen(at: "s3://\(bucket)/list/sweep", storage: storage(bucket, cache: nil))
        var count = 0
        progress("timing listRuns and boto3…")
        let ours = try Harness.measure(repetitions: 3) { count = try specimen.listRuns().count }
        guard count == listCount else { throw BenchFailure("listRuns found \(count) runs, not \(listCount)") }
        var peers: [String: Double] = [:]
        if let output = Harness.runPeer("s3_peer.py", ["list", server.endpoint, server.accessKeyID, server.secret, bucket, "list/sweep/runs/"]) {
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let seconds = Double(parts[1]) { peers[String(parts[0])] = seconds }
            }
        }
        print("\(listCount) runs in s3://\(bucket)/list/sweep (3 objects each); in-process, median of 3 (boto3: of 5)")
        Harness.report("listRuns (delimiter, paginated)", ours: ours, peer: peers["boto3-delimiter"], peerName: "boto3 same", unit: .milliseconds)
        Harness.report("listRuns vs every object", ours: ours, peer: peers["boto3-all"], peerName: "boto3 all", unit: .milliseconds)
        if let peer = peers["boto3-delimiter"] {
            print(String(format: "goal within 1.5× of boto3's listing: %@ (%.2f× its time)", ours <= 1.5 * peer ? "met" : "NOT met", ours / peer))
        }

        // `specimen runs --json`, the whole process: an empty cache, then a warm one, then --no-cache.
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            progress("\(binary) not found; build it with `swift build -c release --product specimen --product specimen-s3` (or set SPECIMEN_BIN)")
            return
        }
        let cache = scratch + "/cache"
        setenv("SPECIMEN_CACHE", cache, 1)
        let arguments = ["runs", "s3://\(bucket)/list/sweep", "--json"]
        progress("timing `specimen runs --json` (cold cache, warm cache, --no-cache)…")
        try? FileManager.default.removeItem(atPath: cache)
        let cold = try RunsBenchmark.time { try CLIBenchmark.spawn(binary, arguments) }
        let warm = try Harness.measure(repetitions: 3) { try CLIBenchmark.spawn(binary, arguments) }
        let uncached = try RunsBenchmark.time { try CLIBenchmark.spawn(binary, arguments + ["--no-cache"]) }
        unsetenv("SPECIMEN_CACHE")
        Harness.report("specimen runs --json, warm cache", ours: warm, peer: peers["boto3-all"], peerName: "boto3 all", unit: .milliseconds)
        Harness.report("specimen runs --json, empty cache", ours: cold, peer: peers["boto3-all"], peerName: "boto3 all", unit: .milliseconds)
        Harness.report("specimen runs --json, --no-cache", ours: uncached, peer: peers["boto3-all"], peerName: "boto3 all", unit: .milliseconds)
        print("  (`runs` lists the runs, then reads all \(listCount) manifests: 16 parallel GETs, or the local cache)")
    }

    /// `count` sealed runs' manifests (and `.claim` markers) in `specimen/runs/`, as the `runs`
    /// area writes them.
    static func writeManifests(_ specimen: String, count: Int) throws {
        try? FileManager.default.removeItem(atPath: specimen)
        try FileManager.default.createDirectory(atPath: specimen + "/runs", withIntermediateDirectories: true)
        for index in 0 ..< count {
            let seconds = 1_767_225_600 + Int64(index) * 60
            let id = StoreBenchmark.runID(seconds: seconds)
            let manifest: MessagePackValue = [
                "format": "specimen.run/1", "run_id": .string(id), "run_timestamp": .string(MessagePackTimestamp(seconds: seconds).iso8601),
                "specimen": "sweep", "status": "completed",
                "started_at": .string(MessagePackTimestamp(seconds: seconds).iso8601), "ended_at": .string(MessagePackTimestamp(seconds: seconds + 60).iso8601),
                "params": ["lr": .float64([1e-4, 3e-4, 1e-3][index % 3]), "seed": .int(Int64(index)), "model": "resnet18"],
                "metrics": [
                    "rows": 200,
                    "columns": [["name": "run_id", "type": "string"], ["name": "step", "type": "int64"], ["name": "loss", "type": "double"]],
                    "summary": ["loss": ["last": .float64(Double(index % 97) / 97), "min": 0.01, "max": 3.0, "count": 200]],
                ],
                "files": ["metrics.parquet": ["size": 9120, "sha256": .string(String(repeating: "ab", count: 32))]],
                "host": ["hostname": "gpu-07", "os": "linux", "arch": "x86_64", "cpus": 32],
                "tags": [],
            ]
            let folder = specimen + "/runs/" + id
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            _ = FileManager.default.createFile(atPath: folder + "/manifest.msgpack", contents: Data(manifest.encoded()))
            _ = FileManager.default.createFile(atPath: folder + "/.claim", contents: Data("claimed by bench\n".utf8))
        }
    }

    // MARK: Reading every run

    static func readAll(_ server: BenchS3Server, bucket: String, scratch: String) throws {
        let runs = 1_000, rows = 10_000
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-store").path + "/readall"
        try StoreBenchmark.generateRuns(local, runs: runs, rows: rows)   // the `store` area's runs, kept between runs
        progress("loading \(runs) runs × \(rows) rows into the server…")
        try server.control("load?bucket=\(bucket)&prefix=readall/sweep/&folder=\(local)")
        let expected = runs * rows
        let address = "s3://\(bucket)/readall/sweep"

        progress("timing readAllRuns and polars…")
        // CPU seconds of the server and of the client for each timed read, kept with the best read.
        var cpu: [String: (server: Double, client: Double, seconds: Double)] = [:]
        func keep(_ name: String, seconds: Double, server: Double, client: Double) {
            if seconds < cpu[name]?.seconds ?? .infinity { cpu[name] = (server, client, seconds) }
        }
        func read(_ storage: S3Storage, _ name: String) throws -> Double {
            let specimen = try Specimen(at: address, storage: storage)
            var count = 0
            let serverCPU = server.cpuSeconds(), client = StoreBenchmark.processCPUTime()
            let seconds = try RunsBenchmark.time { count = try specimen.readAllRuns().rowCount }
            keep(name, seconds: seconds, server: server.cpuSeconds(since: serverCPU), client: StoreBenchmark.processCPUTime() - client)
            guard count == expected else { throw BenchFailure("readAllRuns read \(count) rows, not \(expected)") }
            return seconds
        }
        var uncached: [Double] = [], polars: [Double] = []
        let cache = scratch + "/readall-cache"
        var cold: [Double] = [], warm: [Double] = []
        for repetition in 0 ..< 2 {
            progress("readAllRuns round \(repetition + 1) of 2…")
            uncached.append(try read(try storage(bucket, cache: nil), "no cache"))
            let serverBefore = server.cpuSeconds()
            if let output = Harness.runPeer("s3_peer.py", ["polars", server.endpoint, server.accessKeyID, server.secret,
                                                           "\(bucket)/readall/sweep/runs/*/metrics.parquet", String(expected)]) {
                // `polars <seconds> <CPU seconds of the interpreter while reading>`
                let words = output.split(whereSeparator: \.isWhitespace)
                if words.count >= 3, let seconds = Double(words[1]), let client = Double(words[2]) {
                    polars.append(seconds)
                    keep("polars", seconds: seconds, server: server.cpuSeconds(since: serverBefore), client: client)
                }
            }
            try? FileManager.default.removeItem(atPath: cache)
            cold.append(try read(try storage(bucket, cache: cache), "filling the cache"))
            warm.append(try read(try storage(bucket, cache: cache), "warm cache"))
            progress(String(format: "round %d: no cache %.0f ms, filling the cache %.0f ms, warm cache %.0f ms, polars %@", repetition + 1,
                            uncached.last! * 1e3, cold.last! * 1e3, warm.last! * 1e3, polars.count > repetition ? String(format: "%.0f ms", polars.last! * 1e3) : "n/a"))
        }
        func median(_ values: [Double]) -> Double? { values.min() }   // best of the rounds: the machine is shared
        let peer = median(polars)
        print("readAllRuns of \(runs) runs × \(rows) rows from S3 (best of 2; polars in a fresh interpreter each time)")
        Harness.report("readAllRuns, no cache", ours: median(uncached)!, peer: peer, peerName: "polars", unit: .milliseconds)
        Harness.report("readAllRuns, filling the cache", ours: median(cold)!, peer: peer, peerName: "polars", unit: .milliseconds)
        Harness.report("readAllRuns, warm cache", ours: median(warm)!, peer: peer, peerName: "polars", unit: .milliseconds)
        print("  CPU seconds during the best read: the S3 server's (moto and the proxy: one Python process), the reader's")
        for name in ["no cache", "filling the cache", "warm cache", "polars"] {
            guard let figures = cpu[name] else { continue }
            print(Harness.pad("  " + name, 34) + String(format: "server %.2f s, %@ %.2f s (wall %.2f s)", figures.server,
                                                         name == "polars" ? "polars" : "ours", figures.client, figures.seconds))
        }
        if let peer {
            print(String(format: "goal faster than polars (no cache): %@", median(uncached)! < peer ? "met" : "NOT met"))
        }
    }

    // MARK: Logging

    static func logging(bucket: String, scratch: String) throws {
        let rows = 1_000_000
        let names = ["loss", "accuracy", "lr", "grad_norm", "val_loss", "val_accuracy", "epoch_time", "throughput"]
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        options.recordExecutable = false
        options.flushInterval = Double(ProcessInfo.processInfo.environment["BENCH_S3_FLUSH"] ?? "") ?? 0.05
        progress("timing logging into an S3 run and a local run…")
        /// (thread CPU, wall) seconds per value of the logging loop, median of 3 after a warm-up.
        func measure(_ open: () throws -> SpecimenStorage) throws -> (cpu: Double, wall: Double) {
            var cpu: [Double] = [], wall: [Double] = []
            for repetition in 0 ..< 4 {
                let storage = try open()
                let startCPU = threadCPUTime(), startWall = DispatchTime.now().uptimeNanoseconds
                var x = 0.5
                for _ in 0 ..< rows {
                    x = x * 0.999 + 0.001
                    try storage.log(names, [x, 1 - x, 0.001, x * 3, x + 0.1, 0.9 - x, 12.5, x * 1000])
                }
                let endCPU = threadCPUTime(), endWall = DispatchTime.now().uptimeNanoseconds
                try storage.finish()
                if repetition > 0 {
                    cpu.append((endCPU - startCPU) / Double(rows * names.count))
                    wall.append(Double(endWall - startWall) / 1e9 / Double(rows * names.count))
                }
            }
            return (cpu.sorted()[cpu.count / 2], wall.sorted()[wall.count / 2])
        }
        let s3 = try storage(bucket, cache: nil)
        let remote = try measure { try SpecimenStorage(at: "s3://\(bucket)/logging/sweep", storage: s3, options: options) }
        let local = try measure { try SpecimenStorage(at: scratch + "/logging/sweep", options: options) }
        print("logging \(rows) rows of 8 doubles, flush every 50 ms (the logging thread; median of 3)")
        Harness.report("log into an S3 run, thread CPU", ours: remote.cpu, peer: local.cpu, peerName: "local run", unit: .nanoseconds)
        Harness.report("log into an S3 run, wall", ours: remote.wall, peer: local.wall, peerName: "local run", unit: .nanoseconds)
    }

    /// CPU seconds used by the calling thread so far.
    static func threadCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A benchmark that could not measure what it meant to.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `Tests/InteropScripts/s3_server.py` (moto behind the tests' proxy), started for the `s3` area
/// and stopped (its standard input closed) when done.
final class BenchS3Server {
    let port: Int
    let accessKeyID: String
    let secret: String
    private let process: Process
    private let input: Pipe

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init() throws {
        let script = FileManager.default.currentDirectoryPath + "/Tests/InteropScripts/s3_server.py"
        guard FileManager.default.fileExists(atPath: script) else { throw BenchFailure("\(script) not found: run specimen-bench from the repository root") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.python)
        process.arguments = [script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(120)
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard process.isRunning, Date() < deadline else {
                    process.terminate()
                    throw BenchFailure("s3_server.py exited or hung before it was ready (is moto[server] in .venv? run scripts/python-env)")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            line += chunk
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count >= 4, words[0] == "READY", let port = Int(words[1]) else {
            process.terminate()
            throw BenchFailure("s3_server.py said \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
        self.accessKeyID = String(words[2])
        self.secret = String(words[3])
        self.process = process
        self.input = input
    }

    /// `POST /__harness/<path>`; throws unless the answer is 200.
    func control(_ path: String) throws {
        var request = URLRequest(url: URL(string: "\(endpoint)/__harness/\(path)")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 600
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: (Data?, URLResponse?, (any Error)?) = (nil, nil, nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            outcome = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        guard let response = outcome.1 as? HTTPURLResponse, response.statusCode == 200 else {
            throw BenchFailure("the S3 server's control call \(path) failed: \(outcome.2.map { "\($0)" } ?? String(decoding: outcome.0 ?? Data(), as: UTF8.self))")
        }
    }

    /// The CPU seconds the server's process has used so far.
    func cpuSeconds() -> Double { FollowBenchmark.processCPU(process.processIdentifier) ?? .nan }

    /// The CPU seconds the server's process has used since `before` (a ``cpuSeconds()``).
    func cpuSeconds(since before: Double) -> Double { cpuSeconds() - before }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
