import Foundation
import MessagePack
import InteropSupport
import Testing

// MARK: Types under test

struct Widths: Codable, Equatable {
    var i: Int, i8: Int8, i16: Int16, i32: Int32, i64: Int64
    var u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64
    var f: Float, d: Double, b: Bool, s: String

    static let minimum = Widths(i: .min, i8: .min, i16: .min, i32: .min, i64: .min, u: .min, u8: .min, u16: .min, u32: .min, u64: .min,
                                f: -.greatestFiniteMagnitude, d: -.greatestFiniteMagnitude, b: false, s: "")
    static let maximum = Widths(i: .max, i8: .max, i16: .max, i32: .max, i64: .max, u: .max, u8: .max, u16: .max, u32: .max, u64: .max,
                                f: .greatestFiniteMagnitude, d: .greatestFiniteMagnitude, b: true, s: "ünï ✓ 🐢")
}

indirect enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rectangle(Double, Double)
    case point
    case labelled(name: String, Shape?)
}

enum Status: String, Codable { case completed, failed }

struct Summary: Codable, Equatable {
    var last: Double, min: Double, max: Double, count: Int
}

struct FileEntry: Codable, Equatable {
    var size: Int
    var sha256: String
}

struct RunManifest: Codable, Equatable {
    var format: String
    var runID: String
    var status: Status
    var startedAt: Date
    var exitCode: Int?
    var signal: Int?
    var params: MessagePackValue
    var summary: [String: Summary]
    var files: [String: FileEntry]
    var tags: [String]
    var digest: Data
    var raw: [UInt8]
    var home: URL
    var shapes: [Shape]
    var optionals: [Int?]
    var nested: [[String: [Double]]]

    enum CodingKeys: String, CodingKey {
        case format, runID = "run_id", status, startedAt = "started_at", exitCode = "exit_code", signal, params, summary
        case files, tags, digest, raw, home, shapes, optionals, nested
    }

    static let sample = RunManifest(
        format: "specimen.run/1", runID: "20251222_194653", status: .completed,
        startedAt: Date(timeIntervalSince1970: 1_766_432_813.25), exitCode: 0, signal: nil,
        params: ["lr": 0.001, "layers": [64, 32], "seed": .uint(.max), "at": .timestamp(.init(seconds: -1, nanoseconds: 5)),
                 "blob": .binary([0, 1]), "odd": .map([(key: 1, value: "int key")]), "ext": .ext(type: 9, data: [7]),
                 "half": .float32(0.5), "none": nil],
        summary: ["loss": Summary(last: 0.04, min: 0.03, max: 2.3, count: 1200), "acc": Summary(last: 0.98, min: 0.1, max: 0.99, count: 1200)],
        files: ["metrics.parquet": FileEntry(size: 48213, sha256: String(repeating: "ab", count: 32))],
        tags: ["baseline", "nightly"], digest: Data([0xde, 0xad, 0xbe, 0xef]), raw: [1, 2, 3],
        home: URL(string: "https://example.com/runs?id=1")!,
        shapes: [.circle(radius: 1.5), .rectangle(2, 3), .point, .labelled(name: "n", .point), .labelled(name: "m", nil)],
        optionals: [1, nil, 3], nested: [["a": [1, 2]], [:]])
}

class Animal: Codable {
    var name: String
    init(name: String) { self.name = name }
}

final class Dog: Animal {
    var tricks: [String]
    init(name: String, tricks: [String]) {
        self.tricks = tricks
        super.init(name: name)
    }

    enum CodingKeys: String, CodingKey { case tricks }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tricks = try container.decode([String].self, forKey: .tricks)
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tricks, forKey: .tricks)
        try super.encode(to: container.superEncoder())
    }
}

/// Writes through every kind of container, nested, and reads them back the same way.
struct Containers: Codable, Equatable {
    var a: Int
    var list: [String]
    var inner: Int

    enum Keys: String, CodingKey { case a, nested, list, inner, extra }

