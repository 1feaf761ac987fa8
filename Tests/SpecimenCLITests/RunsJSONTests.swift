import Foundation
import InteropSupport
import MessagePack
import Testing

/// `specimen runs --json` writes a catalogued run straight from its catalog entry, and a run
/// read live from its decoded details: the first query (no catalog yet: every run read live)
/// and the next ones (every run from the catalog) must print the same bytes, whatever the
/// values hold.
@Suite("runs --json from the catalog and from the manifests")
struct RunsJSONTests {
    /// A sealed run's manifest, as the store writes one (no metrics file: queries never read it).
    static func manifest(id: String, status: String, minute: Int, params: MessagePackValue, summary: MessagePackValue,
                         tags: MessagePackValue, notes: MessagePackValue) -> MessagePackValue {
        [
            "format": "specimen.run/1", "run_id": .string(id), "specimen": "odd", "status": .string(status),
            "started_at": .string("2026-03-01T10:\(minute):00.125000Z"), "ended_at": .string("2026-03-01T10:\(minute):42.500000Z"),
            "params": params,
            "metrics": ["rows": 2, "columns": [["name": "step", "type": "int64"]], "summary": summary],
            "exit_code": 0, "host": ["hostname": "h"], "tags": tags, "notes": notes,
        ]
    }

    static func write(_ specimen: String, id: String, _ manifest: MessagePackValue) throws {
        let folder = specimen + "/runs/" + id
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: folder + "/manifest.msgpack"))
    }

    @Test func catalogAndManifestsPrintTheSameBytes() throws {
        let fixture = try SpecimenFixture()
        let path = try fixture.specimen("odd", protocolFile: nil)
        // Everything the direct writer does not handle (binary, timestamps, other extensions,
        // maps with non-string keys, non-ASCII text), beside what it does (escapes, float32,
        // extreme integers, NaN and infinities, integer statistics).
        func map(_ pairs: [(String, MessagePackValue)]) -> MessagePackValue {
            .map(MessagePackMap(pairs.map { (key: MessagePackValue.string($0.0), value: $0.1) }))
        }
        func stats(_ last: MessagePackValue, _ min: MessagePackValue, _ max: MessagePackValue, _ count: MessagePackValue) -> MessagePackValue {
            map([("last", last), ("min", min), ("max", max), ("count", count)])
        }
        let oddKeys: MessagePackValue = .map(MessagePackMap([(key: MessagePackValue.int(1), value: MessagePackValue.string("one"))]))
        let unusual = map([
            ("text", .string("h\u{e9}llo \"q\"\n\t\u{1}")), ("bin", .binary([1, 2, 3])),
            ("at", .timestamp(MessagePackTimestamp(seconds: 1_800_000_000))), ("ext", .ext(type: 5, data: [9, 9])), ("keys", oddKeys),
        ])
        let list: MessagePackValue = .array([.int(1), .string("a"), .nil, .bool(true), .array([.float64(2.5)])])
        let nested = map([("m", map([("x", .float32(.nan))]))])
        let plain = map([
            ("s", .string("a\"b\\c\u{7f}\u{1f}/")), ("f32", .float32(0.1)), ("neg", .int(-5)), ("min", .int(Int64.min)),
            ("big", .uint(UInt64.max)), ("list", list), ("nan", .float64(.nan)), ("inf", .float64(-.infinity)), ("nested", nested),
            ("empty", map([])), ("none", .array([])),
        ])
        let summary = map([
            ("loss", stats(.float64(.nan), .float64(-.infinity), .float64(3), .int(2))),
            ("ints", stats(.int(2), .float32(0.5), .uint(7), .uint(1))),
            ("partial", map([("last", .float64(1.5))])), ("junk", .string("not a map")),
        ])
        let accented = map([("l\u{f6}ss", stats(.float64(1), .float64(1), .float64(1), .int(1)))])
        let tags1: MessagePackValue = .array([.string("\u{e4}"), .string("b\"c")])
        let tags2: MessagePackValue = .array([.string("x"), .int(3), .string("y")])
        let runs: [(String, MessagePackValue)] = [
            ("20260301_100000", Self.manifest(id: "20260301_100000", status: "completed", minute: 10, params: unusual, summary: summary,
                                              tags: tags1, notes: .string("line1\nline2 \u{2713}"))),
            ("20260301_100100", Self.manifest(id: "20260301_100100", status: "failed", minute: 11, params: plain, summary: summary,
                                              tags: tags2, notes: .nil)),
            ("20260301_100100_02", Self.manifest(id: "20260301_100100_02", status: "interrupted", minute: 12, params: map([("lr", .float64(0.001))]),
                                                 summary: accented, tags: .array([]), notes: .string("tab\there"))),
            ("20260301_100200", Self.manifest(id: "20260301_100200", status: "crashed", minute: 13, params: plain, summary: map([]),
                                              tags: .nil, notes: .string("\u{1}"))),
        ]
        for (id, manifest) in runs { try Self.write(path, id: id, manifest) }

        for arguments in [["--json"], ["--json", "--sort", "metrics.loss.max:desc"], ["--json", "--where", "status != 'failed'", "--limit", "2"]] {
            try? FileManager.default.removeItem(atPath: path + "/.catalog")
            let cold = try fixture.run(["runs", "odd"] + arguments)
            #expect(cold.status == 0, "\(cold.stderrText)")
            #expect(FileManager.default.fileExists(atPath: path + "/.catalog"))
            let warm = try fixture.run(["runs", "odd"] + arguments)
            #expect(warm.status == 0 && warm.stderrText.isEmpty, "\(warm.stderrText)")
            #expect(warm.stdoutText == cold.stdoutText, "\(arguments)")
            #expect(try SpecimenFixture.json(warm)["runs"] as? [[String: Any]] != nil)
        }
        let all = try SpecimenFixture.json(try fixture.run(["runs", "odd", "--json"]))
        let ids = (all["runs"] as? [[String: Any]])?.map { $0["id"] as? String }
        #expect(ids == runs.map(\.0))
        let statuses = (all["runs"] as? [[String: Any]])?.map { $0["status"] as? String }
        #expect(statuses == ["completed", "failed", "interrupted", "crashed"])   // sealed, so catalogued
    }
}
