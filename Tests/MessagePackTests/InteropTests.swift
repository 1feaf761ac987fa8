import Foundation
import InteropSupport
import MessagePack
import Testing

/// The record Swift's Codable writes for `msgpack_cases.CODABLE_RECORD`.
struct InteropRecord: Codable, Equatable {
    var name: String
    var startedAt: Date
    var digest: Data
    var counts: [String: Int]
    var ratio: Double
    var small: Float
    var maybe: Int?
    var none: Int?
    var tags: [String]
    var shape: Shape
    var big: UInt64
    var negative: Int8
    var nested: [[String: [Double]]]

    enum CodingKeys: String, CodingKey {
        case name, startedAt = "started_at", digest, counts, ratio, small, maybe, none, tags, shape, big, negative, nested
    }

    static let sample = InteropRecord(
        name: "run", startedAt: Date(timeIntervalSince1970: 1_766_432_813.25), digest: Data([0xde, 0xad, 0xbe, 0xef]),
        counts: ["c": 3, "a": 1, "b": 2], ratio: 0.25, small: 0.5, maybe: 3, none: nil, tags: ["x", "y"],
        shape: .circle(radius: 1.5), big: .max, negative: -128, nested: [["k": [1.5, -2]], [:]])
}

/// Interop with Python's msgpack 1.x (the C extension), both directions, with its defaults.
/// These tests fail, never skip, when the Python environment is missing (run scripts/test).
@Suite("Interop with Python msgpack")
struct InteropTests {
    /// The cases of Tests/InteropScripts/msgpack_cases.py, as Swift values.
    static let cases: [(String, MessagePackValue)] = {
        var cases: [(String, MessagePackValue)] = [("nil", .nil), ("true", true), ("false", false)]
        let ints: [MessagePackValue] = [0, 1, 127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296, .int(.max), .uint(1 << 63), .uint(.max),
                                        -1, -32, -33, -128, -129, -32768, -32769, -2_147_483_648, -2_147_483_649, .int(.min)]
        let intNames = ["0", "1", "127", "128", "255", "256", "65535", "65536", "4294967295", "4294967296", "9223372036854775807",
                        "9223372036854775808", "18446744073709551615", "-1", "-32", "-33", "-128", "-129", "-32768", "-32769",
                        "-2147483648", "-2147483649", "-9223372036854775808"]
        cases += zip(intNames, ints).map { ("int\($0)", $1) }
        cases += [("float0.0", 0.0), ("float-0.0", .float64(-0.0)), ("float1.5", 1.5), ("float0.1", 0.1), ("float1e300", 1e300),
                  ("float5e-324", .float64(.leastNonzeroMagnitude)), ("floatinf", .float64(.infinity)), ("float-inf", .float64(-.infinity)),
                  ("floatnan", .float64(.nan)), ("float32_1.5", .float32(1.5)), ("float32_0.1", .float32(0.1))]
        cases += [("str0", ""), ("str1", "a"), ("unicode", "h\u{e9}llo \u{2713} \u{1f422}")]
        cases += [31, 32, 255, 256, 65535, 65536].map { ("str\($0)", .string(String(repeating: "x", count: $0))) }
        cases += [("bin0", .binary([])), ("bin2", .binary([0, 255]))]
        cases += [255, 256, 65536].map { ("bin\($0)", .binary(Array(repeating: UInt8(ascii: "x"), count: $0))) }
        cases += [
            ("str_vs_bin", ["abc", .binary(Array("abc".utf8))]),
            ("array0", []),
            ("array15", .array((0 ..< 15).map { .int(Int64($0)) })),
            ("array16", .array((0 ..< 16).map { .int(Int64($0)) })),
            ("array65536", .array(Array(repeating: .nil, count: 65536))),
            ("nested_arrays", [[1, [2, [3, []]]]]),
            ("map0", [:]),
            ("map15", .map((0 ..< 15).map { (key: .string("k" + ($0 < 10 ? "0" : "") + String($0)), value: .int(Int64($0))) })),
            ("map16", .map((0 ..< 16).map { (key: .string("k" + ($0 < 10 ? "0" : "") + String($0)), value: .int(Int64($0))) })),
            ("nested_maps", ["a": ["b": ["c": [1, ["d": nil]]]], "e": [:]]),
            ("bytes_key", .map([(key: .binary(Array("k".utf8)), value: 1), (key: "s", value: 2)])),
            ("ext_fix1", .ext(type: 5, data: Array("a".utf8))),
            ("ext_fix16", .ext(type: 127, data: Array(repeating: UInt8(ascii: "x"), count: 16))),
            ("ext8_0", .ext(type: 1, data: [])),
            ("ext8_3", .ext(type: 1, data: Array("abc".utf8))),
            ("ext16", .ext(type: 0, data: Array(repeating: UInt8(ascii: "y"), count: 256))),
            ("run_manifest", Samples.runManifest),
        ]
        let timestamps: [(String, Int64, UInt32)] = [
            ("ts0", 0, 0), ("ts2038", 1 << 31, 0), ("ts32max", 4_294_967_295, 0), ("ts64min", 4_294_967_296, 0), ("ts1ns", 1, 1),
            ("ts64max", (1 << 34) - 1, 999_999_999), ("ts96", 1 << 34, 0), ("tsneg", -1, 0), ("tsnegfrac", -1, 500_000_000),
            ("tsyear0", -62_167_219_200, 0), ("ts9999", 253_402_300_799, 999_999_999),
        ]
        cases += timestamps.map { ($0.0, .timestamp(.init(seconds: $0.1, nanoseconds: $0.2))) }
        return cases
    }()

