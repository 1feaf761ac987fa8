import MessagePack
import InteropSupport
import Testing

@Suite("MessagePackValue: equality, hashing, accessors, literals")
struct ValueTests {
    @Test("an .int and a .uint of the same number are equal and hash alike")
    func integerEquality() {
        #expect(MessagePackValue.int(5) == .uint(5))
        #expect(MessagePackValue.uint(5) == .int(5))
        #expect(MessagePackValue.int(-1) != .uint(UInt64.max))
        #expect(MessagePackValue.int(.max) == .uint(UInt64(Int64.max)))
        #expect(Set<MessagePackValue>([.int(5), .uint(5), .int(-5), .uint(.max)]).count == 3)
        #expect(MessagePackValue.int(1) != .float64(1))
    }

    @Test("floats compare by number, NaN equals NaN, widths stay apart")
    func floatEquality() {
        #expect(MessagePackValue.float64(.nan) == .float64(.nan))
        #expect(MessagePackValue.float64(0) == .float64(-0.0))
        #expect(MessagePackValue.float32(1.5) != .float64(1.5))
        #expect(Set<MessagePackValue>([.float64(.nan), .float64(-.nan), .float64(0), .float64(-0.0), .float32(0)]).count == 3)
    }

    @Test("maps compare pair by pair, in order")
    func mapEquality() {
        let ab: MessagePackValue = ["a": 1, "b": 2]
        let ba: MessagePackValue = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == ["a": 1, "b": 2])
        #expect(ab != ["a": 1])
        #expect(ab.hashValue == MessagePackValue.map([(key: "a", value: .uint(1)), (key: "b", value: .uint(2))]).hashValue)
        #expect(MessagePackValue.ext(type: 1, data: [1]) != .ext(type: 2, data: [1]))
        #expect(MessagePackValue.timestamp(.init(seconds: 1)) != .ext(type: -1, data: [0, 0, 0, 1]))
        #expect(MessagePackValue.string("1") != .binary([0x31]))
    }

    @Test("accessors read the value of their kind and nil for others")
    func accessors() {
        let value = Samples.runManifest
        #expect(value["format"]?.stringValue == "specimen.run/1")
        #expect(value["params"]?["lr"]?.doubleValue == 0.001)
        #expect(value["params"]?["batch_size"]?.intValue == 128)
        #expect(value["params"]?["batch_size"]?.doubleValue == 128)
        #expect(value["params"]?["augment"]?.boolValue == true)
        #expect(value["tags"]?[1]?.stringValue == "cpu")
        #expect(value["tags"]?[3] == nil)
        #expect(value["tags"]?[-1] == nil)
        #expect(value["tags"]?.arrayValue?.count == 3)
        #expect(value["tags"]?.count == 3)
        #expect(value["files"]?.mapValue?.map(\.key) == ["metrics.parquet", "model.pt"])
        #expect(value["missing"] == nil)
        #expect(value["format"]?["x"] == nil)
        #expect(value.count == 16)
        #expect(MessagePackValue.nil.isNil && !MessagePackValue.int(0).isNil)
        #expect(MessagePackValue.uint(.max).intValue == nil)
        #expect(MessagePackValue.uint(.max).uintValue == .max)
        #expect(MessagePackValue.int(-1).uintValue == nil)
        #expect(MessagePackValue.float32(0.5).doubleValue == 0.5)
        #expect(MessagePackValue.string("x").doubleValue == nil)
        #expect(MessagePackValue.binary([1]).binaryValue == [1])
        #expect(MessagePackValue.ext(type: 3, data: [1]).extValue?.type == 3)
        #expect(MessagePackValue.timestamp(.init(seconds: 9)).timestampValue?.seconds == 9)
        #expect(MessagePackValue.int(1).count == nil)
        let odd: MessagePackValue = .map([(key: 1, value: "one"), (key: "1", value: "str")])
        #expect(odd[key: 1] == "one")
        #expect(odd["1"] == "str")
    }

    @Test("literals build the matching cases")
    func literals() {
        let value: MessagePackValue = [nil, true, 1, 1.5, "s", [1], ["k": "v"]]
        #expect(value == .array([.nil, .bool(true), .int(1), .float64(1.5), .string("s"), .array([.int(1)]),
                                 .map([(key: .string("k"), value: .string("v"))])]))
    }

    @Test("the description is compact and readable")
    func description() {
        let value: MessagePackValue = [
            "a": [1, -2, .uint(3), 1.5, .float32(2), nil, true],
            "b": .binary([1, 2, 255]), "c": .ext(type: 4, data: []), "d": .timestamp(.init(seconds: 0)), "e": [:],
            "f": "q\"uote",
        ]
        #expect(value.description == #"{"a": [1, -2, 3, 1.5, float32(2.0), nil, true], "b": bin(3 bytes: 01 02 ff), "c": ext(4, 0 bytes), "d": timestamp(1970-01-01T00:00:00Z), "e": [:], "f": "q\"uote"}"#)
        #expect(MessagePackValue.binary(filler(20)).description.hasSuffix(" …)"))
        #expect(value.debugDescription == value.description)
    }

    @Test("values are Sendable across tasks")
    func sendable() async {
        let value = Samples.runManifest
        let bytes = await Task.detached { value.encoded() }.value
        #expect(bytes == value.encoded())
    }
}
