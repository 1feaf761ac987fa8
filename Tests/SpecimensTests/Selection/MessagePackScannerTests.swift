import MessagePack
import InteropSupport
import Testing
@testable import Specimens

/// The in-place reader of catalog entries agrees with the MessagePack decoder on every kind of
/// value, and never traps on mutated bytes (a segment's checksum can be right while its entry
/// is not, e.g. one written by another tool).
@Suite struct MessagePackScannerTests {
    static let samples: [MessagePackValue] = [
        .nil, true, false, 0, 127, -1, -32, -33, 200, -200, 70_000, -70_000, .int(Int64.min), .int(Int64.max), .uint(UInt64.max),
        .float32(0.1), .float64(-2.5), .float64(.nan), "", "status", .string(String(repeating: "x", count: 300)),
        .binary([1, 2]), .timestamp(MessagePackTimestamp(seconds: 1_793_491_200)), .timestamp(MessagePackTimestamp(seconds: 5, nanoseconds: 7000)),
        .timestamp(MessagePackTimestamp(seconds: -5, nanoseconds: 1000)), .ext(type: 3, data: [9]),
        [1, "a", [2.5, nil]], ["k": 1, "nested": ["x": true]], .array((0 ..< 20).map { .int(Int64($0)) }),
    ]

    @Test func readsWhatTheDecoderReads() throws {
        for value in Self.samples {
            let bytes = value.encoded()
            try bytes.withUnsafeBytes { raw in
                let reader = MessagePackScanner(raw)
                #expect(reader.skip(0) == bytes.count, "\(value)")
                let got = try #require(reader.runValue(0), "\(value)")
                let expected = RunValue(try MessagePackValue(decoding: bytes))
                #expect(got == expected || (got.isNaN && expected.isNaN), "\(value): \(got) vs \(expected)")
            }
        }
        let map: MessagePackValue = ["a": 1, "b": ["c": "deep"], "a.b": 2]
        map.encoded().withUnsafeBytes { raw in
            let reader = MessagePackScanner(raw)
            #expect(reader.value(forKey: "a.b", inMapAt: 0).flatMap { reader.int($0) } == 2)
            let b = reader.value(forKey: "b", inMapAt: 0)
            #expect(b.flatMap { reader.value(forKey: "c", inMapAt: $0) }.flatMap { reader.string($0) } == "deep")
            #expect(reader.value(forKey: "missing", inMapAt: 0) == nil)
        }
    }

    /// 100,000 seeded mutations of real catalog entries: every field read returns a value or
    /// nil, never traps.
    @Test func mutatedEntriesNeverTrap() throws {
        var g = SeededGenerator(seed: 0x7a57_0013)
        var entries: [[UInt8]] = []
        for _ in 0 ..< 8 {
            let info = RunInfo(id: try RunID("20261101_000000"), path: "/x", state: .sealed(.completed), params: SyntheticRuns.randomParams(&g),
                               startedAt: nil, endedAt: nil, rows: 3, columns: [],
                               summary: [ColumnSummary(name: "loss", last: 0.5, min: .nan, max: nil, count: 2)],
                               notes: "n", tags: ["a", "b"], manifest: nil)
            entries.append(CatalogEntry.make(info).encoded())
        }
        let fields = RunQuerySemanticsTests.fields
        var readable = 0
        for iteration in 0 ..< 100_000 {
            var bytes = entries[iteration % entries.count]
            for _ in 0 ..< Int.random(in: 1 ... 3, using: &g) {
                let position = Int.random(in: 0 ..< bytes.count, using: &g)
                switch Int.random(in: 0 ..< 3, using: &g) {
                case 0: bytes[position] = UInt8.random(in: 0 ... 255, using: &g)
                case 1: bytes.removeSubrange(position ..< min(bytes.count, position + Int.random(in: 1 ... 8, using: &g)))
                default: bytes.insert(UInt8.random(in: 0xc4 ... 0xdf, using: &g), at: position)
                }
                if bytes.isEmpty { bytes = [0xc0] }
            }
            let storage = CatalogBytes(bytes)
            let record = RunRecord(id: try RunID("20261101_000000"), record: CatalogRecord(key: 1, storage: storage, start: 0, end: bytes.count),
                                   order: 0, liveInfo: nil)
            let field = fields[iteration % fields.count]
            if record.value(field) != nil { readable += 1 }
            _ = record.record.decoded
        }
        #expect(readable > 10_000, "mutations left too few readable fields (\(readable)) to exercise the reader")
    }
}

extension RunValue {
    var isNaN: Bool { if case .double(let d) = self { return d.isNaN }; return false }
}
