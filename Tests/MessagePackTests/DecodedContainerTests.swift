@testable import MessagePack
import InteropSupport
import Testing

/// Decoded arrays and maps are views of one decoded document that make their elements when read.
/// They must be indistinguishable from the same values built by hand.
@Suite("Decoded arrays and maps")
struct DecodedContainerTests {
    @Test("a decoded manifest equals, hashes like and re-encodes like the value it came from")
    func manifestMatchesBuiltValue() throws {
        let built = Samples.runManifest
        let decoded = try MessagePackValue(decoding: built.encoded())
        #expect(decoded == built)
        #expect(built == decoded)
        #expect(decoded.hashValue == built.hashValue)
        #expect(Set([built, decoded]).count == 1)
        #expect(decoded.encoded() == built.encoded())
        #expect(MessagePackWriter.encodedSize(of: decoded) == built.encoded().count)
        #expect(decoded.description == built.description)
    }

    @Test("random trees: every element, key and value reads back equal, by index, by key and by iteration")
    func randomTrees() throws {
        var generator = SeededGenerator(seed: 0xdec0_ded0_0001)
        for _ in 0 ..< 400 {
            let built = Self.randomValue(depth: 0, using: &generator)
            let bytes = built.encoded()
            let decoded = try MessagePackValue(decoding: bytes)
            #expect(decoded == built, "\(built)")
            #expect(decoded.hashValue == built.hashValue)
            #expect(decoded.encoded() == bytes)
            try Self.expectSameStructure(decoded, built)
        }
    }