    init(a: Int, list: [String], inner: Int) { (self.a, self.list, self.inner) = (a, list, inner) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(a, forKey: .a)
        var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
        try nested.encode(inner, forKey: .inner)
        var list = nested.nestedUnkeyedContainer(forKey: .list)
        for item in self.list { try list.encode(item) }
        var deeper = list.nestedContainer(keyedBy: Keys.self)
        try deeper.encodeNil(forKey: .extra)
        var deepest = list.nestedUnkeyedContainer()
        try deepest.encode(true)
        let superEncoder = list.superEncoder()
        var single = superEncoder.singleValueContainer()
        try single.encode("super")
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        a = try container.decode(Int.self, forKey: .a)
        let nested = try container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
        inner = try nested.decode(Int.self, forKey: .inner)
        var list = try nested.nestedUnkeyedContainer(forKey: .list)
        var items: [String] = []
        while let count = list.count, list.currentIndex < count - 3 { items.append(try list.decode(String.self)) }
        let deeper = try list.nestedContainer(keyedBy: Keys.self)
        guard try deeper.decodeNil(forKey: .extra) else { throw CocoaError(.coderReadCorrupt) }
        var deepest = try list.nestedUnkeyedContainer()
        guard try deepest.decode(Bool.self) else { throw CocoaError(.coderReadCorrupt) }
        guard try list.superDecoder().singleValueContainer().decode(String.self) == "super" else { throw CocoaError(.coderReadCorrupt) }
        self.list = items
    }
}

struct WithOptional: Codable, Equatable {
    var required: Int
    var optional: String?
}

struct Free: Codable, Equatable {
    var name: String
    var params: MessagePackValue
    var maybe: MessagePackValue?
}

// MARK: Tests

