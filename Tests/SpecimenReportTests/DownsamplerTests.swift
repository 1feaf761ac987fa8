import Foundation
import Testing
@testable import SpecimenReport

@Suite("Downsampling keeps a series' shape")
struct DownsamplerTests {
    /// A seeded random walk with spikes, so extremes fall anywhere.
    static func walk(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        var value = 0.0
        return (0 ..< count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Double(state >> 11) / Double(1 << 53)
            value += r - 0.5
            return state % 97 == 0 ? value * 50 : value
        }
    }

    @Test("endpoints, the overall min and max, and each bucket's min and max are kept", arguments: [
        (10, 100), (1_000, 24), (10_000, 50), (10_000, 1_200), (12_345, 101), (3, 3), (5, 4),
    ])
    func keepsExtremes(count: Int, budget: Int) {
        for seed in [1, 2, 3] as [UInt64] {
            let values = Self.walk(count, seed: seed)
            let kept = Downsampler.select(values, budget: budget)
            #expect(kept.first == 0 && kept.last == count - 1)
            #expect(kept == kept.sorted() && Set(kept).count == kept.count, "ascending and distinct")
            #expect(kept.count <= max(budget, 4))
            #expect(kept.contains(values.indices.min { values[$0] < values[$1] }!))
            #expect(kept.contains(values.indices.max { values[$0] < values[$1] }!))
            if count <= max(budget, 4) { #expect(kept == Array(0 ..< count)) }
        }
    }

    @Test("a constant series and a two-point series")
    func degenerate() {
        #expect(Downsampler.select([], budget: 10) == [])
        #expect(Downsampler.select([7], budget: 10) == [0])
        let flat = Downsampler.select(Array(repeating: 1.0, count: 1_000), budget: 20)
        #expect(flat.first == 0 && flat.last == 999 && flat.count <= 20)
    }

    @Test("in a report, every run's last, min and max stay exact and the page says how many points were drawn")
    func exactSummaries() throws {
        let fixtures = try ReportFixtures()
        let path = fixtures.path("long")
        let storage = try Specimens.SpecimenStorage(at: path, options: ReportFixtures.options)
        let values = Self.walk(10_000, seed: 9)
        for (step, value) in values.enumerated() { try storage.log(step: step, ["walk": .double(value)]) }
        try storage.finish()
        var options = ReportOptions()
        options.pointBudget = 100
        let specimen = try Specimens.Specimen(at: path)
        let model = ReportModel.load(specimen, try specimen.runInfos(), options: options)
        let series = try #require(model.runs.first?.series("walk"))
        #expect(series.last == values.last && series.min == values.min() && series.max == values.max())
        #expect(series.finiteCount == 10_000 && series.values.count <= 100 && series.isDownsampled)
        let html = String(decoding: SpecimenReport(specimen: specimen, runInfos: try specimen.runInfos(), options: options).render().html, as: UTF8.self)
        #expect(html.contains("10000 points, \(series.values.count) drawn"))
    }
}

import Specimens
