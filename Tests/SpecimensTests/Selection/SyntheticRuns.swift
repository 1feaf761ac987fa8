import Foundation
import InteropSupport
import MessagePack
@testable import Specimens

/// Sealed runs written straight as manifests (no metrics file): enough for queries, which read
/// manifests only, and quick enough for hundreds of runs per test.
enum SyntheticRuns {
    /// The run ID of the `index`-th run: one a minute from 2026-11-01.
    static func id(_ index: Int) -> String {
        let seconds = 1_793_491_200 + Int64(index) * 60
        return RunID(seconds: seconds, index: 0).rawValue
    }

    /// Writes `runs/<id>/manifest.msgpack` with `fields` merged over the required keys.
    static func write(_ specimen: String, id: String, status: String = "completed", started: Int64, ended: Int64,
                      params: MessagePackValue = .map([]), extra: [(String, MessagePackValue)] = []) throws {
        let folder = specimen + "/runs/" + id
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [
            ("format", "specimen.run/1"), ("run_id", .string(id)), ("run_timestamp", .string(Timestamps.iso(microseconds: started))),
            ("specimen", .string((specimen as NSString).lastPathComponent)), ("status", .string(status)),
            ("started_at", .string(Timestamps.iso(microseconds: started))), ("ended_at", .string(Timestamps.iso(microseconds: ended))),
            ("params", params), ("files", .map([])),
        ]
        for (key, value) in extra {
            if let index = pairs.firstIndex(where: { $0.key == .string(key) }) { pairs[index].value = value } else { pairs.append((.string(key), value)) }
        }
        if !pairs.contains(where: { $0.key == "metrics" }) {
            pairs.append(("metrics", ["rows": 0, "columns": .array([]), "summary": .map([])]))
        }
        try Data(MessagePackValue.map(pairs).encoded()).write(to: URL(fileURLWithPath: folder + "/manifest.msgpack"))
    }

    /// A specimen of `count` random sealed runs: params of every MessagePack type, nested maps,
    /// missing keys, NaN metrics, every status, tags, notes, hosts, git. Returns its folder.
    static func randomSpecimen(in root: String, name: String, count: Int, seed: UInt64) throws -> String {
        var g = SeededGenerator(seed: seed)
        let specimen = root + "/" + name
        try FileManager.default.createDirectory(atPath: specimen + "/runs", withIntermediateDirectories: true)
        for index in 0 ..< count {
            let started = 1_793_491_200_000_000 + Int64(index) * 60_000_000 + Int64.random(in: 0 ..< 1_000_000, using: &g)
            let ended = started + Int64.random(in: 0 ..< 600_000_000, using: &g)
            var extra: [(String, MessagePackValue)] = []
            if Bool.random(using: &g) { extra.append(("exit_code", .int(Int64.random(in: 0 ... 2, using: &g)))) }
            if Bool.random(using: &g) { extra.append(("host", ["hostname": .string(["alpha", "beta", "gamma"].randomElement(using: &g)!), "cpus": 8])) }
            if Int.random(in: 0 ..< 3, using: &g) > 0 {
                extra.append(("git", ["commit": .string(["a1b2c3", "d4e5f6"].randomElement(using: &g)!), "dirty": .bool(Bool.random(using: &g))]))
            }
            if Bool.random(using: &g) {
                extra.append(("tags", .array((0 ..< Int.random(in: 0 ... 3, using: &g)).map { _ in .string(tagWords.randomElement(using: &g)!) })))
            }
            if Int.random(in: 0 ..< 3, using: &g) == 0 { extra.append(("notes", .string(noteWords.shuffled(using: &g).prefix(3).joined(separator: " ")))) }
            var summary: [(key: MessagePackValue, value: MessagePackValue)] = []
            for metric in ["loss", "acc"] where Int.random(in: 0 ..< 5, using: &g) > 0 {
                func number() -> MessagePackValue {
                    Int.random(in: 0 ..< 12, using: &g) == 0 ? .float64(.nan) : .float64(Double(Int.random(in: 0 ..< 20, using: &g)) / 8)
                }
                let last = Int.random(in: 0 ..< 10, using: &g) == 0 ? MessagePackValue.nil : number()
                summary.append((.string(metric), ["last": last, "min": number(), "max": number(), "count": .int(Int64.random(in: 0 ... 5, using: &g))]))
            }
            extra.append(("metrics", ["rows": .int(Int64.random(in: 0 ... 30, using: &g)), "columns": .array([]), "summary": .map(summary)]))
            let status = RunStatus.allCases.randomElement(using: &g)!.rawValue
            try write(specimen, id: id(index), status: status, started: started, ended: ended, params: randomParams(&g), extra: extra)
        }
        return specimen
    }