    @Test("values Python packs decode to the expected Swift values, and we would write the same bytes")
    func pythonToSwift() throws {
        let output = try Python.run("msgpack_pack.py")
        let pairs = try #require(try MessagePackValue(decoding: output).arrayValue)
        let expected = Dictionary(uniqueKeysWithValues: Self.cases)
        var seen = Set<String>()
        for pair in pairs {
            let name = try #require(pair[0]?.stringValue)
            let bytes = try #require(pair[1]?.binaryValue)
            seen.insert(name)
            if name == "codable_record" {
                #expect(try MessagePackDecoder().decode(InteropRecord.self, from: bytes) == InteropRecord.sample)
                continue
            }
            guard let value = expected[name] else { Issue.record("Python sent an unknown case \(name)"); continue }
            let decoded = try MessagePackValue(decoding: bytes)
            #expect(decoded == value, "\(name): \(decoded.description.prefix(200))")
            #expect(value.encoded() == bytes, "\(name): we write \(hexText(Array(value.encoded().prefix(24)))), Python \(hexText(Array(bytes.prefix(24))))")
        }
        #expect(seen == Set(Self.cases.map(\.0) + ["codable_record"]))
    }

    @Test("what we write unpacks in Python with its defaults to the expected values")
    func swiftToPython() throws {
        var pairs: [MessagePackValue] = Self.cases.map { [.string($0.0), .binary($0.1.encoded())] }
        pairs.append(["codable_record", .binary(try MessagePackEncoder().encode(InteropRecord.sample))])
        let output = try Python.run("msgpack_check.py", input: MessagePackValue.array(pairs).encoded())
        let checked = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(checked == Self.cases.map(\.0) + ["codable_record"])
    }

    @Test("Python unpacks and repacks our manifests to the very same bytes", arguments: [
        ("run manifest", Samples.runManifest), ("specimen manifest", Samples.specimenManifest), ("nested", Samples.nested),
    ])
    func echo(_ name: String, _ value: MessagePackValue) throws {
        let bytes = value.encoded()
        #expect(try Python.run("msgpack_echo.py", input: bytes) == bytes)
    }

    @Test("Python refuses our map with an int key under strict_map_key, as FORMATS.md warns")
    func intKeysNeedStrings() throws {
        let bytes = MessagePackValue.map([(key: 1, value: "x")]).encoded()
        let failure = #expect(throws: Python.Failure.self) { try Python.run("msgpack_echo.py", input: bytes) }
        // The refusal itself, not a missing interpreter.
        #expect(failure?.description.contains("is not allowed for map key") == true, "\(String(describing: failure))")
    }
}
