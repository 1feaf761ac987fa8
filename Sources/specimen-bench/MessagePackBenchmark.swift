import Foundation
import MessagePack

/// Benchmark area `msgpack`: encoding and decoding a typical run manifest (about 1 KB), as a
/// value tree and through Codable, beside Python msgpack's C extension (`packb`/`unpackb`)
/// timed on exactly the same bytes by `benchmarks/peers/msgpack_peer.py`.
///
/// Figures are µs per operation, including the release of what decoding built (as Python's
/// timing includes freeing its objects). Decoding builds a validated view whose strs become
/// `String`s when read; "decode + read every value" also reads every key and value once, making
/// every `String`, which is what `unpackb` does up front; "decode + read 5 fields" reads what a
/// run listing shows. Each side runs three times, alternately, and keeps its
/// best median, so a burst of load on a shared machine does not favour either side.
enum MessagePackBenchmark {
    static func run() throws {
        let manifest = makeManifest()
        let bytes = manifest.encoded()
        let record = try MessagePackDecoder().decode(ManifestRecord.self, from: bytes)
        // The Codable struct writes the very same bytes, so all figures are about one document.
        guard try MessagePackEncoder().encode(record) == bytes, try MessagePackValue(decoding: bytes) == manifest else {
            throw BenchmarkFailure(description: "the Codable manifest does not encode to the value tree's bytes")
        }

        // The machine may be busy: measure ours and the peer in turns, several rounds, and keep
        // each side's best round (each round is already a median of repetitions).
        let iterations = 20_000
        let encoder = MessagePackEncoder(), decoder = MessagePackDecoder()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-\(getpid()).msgpack")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var encode = Double.infinity, decode = Double.infinity, decodeAndRead = Double.infinity, decodeAndReadFew = Double.infinity
        var codableEncode = Double.infinity, codableDecode = Double.infinity
        var peer: [String: Double] = [:]
        for _ in 0 ..< 3 {
            encode = min(encode, Harness.measure(iterations: iterations) { consume(manifest.encoded()) })
            decode = min(decode, try Harness.measure(iterations: iterations) { consume(try MessagePackValue(decoding: bytes)) })
            decodeAndReadFew = min(decodeAndReadFew, try Harness.measure(iterations: iterations) {
                consume(readFewFields(try MessagePackValue(decoding: bytes)))
            })
            decodeAndRead = min(decodeAndRead, try Harness.measure(iterations: iterations) {
                consume(readEveryValue(try MessagePackValue(decoding: bytes)))
            })
            codableEncode = min(codableEncode, try Harness.measure(iterations: iterations / 4) { consume(try encoder.encode(record) as [UInt8]) })
            codableDecode = min(codableDecode, try Harness.measure(iterations: iterations / 4) {
                consume(try decoder.decode(ManifestRecord.self, from: bytes))
            })
            for line in (Harness.runPeer("msgpack_peer.py", [file.path]) ?? "").split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let microseconds = Double(parts[1]) {
                    peer[String(parts[0])] = min(peer[String(parts[0])] ?? .infinity, microseconds / 1e6)
                }
            }
        }

        print("manifest: \(bytes.count) bytes")
        Harness.report("encode (value tree → bytes)", ours: encode, peer: peer["pack"], peerName: "packb")
        Harness.report("decode (bytes → value tree)", ours: decode, peer: peer["unpack"], peerName: "unpackb")
        Harness.report("decode + read 5 fields", ours: decodeAndReadFew, peer: peer["unpack"], peerName: "unpackb")
        Harness.report("decode + read every value", ours: decodeAndRead, peer: peer["unpack"], peerName: "unpackb")
        Harness.report("Codable encode (struct → bytes)", ours: codableEncode, peer: peer["pack"], peerName: "packb")
        Harness.report("Codable decode (bytes → struct)", ours: codableDecode, peer: peer["unpack"], peerName: "unpackb")
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads every key and value of `value` once (so every str becomes a `String`); returns a
    /// count that depends on all of them.
    static func readEveryValue(_ value: MessagePackValue) -> Int {
        switch value {
        case .array(let elements): return elements.reduce(1) { $0 &+ readEveryValue($1) }
        case .map(let pairs): return pairs.reduce(1) { $0 &+ readEveryValue($1.key) &+ readEveryValue($1.value) }
        case .string(let text): return text.utf8.count
        default: return 1
        }
    }