    static let tagWords = ["baseline", "sweep", "ablation", "final"]
    static let noteWords = ["tried", "a", "larger", "batch", "baseline", "größer", "✓"]
    static let paramKeys = ["lr", "layers", "dropout", "name", "flag", "opt", "model.name", "blob", "seed", "when", "list", "big", "f32", "ext"]

    /// A params map: each key present or not; values of every MessagePack type.
    static func randomParams(_ g: inout SeededGenerator) -> MessagePackValue {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
        for key in paramKeys where Int.random(in: 0 ..< 4, using: &g) > 0 {
            pairs.append((.string(key), randomValue(key, &g)))
        }
        return .map(pairs)
    }

    static func randomValue(_ key: String, _ g: inout SeededGenerator) -> MessagePackValue {
        if Int.random(in: 0 ..< 15, using: &g) == 0 { return .nil }
        switch key {
        case "lr": return .float64([1e-4, 1e-3, 1e-2, 0.1].randomElement(using: &g)!)
        case "layers": return Int.random(in: 0 ..< 4, using: &g) == 0 ? .float64(Double(Int.random(in: 1 ... 4, using: &g))) : .int(Int64.random(in: 1 ... 4, using: &g))
        case "dropout": return Int.random(in: 0 ..< 6, using: &g) == 0 ? .float64(.nan) : .float64(Double(Int.random(in: 0 ... 5, using: &g)) / 10)
        case "name", "model.name": return Int.random(in: 0 ..< 6, using: &g) == 0 ? .int(3) : .string(["resnet", "vit", "mlp", "1", "Resnet"].randomElement(using: &g)!)
        case "flag": return .bool(Bool.random(using: &g))
        case "opt":
            var inner: [(key: MessagePackValue, value: MessagePackValue)] = []
            if Bool.random(using: &g) { inner.append(("name", .string(["sgd", "adam"].randomElement(using: &g)!))) }
            if Bool.random(using: &g) { inner.append(("lr", .float64([1e-3, 1e-2].randomElement(using: &g)!))) }
            if Bool.random(using: &g) { inner.append(("betas", .map([("b1", .float64(0.9))]))) }
            return Int.random(in: 0 ..< 8, using: &g) == 0 ? .string("adam") : .map(inner)
        case "blob": return .binary([1, 2, UInt8.random(in: 0 ... 3, using: &g)])
        case "seed": return Bool.random(using: &g) ? .uint(UInt64.random(in: 0 ... 3, using: &g)) : .int(Int64.random(in: -3 ... 3, using: &g))
        case "when": return .timestamp(MessagePackTimestamp(seconds: 1_793_491_200 + Int64.random(in: -2 ... 2, using: &g) * 86_400))
        case "list": return .array([.int(Int64.random(in: 0 ... 3, using: &g)), .string("x")])
        case "big": return .uint(UInt64.max - UInt64.random(in: 0 ... 1, using: &g))
        case "f32": return .float32(Float([0.5, 0.1, 2].randomElement(using: &g)!))
        default: return .ext(type: 5, data: [UInt8.random(in: 0 ... 1, using: &g)])
        }
    }
}
