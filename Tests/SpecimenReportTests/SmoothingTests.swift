import Foundation
import Testing
@testable import SpecimenReport

@Suite("EMA smoothing with TensorBoard's bias correction")
struct SmoothingTests {
    /// The reference: the closed form of the debiased EMA, Σ (1-w) w^(n-i) y_i / (1 - w^n),
    /// over the finite values so far (not the recursion the code uses).
    static func reference(_ values: [Double], weight w: Double) -> [Double] {
        var finite: [Double] = []
        return values.map { value in
            guard value.isFinite else { return value }
            finite.append(value)
            let n = finite.count
            var sum = 0.0
            for (i, y) in finite.enumerated() { sum += (1 - w) * pow(w, Double(n - 1 - i)) * y }
            return sum / (1 - pow(w, Double(n)))
        }
    }

    @Test("matches the closed form", arguments: [0.0, 0.3, 0.6, 0.9, 0.99])
    func matchesReference(weight: Double) {
        let values = DownsamplerTests.walk(300, seed: 4)
        let smoothed = Smoothing.ema(values, weight: weight)
        let expected = weight == 0 ? values : Self.reference(values, weight: weight)
        for (a, b) in zip(smoothed, expected) { #expect(abs(a - b) <= 1e-9 * max(1, abs(b))) }
    }

    @Test("known values: [1, 2, 3] at 0.5 give 1, 5/3, 17/7")
    func knownValues() {
        let smoothed = Smoothing.ema([1, 2, 3], weight: 0.5)
        #expect(abs(smoothed[0] - 1) < 1e-12 && abs(smoothed[1] - 5.0 / 3) < 1e-12 && abs(smoothed[2] - 17.0 / 7) < 1e-12)
    }

    @Test("the first point is not pulled to zero; NaN and infinities pass through; a constant series is unchanged")
    func edges() {
        #expect(Smoothing.ema([100, 100.5], weight: 0.9)[0] == 100)
        let mixed = Smoothing.ema([1, .nan, 3, .infinity, 5], weight: 0.5)
        #expect(mixed[1].isNaN && mixed[3] == .infinity)
        #expect(abs(mixed[2] - Self.reference([1, 3], weight: 0.5)[1]) < 1e-12)
        #expect(Smoothing.ema([4, 4, 4], weight: 0.7) == [4, 4, 4])
    }
}