    /// Walks both trees in step through the public accessors.
    static func expectSameStructure(_ decoded: MessagePackValue, _ built: MessagePackValue) throws {
        switch (decoded, built) {
        case let (.array(a), .array(b)):
            #expect(a.count == b.count)
            for index in b.indices { try expectSameStructure(a[index], b[index]) }
            #expect(Array(a) == Array(b))
        case let (.map(a), .map(b)):
            #expect(a.count == b.count)
            for index in b.indices {
                try expectSameStructure(a.key(at: index), b.key(at: index))
                try expectSameStructure(a.value(at: index), b.value(at: index))
                if case .string(let key) = b.key(at: index) {
                    #expect(a[key] == b[key])
                    #expect(a.firstIndex(ofStringKey: key) == b.firstIndex(ofStringKey: key))
                }
            }
            #expect(Array(a.keys) == Array(b.keys))
            #expect(Array(a.values) == Array(b.values))
            #expect(a["no such key \(a.count)"] == nil)
        case let (.string(a), .string(b)):
            #expect(a == b)
            #expect(a.hashValue == b.hashValue)
            #expect(Array(a.utf8) == Array(b.utf8))
            #expect(a + "!" == b + "!")
        default:
            #expect(decoded == built)
        }
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> MessagePackValue {
        let pick = Int.random(in: 0 ..< (depth < 4 ? 12 : 9), using: &generator)
        switch pick {
        case 0: return .nil
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: Int64.min ... Int64.max, using: &generator) >> Int64.random(in: 0 ... 63, using: &generator))
        case 3: return .uint(UInt64.random(in: UInt64(Int64.max) + 1 ... UInt64.max, using: &generator))
        case 4: return .float64(Double.random(in: -1e6 ... 1e6, using: &generator))
        case 5: return .float32(Float.random(in: -1 ... 1, using: &generator))
        case 6: return .string(randomString(using: &generator))
        case 7: return .binary((0 ..< Int.random(in: 0 ... 40, using: &generator)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) })
        case 8:
            if Bool.random(using: &generator) {
                return .timestamp(MessagePackTimestamp(seconds: Int64.random(in: -1 << 40 ... 1 << 40, using: &generator),
                                                       nanoseconds: UInt32.random(in: 0 ..< 1_000_000_000, using: &generator)))
            }
            return .ext(type: Int8.random(in: 0 ... 127, using: &generator), data: Array(repeating: 7, count: Int.random(in: 0 ... 20, using: &generator)))
        case 9, 10:
            let count = Int.random(in: 0 ... 20, using: &generator)
            return .map((0 ..< count).map { _ in
                let key: MessagePackValue = Int.random(in: 0 ..< 5, using: &generator) == 0
                    ? randomValue(depth: depth + 1, using: &generator) : .string(randomString(using: &generator))
                return (key: key, value: randomValue(depth: depth + 1, using: &generator))
            })
        default:
            return .array((0 ..< Int.random(in: 0 ... 20, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        }
    }

    /// Strs of every length around the short-string limit (15 bytes), ASCII or not.
    static func randomString(using generator: inout SeededGenerator) -> String {
        let length = Int.random(in: 0 ... 40, using: &generator)
        let alphabet: [Character] = Int.random(in: 0 ..< 4, using: &generator) == 0
            ? ["a", "é", "✓", "🙂", "Z", " ", "\u{0}"] : Array("abcdefghijklmnopqrstuvwxyz_ABC0123456789-.:/")
        return String((0 ..< length).map { _ in alphabet[Int.random(in: 0 ..< alphabet.count, using: &generator)] })
    }

    @Test("strs of 0 to 40 bytes read back as ordinary Strings", arguments: 0 ... 40)
    func stringLengths(length: Int) throws {
        let text = String(repeating: "k", count: length)
        let decoded = try MessagePackValue(decoding: MessagePackValue.array([.string(text), ["key": .string(text)]]).encoded())
        let read = try #require(decoded[0]?.stringValue)
        #expect(read == text)
        #expect(read.utf8.count == length)
        #expect(read.hashValue == text.hashValue)
        #expect(read.isContiguousUTF8)
        var grown = read
        grown.append("!")
        #expect(grown == text + "!")
        #expect(decoded[1]?[text] == nil)
        #expect(decoded[1]?["key"]?.stringValue == text)
    }

    @Test("short ASCII strs read back as normal Strings")
    func shortASCIIStrings() throws {
        let decoded = try MessagePackValue(decoding: MessagePackValue.array(["run_id", "", "fifteen_bytes__"]).encoded())
        #expect(decoded == ["run_id", "", "fifteen_bytes__"])
        let texts = try #require(decoded.arrayValue).compactMap(\.stringValue)
        #expect(texts.joined(separator: ",") == "run_id,,fifteen_bytes__")
        #expect(Set(texts + ["run_id"]).count == 3)
        #expect(texts.map { $0.uppercased() } == ["RUN_ID", "", "FIFTEEN_BYTES__"])
    }

    @Test("a value read out of a decoded document outlives the document's root")
    func childOutlivesRoot() throws {
        var params: MessagePackValue?
        do {
            let root = try MessagePackValue(decoding: Samples.runManifest.encoded())
            params = root["params"]
        }
        let read = try #require(params)
        #expect(read == Samples.runManifest["params"])
        #expect(read["optimizer"]?.stringValue == "adam")
        #expect(read.encoded() == Samples.runManifest["params"]?.encoded())
    }

    @Test("large and deep documents: more nodes than the stack scratch holds")
    func largeDocuments() throws {
        let wide = MessagePackValue.array((0 ..< 20_000).map { .string("element \($0)") })
        let decodedWide = try MessagePackValue(decoding: wide.encoded())
        #expect(decodedWide == wide)
        #expect(decodedWide[19_999]?.stringValue == "element 19999")

        var deep: MessagePackValue = "bottom"
        for level in 0 ..< 500 { deep = ["level": .int(Int64(level)), "next": deep] }
        let decodedDeep = try MessagePackValue(decoding: deep.encoded())
        #expect(decodedDeep == deep)
        var cursor = decodedDeep
        while let next = cursor["next"] { cursor = next }
        #expect(cursor == "bottom")
    }

    @Test("nested counts that together claim more values than the bytes can hold are refused before anything is allocated")
    func nestedClaimsExceedBytes() {
        // An array of 15 whose first element is an array of 200 nils: that count alone fits in
        // the bytes after it, but not beside the 14 elements still due.
        let bytes: [UInt8] = [0x9f, 0xdc, 0x00, 200] + Array(repeating: 0xc0, count: 200)
        #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: bytes) }
        do {
            _ = try MessagePackValue(decoding: bytes)
        } catch {
            #expect(error.code == .countExceedsRemaining)
            #expect(error.offset == 1)
        }
    }

    @Test("values read one after another from a stream are independent documents")
    func stream() throws {
        let records: [MessagePackValue] = [["a": 1], "loose str", ["b": [2, 3]], 4]
        let bytes = records.flatMap { $0.encoded() }
        var read: [MessagePackValue] = []
        try bytes.withUnsafeBytes { buffer in
            var reader = MessagePackReader(buffer)
            while !reader.isAtEnd { read.append(try reader.readValue()) }
        }
        #expect(read == records)
    }

    @Test("built maps and arrays: literals, sequences and the collection API")
    func builtCollections() {
        let map: MessagePackMap = ["lr": 0.001, "layers": 4, 7: "seven"]
        #expect(map.count == 3)
        #expect(map["layers"] == 4)
        #expect(map["missing"] == nil)
        #expect(map.firstIndex(ofStringKey: "layers") == 1)
        #expect(map.key(at: 2) == 7)
        #expect(map.value(at: 2) == "seven")
        #expect(Array(map.keys) == ["lr", "layers", 7])
        #expect(MessagePackMap(map.reversed()).key(at: 0) == 7)
        let array = MessagePackArray([1, 2, 3].map { MessagePackValue.int($0) })
        #expect(array == [1, 2, 3])
        #expect(MessagePackValue.array(array) == [1, 2, 3])
        #expect(MessagePackValue.array([MessagePackValue]()) == .array(MessagePackArray()))
        #expect(MessagePackValue.map([(key: "k", value: 1)]) == ["k": 1])
    }
}
