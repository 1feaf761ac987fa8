import Foundation
import InteropSupport
import MessagePack
import Testing
@testable import Specimens

/// Every query's answer equals the reference evaluation over the manifests, on seeded random
/// specimens, with and without the catalog.
@Suite struct RunQuerySemanticsTests {
    static let fields: [RunField] = RunField.topLevel.map(\.field)
        + SyntheticRuns.paramKeys.map { .param([$0]) }
        + [.param(["opt", "name"]), .param(["opt", "lr"]), .param(["opt", "betas"]), .param(["opt", "betas", "b1"]), .param(["absent"])]
        + ["loss", "acc", "absent"].flatMap { name in RunField.MetricStatistic.allCases.map { RunField.metric(name, $0) } }

    static let literals: [RunValue] = [
        .int(0), .int(1), .int(2), .int(3), .int(-1), .double(0.1), .double(0.3), .double(1e-3), .double(1e-2), .double(1.25), .double(2),
        .double(.nan), .string("completed"), .string("failed"), .string("crashed"), .string("interrupted"), .string("resnet"),
        .string("1"), .string("adam"), .string("alpha"), .string("baseline"), .string("a1b2c3"), .string("ba"), .string(""),
        .string("x"), .bool(true), .bool(false), .null, .date(microseconds: 1_793_491_200_000_000),
        .date(microseconds: 1_793_491_200_000_000 + 90 * 60_000_000), .date(microseconds: 1_793_491_200_000_000 - 86_400_000_000),
    ]

    static func randomFilter(_ g: inout SeededGenerator, depth: Int) -> RunFilter {
        let field = fields.randomElement(using: &g)!
        func literal() -> RunValue { literals.randomElement(using: &g)! }
        switch Int.random(in: 0 ..< (depth > 0 ? 9 : 6), using: &g) {
        case 0, 1, 2: return .compare(field, RunComparison.allCases.randomElement(using: &g)!, literal())
        case 3: return .isIn(field, (0 ..< Int.random(in: 0 ... 3, using: &g)).map { _ in literal() })
        case 4: return .contains(field, literal())
        case 5: return .exists(field)
        case 6: return .and(randomFilter(&g, depth: depth - 1), randomFilter(&g, depth: depth - 1))
        case 7: return .or(randomFilter(&g, depth: depth - 1), randomFilter(&g, depth: depth - 1))
        default: return .not(randomFilter(&g, depth: depth - 1))
        }
    }