@Suite("Codable: MessagePackEncoder and MessagePackDecoder")
struct CodableTests {
    let encoder = MessagePackEncoder()
    let decoder = MessagePackDecoder()

    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let bytes: [UInt8] = try encoder.encode(value)
        let back = try decoder.decode(T.self, from: bytes)
        #expect(back == value)
        return back
    }

    @Test("every integer width, Float, Double, Bool and String round-trip at their extremes", arguments: [Widths.minimum, Widths.maximum])
    func widths(_ value: Widths) throws {
        _ = try roundTrip(value)
    }

    @Test("integers take the shortest form, whatever their Swift width")
    func shortestIntegers() throws {
        #expect(try encoder.encode(Int64(1)) == hex("01"))
        #expect(try encoder.encode(UInt64(200)) == hex("cc c8"))
        #expect(try encoder.encode(Int16(-200)) == hex("d1 ff 38"))
        #expect(try encoder.encode([Int8(-1), Int8(-33)]) == hex("92 ff d0 df"))
        #expect(try encoder.encode(Float(1)) == hex("ca 3f 80 00 00"))
        #expect(try encoder.encode(1.0) == hex("cb 3f f0 00 00 00 00 00 00"))
    }

    @Test("a manifest-like struct round-trips, with every special type")
    func manifest() throws {
        let back = try roundTrip(RunManifest.sample)
        #expect(back.params == RunManifest.sample.params)
    }

    @Test("structs encode their keys in declaration order; dictionaries sort theirs")
    func keyOrder() throws {
        let value = try encoder.encodeToValue(RunManifest.sample)
        #expect(value.mapValue?.map(\.key.stringValue) == ["format", "run_id", "status", "started_at", "exit_code", "params", "summary",
                                                           "files", "tags", "digest", "raw", "home", "shapes", "optionals", "nested"])
        #expect(value["summary"]?.mapValue?.map(\.key) == ["acc", "loss"])
        #expect(try encoder.encode(["b": 1, "a": 2, "c": 3, "é": 4, "Z": 5]) == hex("85 a1 5a 05 a1 61 02 a1 62 01 a1 63 03 a2 c3 a9 04"))
        #expect(try encoder.encode([3: "c", -1: "a", 20: "b"]) == hex("83 a2 2d 31 a1 61 a1 33 a1 63 a2 32 30 a1 62"))
        #expect(try decoder.decode([Int: String].self, from: hex("83 a2 2d 31 a1 61 a1 33 a1 63 a2 32 30 a1 62")) == [3: "c", -1: "a", 20: "b"])
        // The same dictionary always gives the same bytes.
        let big = Dictionary(uniqueKeysWithValues: (0 ..< 100).map { ("key\($0)", $0) })
        #expect(try encoder.encode(big) == encoder.encode(Dictionary(uniqueKeysWithValues: big.reversed().map { ($0.key, $0.value) })))
    }

    @Test("special types have MessagePack forms: Data is bin, [UInt8] an array, Date a timestamp, URL a str")
    func specialForms() throws {
        let value = try encoder.encodeToValue(RunManifest.sample)
        #expect(value["digest"] == .binary([0xde, 0xad, 0xbe, 0xef]))
        #expect(value["raw"] == [1, 2, 3])
        #expect(value["started_at"] == .timestamp(.init(seconds: 1_766_432_813, nanoseconds: 250_000_000)))
        #expect(value["home"] == "https://example.com/runs?id=1")
        #expect(try encoder.encode(Data([1, 2, 3])) == hex("c4 03 01 02 03"))
        #expect(try encoder.encode([UInt8]([1, 2, 3])) == hex("93 01 02 03"))
        #expect(try decoder.decode(Data.self, from: hex("93 01 02 03")) == Data([1, 2, 3]))
        #expect(try encoder.encode(MessagePackTimestamp(seconds: 1)) == hex("d6 ff 00 00 00 01"))
    }

    @Test("enums with associated values, raw values and nesting")
    func enums() throws {
        let value = try encoder.encodeToValue(Shape.labelled(name: "n", .circle(radius: 2)))
        #expect(value == ["labelled": ["name": "n", "_1": ["circle": ["radius": 2.0]]]])
        #expect(try encoder.encode(Status.failed) == hex("a6 66 61 69 6c 65 64"))
        _ = try roundTrip([Shape.point, .rectangle(1, 2)])
    }

    @Test("optionals: nil properties are left out, nil elements are nil, missing keys decode as nil")
    func optionals() throws {
        #expect(try encoder.encodeToValue(WithOptional(required: 1, optional: nil)) == ["required": 1])
        #expect(try encoder.encode([1, nil] as [Int?]) == hex("92 01 c0"))
        #expect(try encoder.encode(Int?.none) == hex("c0"))
        #expect(try decoder.decode(WithOptional.self, fromValue: ["required": 1]) == WithOptional(required: 1))
        #expect(try decoder.decode(WithOptional.self, fromValue: ["required": 1, "optional": nil]) == WithOptional(required: 1))
        #expect(try decoder.decode(WithOptional.self, fromValue: ["required": 1, "optional": "x"]) == WithOptional(required: 1, optional: "x"))
        #expect(try decoder.decode(Int?.self, from: hex("c0")) == nil)
        let error = #expect(throws: DecodingError.self) { try decoder.decode(WithOptional.self, fromValue: ["optional": "x"]) }
        guard case .keyNotFound(let key, _)? = error else { Issue.record("not keyNotFound: \(String(describing: error))"); return }
        #expect(key.stringValue == "required")
    }

    @Test("keyed, unkeyed, nested and super containers")
    func containers() throws {
        let value = Containers(a: 1, list: ["x", "y"], inner: 2)
        #expect(try encoder.encodeToValue(value) == ["a": 1, "nested": ["inner": 2, "list": ["x", "y", ["extra": nil], [true], "super"]]])
        _ = try roundTrip(value)
    }

    @Test("class inheritance through superEncoder and superDecoder")
    func superclass() throws {
        let dog = Dog(name: "Rex", tricks: ["sit"])
        let value = try encoder.encodeToValue(dog)
        #expect(value == ["tricks": ["sit"], "super": ["name": "Rex"]])
        let back = try decoder.decode(Dog.self, fromValue: value)
        #expect(back.name == "Rex" && back.tricks == ["sit"])
    }

    @Test("a MessagePackValue inside a Codable type is embedded as-is and comes back exactly")
    func freeForm() throws {
        let params = Samples.everyFamily
        let free = Free(name: "x", params: params, maybe: .nil)
        let bytes: [UInt8] = try encoder.encode(free)
        // The params are the exact bytes the value tree writes on its own.
        #expect(bytes.count == MessagePackWriter.encodedSize(of: ["name": "x", "params": params, "maybe": nil]))
        let back = try decoder.decode(Free.self, from: bytes)
        #expect(back.params == params)
        #expect(back.maybe == nil, "an Optional<MessagePackValue> holding nil decodes as nil, as any optional does")
        #expect(try decoder.decode(MessagePackValue.self, from: bytes) == ["name": "x", "params": params, "maybe": nil])
        #expect(try encoder.encode(Samples.runManifest) == Samples.runManifest.encoded())
    }

    @Test("MessagePackValue through JSONEncoder and JSONDecoder, as well as JSON allows")
    func throughJSON() throws {
        let value: MessagePackValue = [
            "s": "text", "i": -3, "u": .uint(.max), "f": 1.5, "b": true, "n": nil, "a": [1, "two"],
            "bin": .binary([1, 2, 3]), "t": .timestamp(.init(seconds: 1, nanoseconds: 500_000_000)),
            "e": .ext(type: 5, data: [9]), "m": .map([(key: 1, value: "one")]), "tricky": ["$binary": "AQ=="],
        ]
        let json = try JSONEncoder().encode(value)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""bin":{"$binary":"AQID"}"#))
        #expect(text.contains(#""t":{"$timestamp":"1970-01-01T00:00:01.5Z"}"#))
        #expect(text.contains(#""m":{"$map":[[1,"one"]]}"#))
        #expect(text.contains(#""tricky":{"$map":[["$binary","AQ=="]]}"#))
        let back = try JSONDecoder().decode(MessagePackValue.self, from: json)
        // Key order is the JSON decoder's; compare by key.
        for pair in value.mapValue! {
            let key = pair.key.stringValue!
            #expect(back[key] == pair.value, "\(key): \(String(describing: back[key])) ≠ \(pair.value)")
        }
        let timestamp = try JSONDecoder().decode(MessagePackTimestamp.self, from: Data(#""2025-12-22T19:46:53Z""#.utf8))
        #expect(timestamp.seconds == 1_766_432_813)
        #expect(try JSONEncoder().encode(timestamp) == Data(#""2025-12-22T19:46:53Z""#.utf8))
    }

    @Test("integers decode only where they fit: overflow is an error, never a trap")
    func overflow() throws {
        func fails<T: Decodable>(_ type: T.Type, _ value: MessagePackValue) {
            let error = #expect(throws: DecodingError.self) { try decoder.decode(type, fromValue: value) }
            if case .dataCorrupted(let context)? = error {
                #expect(context.debugDescription.contains("does not fit"))
            } else {
                Issue.record("\(T.self) from \(value): expected dataCorrupted, got \(String(describing: error))")
            }
        }
        fails(UInt8.self, 256)
        fails(Int8.self, 128)
        fails(Int8.self, -129)
        fails(UInt.self, -1)
        fails(UInt64.self, -1)
        fails(Int64.self, .uint(.max))
        fails(Int.self, .uint(1 << 63))
        fails(Int16.self, 1.5)
        fails(Int.self, .float64(.nan))
        fails(Int.self, .float64(.infinity))
        fails(Int32.self, 3e9)
        fails(UInt8.self, .float32(-1))
        fails(Float.self, 1e300)
        fails([UInt8].self, [1, 2, 300])
        #expect(try decoder.decode(UInt8.self, fromValue: 255) == 255)
        #expect(try decoder.decode(Int8.self, fromValue: -128) == -128)
        #expect(try decoder.decode(UInt64.self, fromValue: .uint(.max)) == .max)
        #expect(try decoder.decode(Int.self, fromValue: 2.0) == 2)
        #expect(try decoder.decode(Int.self, fromValue: .float32(-7)) == -7)
    }

    @Test("floats decode from any number, integers from integral floats")
    func numbers() throws {
        #expect(try decoder.decode(Double.self, fromValue: 3) == 3)
        #expect(try decoder.decode(Double.self, fromValue: .uint(.max)) == Double(UInt64.max))
        #expect(try decoder.decode(Double.self, fromValue: .float32(1.5)) == 1.5)
        #expect(try decoder.decode(Float.self, fromValue: 0.5) == 0.5)
        #expect(try decoder.decode(Float.self, fromValue: -2) == -2)
        #expect(try decoder.decode(Float.self, fromValue: .float64(.infinity)) == .infinity)
        #expect(try decoder.decode(Double.self, fromValue: .float64(.nan)).isNaN)
    }

    @Test("dates decode from timestamps, epoch seconds and ISO 8601 text")
    func dates() throws {
        let expected = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(try decoder.decode(Date.self, fromValue: .timestamp(.init(seconds: 1_700_000_000))) == expected)
        #expect(try decoder.decode(Date.self, fromValue: 1_700_000_000) == expected)
        #expect(try decoder.decode(Date.self, fromValue: .uint(1_700_000_000)) == expected)
        #expect(try decoder.decode(Date.self, fromValue: 1_700_000_000.5) == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(try decoder.decode(Date.self, fromValue: "2023-11-14T22:13:20Z") == expected)
        #expect(throws: DecodingError.self) { try decoder.decode(Date.self, fromValue: "yesterday") }
        #expect(throws: DecodingError.self) { try decoder.decode(Date.self, fromValue: true) }
        let before = Date(timeIntervalSince1970: -1.5)
        #expect(try encoder.encodeToValue(before) == .timestamp(.init(seconds: -2, nanoseconds: 500_000_000)))
        _ = try roundTrip(before)
        _ = try roundTrip(Date(timeIntervalSince1970: 1_766_432_813.123456))
    }

    @Test("the date strategies")
    func dateStrategies() throws {
        var encoder = MessagePackEncoder()
        let date = Date(timeIntervalSince1970: 1.5)
        #expect(encoder.dateEncodingStrategy == .timestamp)
        encoder.dateEncodingStrategy = .secondsSince1970
        #expect(try encoder.encodeToValue(date) == 1.5)
        encoder.dateEncodingStrategy = .iso8601
        #expect(try encoder.encodeToValue(date) == "1970-01-01T00:00:01.5Z")
        #expect(try decoder.decode(Date.self, from: encoder.encode(date) as [UInt8]) == date)
        #expect(throws: EncodingError.self) { try MessagePackEncoder().encode(Date(timeIntervalSince1970: .infinity)) as [UInt8] }
    }

    @Test("type mismatches name the coding path")
    func mismatch() throws {
        let error = #expect(throws: DecodingError.self) {
            try decoder.decode([String: Summary].self, fromValue: ["loss": ["last": "x", "min": 0, "max": 0, "count": 0]])
        }
        guard case .typeMismatch(_, let context)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(context.codingPath.map(\.stringValue) == ["loss", "last"])
        #expect(context.debugDescription.contains("a str"))
        let missing = #expect(throws: DecodingError.self) { try decoder.decode([Int].self, fromValue: [1, nil]) }
        guard case .valueNotFound(_, let missingContext)? = missing else { Issue.record("\(String(describing: missing))"); return }
        #expect(missingContext.codingPath.map(\.intValue) == [1])
        #expect(throws: DecodingError.self) { try decoder.decode(Summary.self, fromValue: [1, 2]) }
        #expect(throws: DecodingError.self) { try decoder.decode([Int].self, fromValue: ["a": 1]) }
        #expect(throws: DecodingError.self) { try decoder.decode(String.self, fromValue: .binary([0x61])) }
        #expect(throws: DecodingError.self) { try decoder.decode(Bool.self, fromValue: 1) }
        #expect(throws: DecodingError.self) { try decoder.decode(URL.self, fromValue: 1) }
    }

    @Test("malformed bytes throw MessagePackError; the reader options apply")
    func malformed() throws {
        let error = #expect(throws: MessagePackError.self) { try decoder.decode(Int.self, from: hex("01 02")) }
        #expect(error?.code == .trailingBytes)
        var lenient = MessagePackDecoder()
        lenient.readerOptions.allowsTrailingBytes = true
        #expect(try lenient.decode(Int.self, from: hex("01 02")) == 1)
        #expect(throws: MessagePackError.self) { try decoder.decode(Int.self, from: Data([0xcd, 0x01])) }
    }

    @Test("Data in and out, and userInfo reaches the types")
    func dataAndUserInfo() throws {
        let data: Data = try encoder.encode(["a": 1])
        #expect(data == Data(hex("81 a1 61 01")))
        #expect(try decoder.decode([String: Int].self, from: data) == ["a": 1])

        struct Probe: Codable {
            static let key = CodingUserInfoKey(rawValue: "probe")!
            var seen: String
            init(seen: String) { self.seen = seen }
            init(from decoder: any Decoder) throws { seen = decoder.userInfo[Self.key] as? String ?? "none" }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[Self.key] as? String ?? "none")
            }
        }
        var encoder = MessagePackEncoder()
        encoder.userInfo[Probe.key] = "hello"
        #expect(try encoder.encodeToValue([Probe(seen: "")]) == ["hello"])
        var decoder = MessagePackDecoder()
        decoder.userInfo[Probe.key] = "there"
        #expect(try decoder.decode([Probe].self, fromValue: [1]).first?.seen == "there")
    }

    @Test("a type that encodes nothing becomes an empty map; encoding a key twice keeps the last value")
    func edgeCases() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(try encoder.encode(Nothing()) == hex("80"))
        struct Twice: Encodable {
            enum K: CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: K.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .b)
                try container.encode(3, forKey: .a)
            }
        }
        #expect(try encoder.encodeToValue(Twice()) == ["a": 3, "b": 2])
        // Many keys (an index takes over from scanning) still replace in place.
        struct Many: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: _Key.self)
                for index in 0 ..< 40 { try container.encode(index, forKey: _Key("k\(index)")) }
                try container.encode(-1, forKey: _Key("k3"))
            }
        }
        let many = try encoder.encodeToValue(Many())
        #expect(many.count == 40 && many["k3"] == -1 && many.mapValue?[3].key == "k3")
        let wide = try decoder.decode([String: Int].self, fromValue: many)
        #expect(wide.count == 40 && wide["k39"] == 39)
    }

    @Test("[String: T] and [T] decode in one pass with the keyed container's rules and errors")
    func collectionsInOnePass() throws {
        let decoder = MessagePackDecoder()
        // Integer keys read as their text, other keys skipped, the first of a repeated key wins.
        let mixed: MessagePackValue = .map([("a", 1), (7, 2), (.binary([1]), 3), ("a", 4), (-2, 5)])
        #expect(try decoder.decode([String: Int].self, from: mixed.encoded()) == ["a": 1, "7": 2, "-2": 5])
        // The same map through a struct's keyed container gives the same values.
        struct Keys: Decodable, Equatable {
            var a: Int
            var seven: Int
            enum CodingKeys: String, CodingKey { case a, seven = "7" }
        }
        #expect(try decoder.decode(Keys.self, from: mixed.encoded()) == Keys(a: 1, seven: 2))
        // Nested collections, from decoded bytes and from a built value.
        let nested: MessagePackValue = ["x": [[1, 2], []], "y": [[3]]]
        let expected: [String: [[Int]]] = ["x": [[1, 2], []], "y": [[3]]]
        #expect(try decoder.decode([String: [[Int]]].self, from: nested.encoded()) == expected)
        #expect(try decoder.decode([String: [[Int]]].self, fromValue: nested) == expected)
        // Wrong shapes throw typeMismatch with the path to the value.
        #expect(throws: DecodingError.self) { try decoder.decode([String: Int].self, from: MessagePackValue.array([1]).encoded()) }
        #expect(throws: DecodingError.self) { try decoder.decode([Int].self, from: MessagePackValue.map(["a": 1]).encoded()) }
        do {
            _ = try decoder.decode([String: [Int]].self, from: MessagePackValue.map(["list": [1, "two"]]).encoded())
            Issue.record("a str decoded as Int")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["list", "Index 1"])
        }
        do {
            _ = try decoder.decode([String: Int].self, from: MessagePackValue.nil.encoded())
            Issue.record("nil decoded as a dictionary")
        } catch let DecodingError.valueNotFound(_, context) {
            #expect(context.codingPath.isEmpty)
        }
    }
}

struct _Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
