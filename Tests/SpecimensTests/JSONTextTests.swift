import Foundation
import MessagePack
import InteropSupport
import Testing
import Specimens

/// The JSON that `specimen cat FILE.msgpack` prints, from the CLI's own rendering code
/// (`Sources/specimen/Output`).
@Suite("JSON rendering for specimen cat")
struct JSONTests {
    @Test("each kind of value renders by issue 2's rules", arguments: [
        (MessagePackValue.nil, "null"),
        (true, "true"),
        (false, "false"),
        (0, "0"),
        (.int(.min), "-9223372036854775808"),
        (.int(.max), "9223372036854775807"),
        (.uint(.max), "18446744073709551615"),
        (0.1, "0.1"),
        (1.0, "1.0"),
        (-0.0, "-0.0"),
        (1e-05, "1e-05"),
        (1e16, "1e+16"),
        (.float64(.leastNonzeroMagnitude), "5e-324"),
        (.float64(.greatestFiniteMagnitude), "1.7976931348623157e+308"),
        (.float32(0.1), "0.1"),
        (.float32(0.5), "0.5"),
        (.float64(.nan), #""NaN""#),
        (.float64(.infinity), #""Infinity""#),
        (.float64(-.infinity), #""-Infinity""#),
        (.float32(.nan), #""NaN""#),
        (.float32(-.infinity), #""-Infinity""#),
        ("text", #""text""#),
        (.binary([]), #"{"$binary":""}"#),
        (.binary([0xfb, 0xff]), #"{"$binary":"+/8="}"#),
        (.binary(Array("Man".utf8)), #"{"$binary":"TWFu"}"#),
        (.binary(Array("Ma".utf8)), #"{"$binary":"TWE="}"#),
        (.binary(Array("M".utf8)), #"{"$binary":"TQ=="}"#),
        ([], "[]"),
        ([1, [2, nil]], "[1,[2,null]]"),
        ([:], "{}"),
        (["b": 1, "a": ["c": "d"]], #"{"b":1,"a":{"c":"d"}}"#),
        (.map([(key: 1, value: "one"), (key: "two", value: 2)]), #"{"$map":[[1,"one"],["two",2]]}"#),
        (.map([(key: .binary([1]), value: nil)]), #"{"$map":[[{"$binary":"AQ=="},null]]}"#),
        (.timestamp(.init(seconds: 0)), #"{"$timestamp":"1970-01-01T00:00:00Z"}"#),
        (.timestamp(.init(seconds: -1, nanoseconds: 500_000_000)), #"{"$timestamp":"1969-12-31T23:59:59.5Z"}"#),
        (.timestamp(.init(seconds: -62_167_305_600)), #"{"$timestamp":"-0001-12-31T00:00:00Z"}"#),
        (.timestamp(.init(seconds: 253_402_300_800, nanoseconds: 120)), #"{"$timestamp":"10000-01-01T00:00:00.00000012Z"}"#),
        (.ext(type: 5, data: [1, 2, 3]), #"{"$ext":5,"data":"AQID"}"#),
        (.ext(type: -128, data: []), #"{"$ext":-128,"data":""}"#),
    ] as [(MessagePackValue, String)])
    func renders(_ value: MessagePackValue, _ json: String) {
        #expect(value.jsonText() == json)
    }

    @Test("strings escape quotes, backslashes and control characters, and keep other text", arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
        ("\u{00}\u{01}\u{1F}\u{7F}", #""\u0000\u0001\u001f\#u{7F}""#),
        ("crlf\r\nend", #""crlf\r\nend""#),
        ("é✓🐢 / </script>", #""é✓🐢 / </script>""#),
        ("e\u{301}\n", #""é\n""#),
        ("", #""""#),
    ])
    func escaping(_ text: String, _ json: String) {
        #expect(MessagePackValue.string(text).jsonText() == json)
        // Keys escape the same way.
        #expect(MessagePackValue.map([(key: .string(text), value: 1)]).jsonText() == "{\(json):1}")
    }

    @Test("a timestamp of Int64.min seconds renders without overflowing")
    func int64MinTimestamp() {
        #expect(MessagePackValue.timestamp(.init(seconds: .min)).jsonText() == #"{"$timestamp":"-292277022657-01-27T08:29:52Z"}"#)
    }

    @Test("Foundation's JSON parser reads what we write, to the same values")
    func parsesBack() throws {
        let value = Samples.everyFamily
        let text = value.jsonText()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
        #expect(parsed.count == value.count)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(Samples.runManifest.jsonText().utf8)) as? [String: Any])
        #expect(manifest["notes"] as? String == Samples.runManifest["notes"]?.stringValue)
        #expect((manifest["params"] as? [String: Any])?["lr"] as? Double == 0.001)
        #expect(Samples.runManifest.jsonText().hasPrefix(#"{"format":"specimen.run/1","run_id":"20251222_194653","#))
    }

    @Test("doubles round-trip exactly through their text")
    func doublesRoundTrip() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0 ..< 2000 {
            let double = Double(bitPattern: generator.next())
            guard double.isFinite else { continue }
            let text = MessagePackValue.float64(double).jsonText()
            #expect(Double(text) == double, "\(text)")
            #expect(!text.contains("inf") && !text.contains("nan"))
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if float.isFinite { #expect(Float(MessagePackValue.float32(float).jsonText()) == float) }
        }
    }

    @Test("pretty output indents by two spaces")
    func pretty() {
        let value: MessagePackValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(value.jsonText(pretty: true) == """
        {
          "a": [
            1,
            2
          ],
          "b": {},
          "c": []
        }
        """)
    }

    @Test("JSONText writes non-finite numbers as null and builds documents by hand")
    func builder() {
        var json = JSONText()
        json.beginObject()
        json.key("x"); json.append(Double.nan)
        json.key("y"); json.append(Float.infinity)
        json.key("list"); json.beginArray(); json.append(UInt64(1)); json.append(Int64(-1)); json.appendBase64([0]); json.endArray()
        json.endObject()
        #expect(json.text == #"{"x":null,"y":null,"list":[1,-1,"AA=="]}"#)
        #expect(JSONText.base64(Array("any carnal pleasure.".utf8)) == "YW55IGNhcm5hbCBwbGVhc3VyZS4=")
        #expect(JSONText.base64((0 ... 255).map { UInt8($0) }) == Data((0 ... 255).map { UInt8($0) }).base64EncodedString())
    }
}
