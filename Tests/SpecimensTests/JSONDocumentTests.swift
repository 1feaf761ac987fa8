import Foundation
import MessagePack
import InteropSupport
import Testing
import Specimens

@Suite("--json documents: the encoder and the versioned Codable types")
struct JSONDocumentTests {
    private struct Sample: Encodable {
        var zeta = 1
        var alpha: Double? = nil
        var omitted: String? = nil
        var nested = [[UInt64.max], []]
        var values: [Double] = [.nan, 0.1, 1e-05, -0.0, 1e16]
        var float: Float = 0.1
        var bytes = Int64.min

        enum CodingKeys: String, CodingKey { case zeta, alpha, omitted, nested, values, float, bytes }

        func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(zeta, forKey: .zeta)
            try object.encode(alpha, forKey: .alpha)
            try object.encodeIfPresent(omitted, forKey: .omitted)
            try object.encode(nested, forKey: .nested)
            try object.encode(values, forKey: .values)
            try object.encode(float, forKey: .float)
            try object.encode(bytes, forKey: .bytes)
        }
    }

    @Test("keys keep the order they were encoded in; nil is null when encoded, absent when encoded if present")
    func encoderOrderAndNulls() throws {
        let text = try JSONDocumentEncoder(pretty: false).text(Sample())
        #expect(text == #"{"zeta":1,"alpha":null,"nested":[[18446744073709551615],[]],"values":[null,0.1,1e-05,-0.0,1e+16],"float":0.1,"bytes":-9223372036854775808}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed.count == 6)
    }

    @Test("pretty documents indent by two spaces and write `\"key\": value`")
    func pretty() throws {
        struct Point: Codable { var x: Int; var tags: [String] }
        #expect(try JSONDocumentEncoder().text(Point(x: 1, tags: ["a"])) == "{\n  \"x\": 1,\n  \"tags\": [\n    \"a\"\n  ]\n}")
        #expect(try JSONDocumentEncoder().text([String]()) == "[]")
    }

    @Test("every kind of MessagePack value reads back from its document form", arguments: [
        MessagePackValue.nil, true, 42, -7, .uint(UInt64.max), 0.5, 1e-300, .float64(.infinity), .float64(-.infinity), "text \"quoted\"\n",
        .binary([0, 1, 254, 255]), .timestamp(.init(seconds: 1_766_432_813, nanoseconds: 250_000_000)), .ext(type: 7, data: [1, 2, 3]),
        [1, "two", [3.5]], ["lr": 0.001], .map([(key: .int(1), value: .string("one")), (key: .string("b"), value: .array([.bool(true)]))]),
        ["nested": ["deeper": ["x": .nil]]],
    ])
    func documentValueRoundTrip(_ value: MessagePackValue) throws {
        let text = try JSONDocumentEncoder(pretty: false).text(DocumentValue(value))
        #expect(text == value.jsonText())
        let decoded = try JSONDecoder().decode(DocumentValue.self, from: Data(text.utf8))
        #expect(decoded.value == value, "\(text)")
    }

    @Test("NaN is written as \"NaN\" and reads back as NaN")
    func nanValue() throws {
        let text = try JSONDocumentEncoder(pretty: false).text(DocumentValue(.float64(.nan)))
        #expect(text == #""NaN""#)
        #expect(try JSONDecoder().decode(DocumentValue.self, from: Data(text.utf8)).value.doubleValue?.isNaN == true)
    }

    @Test("a damaged special form is a decoding error, not a trap")
    func damagedSpecialForms() {
        for text in [#"{"$binary":"!!"}"#, #"{"$timestamp":"yesterday"}"#, #"{"$ext":300,"data":""}"#, #"{"$map":[[1]]}"#] {
            #expect(throws: DecodingError.self, "\(text)") { try JSONDecoder().decode(DocumentValue.self, from: Data(text.utf8)) }
        }
    }

    /// (Object keys are sorted when a document is decoded, so the params here are in key order;
    /// non-finite metric values are written as null, so the metrics here are finite.)
    @Test("view, view --all and compare documents of a real specimen decode back to the same values")
    func documentsRoundTrip() throws {
        let folder = try TemporaryFolder()
        var ids: [RunID] = []
        for rate in [0.1, 0.01] {
            let storage = try SpecimenStorage(at: folder.file("sweep"), params: ["blob": .binary([1, 2]), "lr": .float64(rate), "name": "x"], options: testOptions())
            try storage.log(["loss": .double(1 / rate), "acc": .double(0.5)])
            try storage.log(["loss": .double(rate)])
            try storage.finish()
            ids.append(storage.runID)
        }
        let specimen = try Specimen(at: folder.file("sweep"))
        let infos = try ids.map { try specimen.runInfo($0) }

        let view = ViewDocument(specimen: specimen, runs: infos, chosen: infos.last, metrics: infos.last?.summary ?? [])
        let viewText = try JSONDocumentEncoder().text(view)
        #expect(viewText.hasPrefix("{\n  \"format\": \"specimen.view/1\",\n  \"specimen\": \"sweep\","))
        #expect(try JSONDecoder().decode(ViewDocument.self, from: Data(viewText.utf8)) == view)
        #expect(view.run?.metrics.contains { $0.name == "loss" && $0.last == 0.01 } == true)

        let all = ViewAllDocument(root: folder.path, specimens: [.init(name: "sweep", runs: 2, latest: infos.last.map(RunOverview.init), error: nil)])
        let allText = try JSONDocumentEncoder().text(all)
        #expect(try JSONDecoder().decode(ViewAllDocument.self, from: Data(allText.utf8)) == all)
        #expect(!allText.contains("following"))

        let params = CompareDocument.ParamRow.rows(infos)
        #expect(params.map(\.key) == ["blob", "lr", "name"])
        #expect(params.map(\.differs) == [false, true, false])
        let compare = CompareDocument(specimen: specimen, runs: infos, summaries: infos.map(\.summary), params: params, diffs: true)
        let compareText = try JSONDocumentEncoder().text(compare)
        #expect(try JSONDecoder().decode(CompareDocument.self, from: Data(compareText.utf8)) == compare)
        let loss = try #require(compare.metrics.first { $0.name == "loss" })
        #expect(loss.runs.map(\.changeLast) == [0, 0.01 - 0.1])
        #expect(compareText.contains(#""$binary": "AQI=""#))
    }
}