    static func manifests(_ specimen: String) throws -> [(id: String, manifest: MessagePackValue)] {
        try FileManager.default.contentsOfDirectory(atPath: specimen + "/runs").filter { !$0.hasPrefix(".") }.sorted().map { id in
            (id, try MessagePackValue(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(specimen)/runs/\(id)/manifest.msgpack")))))
        }
    }

    @Test(arguments: [UInt64(0x13_0001), 0x13_0002])
    func randomQueriesMatchTheReference(seed: UInt64) throws {
        let folder = try TemporaryFolder()
        let path = try SyntheticRuns.randomSpecimen(in: folder.path, name: "random", count: 240, seed: seed)
        let specimen = try Specimen(at: path)
        let manifests = try Self.manifests(path)
        var g = SeededGenerator(seed: seed ^ 0xabcdef)
        var nonEmpty = 0, partial = 0
        for iteration in 0 ..< 300 {
            let filter = Self.randomFilter(&g, depth: Int.random(in: 0 ... 3, using: &g))
            let sort = (0 ..< Int.random(in: 0 ... 2, using: &g)).map { _ in
                RunSortKey(Self.fields.randomElement(using: &g)!, descending: Bool.random(using: &g))
            }
            let limit = Int.random(in: 0 ..< 3, using: &g) == 0 ? Int.random(in: 0 ... 30, using: &g) : nil
            let query = RunQuery(filter: filter, sort: sort, limit: limit)
            let expected = ReferenceEvaluator.answer(query, manifests)
            let got = try specimen.select(query).runs.map(\.id.rawValue)
            #expect(got == expected, "query \(iteration): \(filter) sort \(sort) limit \(String(describing: limit))")
            if iteration % 25 == 0 {
                #expect(try specimen.select(query, catalog: .bypass).runs.map(\.id.rawValue) == expected, "bypass: \(filter)")
            }
            if !filter.containsNaN {
                #expect(try RunFilter(filter.description) == filter, "\(filter)")
            }
            if !expected.isEmpty { nonEmpty += 1 }
            if !expected.isEmpty && expected.count < manifests.count { partial += 1 }
        }
        // The random queries must be discriminating, or the comparison proves little.
        #expect(nonEmpty > 60 && partial > 60, "non-empty \(nonEmpty), partial \(partial)")
    }

    @Test func sortingWithTiesAndMissingKeys() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/ties"
        let values: [MessagePackValue?] = [.int(2), nil, .float64(1.5), .int(2), .float64(.nan), .string("b"), .int(1), nil, .nil, .bool(true), .string("a")]
        for (index, value) in values.enumerated() {
            let params: MessagePackValue = value.map { ["x": $0] } ?? .map([])
            try SyntheticRuns.write(path, id: SyntheticRuns.id(index), started: 1_793_491_200_000_000 + Int64(index), ended: 1_793_491_300_000_000, params: params)
        }
        let specimen = try Specimen(at: path)
        func order(_ sort: String) throws -> [Int] {
            try specimen.runs(where: nil, sort: [sort]).map { info in (0 ..< values.count).first { SyntheticRuns.id($0) == info.id.rawValue }! }
        }
        // numbers (ties in run order), then strings, then bools; missing, null and NaN last in run order.
        #expect(try order("params.x") == [6, 2, 0, 3, 10, 5, 9, 1, 4, 7, 8])
        #expect(try order("params.x:desc") == [9, 5, 10, 0, 3, 2, 6, 1, 4, 7, 8])
        #expect(try specimen.runs(where: "exists params.x", sort: ["params.x:desc", "id:desc"], limit: 3).map(\.id.rawValue)
                == [9, 5, 10].map(SyntheticRuns.id))
        #expect(try specimen.runs(where: "params.x == 2", sort: ["params.x", "id:desc"]).map(\.id.rawValue) == [3, 0].map(SyntheticRuns.id))
    }

    @Test func missingFieldsAndNot() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/dropout"
        try SyntheticRuns.write(path, id: SyntheticRuns.id(0), started: 1, ended: 2, params: ["dropout": 0.5])
        try SyntheticRuns.write(path, id: SyntheticRuns.id(1), started: 1, ended: 2, params: ["dropout": 0.1])
        try SyntheticRuns.write(path, id: SyntheticRuns.id(2), started: 1, ended: 2, params: ["other": 1])
        try SyntheticRuns.write(path, id: SyntheticRuns.id(3), started: 1, ended: 2, params: ["dropout": "high"])
        let specimen = try Specimen(at: path)
        func ids(_ expression: String) throws -> [String] { try specimen.runs(where: expression).map(\.id.rawValue) }
        #expect(try ids("params.dropout > 0.2") == [SyntheticRuns.id(0)])
        #expect(try ids("not (params.dropout > 0.2)") == [1, 2, 3].map(SyntheticRuns.id))
        #expect(try ids("params.dropout != 0.5") == [1, 3].map(SyntheticRuns.id))
        #expect(try ids("params.dropout == '0.5'") == [])
        #expect(try ids("exists params.dropout and not exists params.other") == [0, 1, 3].map(SyntheticRuns.id))
        #expect(try ids("params.unknown == 1 or metrics.nothing.last < 3") == [])
    }
}

extension RunFilter {
    /// Whether a literal is NaN (which no expression can write).
    var containsNaN: Bool {
        func nan(_ v: RunValue) -> Bool { if case .double(let d) = v { return d.isNaN }; return false }
        switch self {
        case let .compare(_, _, v), let .contains(_, v): return nan(v)
        case let .isIn(_, vs): return vs.contains(where: nan)
        case .exists: return false
        case let .and(a, b), let .or(a, b): return a.containsNaN || b.containsNaN
        case let .not(a): return a.containsNaN
        }
    }
}