    /// Reads what a run listing shows: status, run ID, exit code, row count and one param.
    static func readFewFields(_ manifest: MessagePackValue) -> Int {
        (manifest["status"]?.stringValue?.utf8.count ?? 0) &+ (manifest["run_id"]?.stringValue?.utf8.count ?? 0)
            &+ Int(manifest["exit_code"]?.intValue ?? 0) &+ Int(manifest["metrics"]?["rows"]?.intValue ?? 0)
            &+ Int(manifest["params"]?["lr"]?.doubleValue ?? 0)
    }

    /// Keeps a result alive so the optimizer cannot drop the work that made it.
    @inline(never)
    static func consume<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }

    static let columns = ["accuracy", "grad_norm", "learning_rate", "loss", "step", "throughput", "val_accuracy", "val_loss"]

    /// A run manifest as Specimen writes it: nested maps of strings, floats and ints, a list of
    /// tags, file digests. Dictionary-like maps have sorted keys, as the Codable encoder writes them.
    static func makeManifest() -> MessagePackValue {
        var summary: [(key: MessagePackValue, value: MessagePackValue)] = []
        for (index, name) in columns.enumerated() {
            let integral = name == "step"
            let base = Double(index + 1) * 0.123_456_789
            summary.append((.string(name), integral
                ? ["last": 1199.0, "min": 0.0, "max": 1199.0, "count": 1200]
                : ["last": .float64(base), "min": .float64(base / 7), "max": .float64(base * 3.5), "count": 1200]))
        }
        return [
            "format": "specimen.run/1",
            "run_id": "20251222_194653",
            "run_timestamp": "2025-12-22T19:46:53Z",
            "specimen": "mnist-baseline",
            "status": "completed",
            "started_at": "2025-12-22T19:46:53.120000Z",
            "ended_at": "2025-12-22T19:52:10.874512Z",
            "exit_code": 0,
            "command": ["python", "train.py", "--epochs", "10"],
            "params": ["augment": true, "batch_size": 128, "dropout": 0.25, "lr": 0.001, "optimizer": "adam", "seed": 42],
            "host": ["hostname": "gpu-node-07", "os": "Linux 6.8.0", "arch": "x86_64", "cpus": 32],
            "git": ["commit": "3f9c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f", "branch": "main", "dirty": false],
            "metrics": ["rows": 1200, "summary": .map(summary)],
            "files": [
                "metrics.parquet": ["size": 48213, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
                "model.pt": ["size": 4_718_592, "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"],
            ],
            "tags": ["baseline", "cpu", "nightly"],
        ]
    }

    /// The same manifest as a Codable struct.
    struct ManifestRecord: Codable {
        struct Params: Codable {
            var augment: Bool, batchSize: Int, dropout: Double, lr: Double, optimizer: String, seed: Int
            enum CodingKeys: String, CodingKey { case augment, batchSize = "batch_size", dropout, lr, optimizer, seed }
        }
        struct Host: Codable { var hostname: String, os: String, arch: String, cpus: Int }
        struct Git: Codable { var commit: String, branch: String, dirty: Bool }
        struct Summary: Codable { var last: Double, min: Double, max: Double, count: Int }
        struct Metrics: Codable { var rows: Int, summary: [String: Summary] }
        struct FileEntry: Codable { var size: Int, sha256: String }

        var format: String, runID: String, runTimestamp: String, specimen: String, status: String
        var startedAt: String, endedAt: String, exitCode: Int, command: [String]
        var params: Params, host: Host, git: Git, metrics: Metrics, files: [String: FileEntry], tags: [String]

        enum CodingKeys: String, CodingKey {
            case format, runID = "run_id", runTimestamp = "run_timestamp", specimen, status, startedAt = "started_at"
            case endedAt = "ended_at", exitCode = "exit_code", command, params, host, git, metrics, files, tags
        }
    }
}
