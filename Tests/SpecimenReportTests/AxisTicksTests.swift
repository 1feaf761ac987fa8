import Foundation
import Testing
@testable import SpecimenReport

@Suite("Nice axis ticks")
struct AxisTicksTests {
    /// Whether `step` is 1, 2 or 5 times a power of ten.
    static func isNice(_ step: Double) -> Bool {
        let exponent = floor(log10(step))
        let mantissa = step / pow(10, exponent)
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }
    }

    @Test("linear: 1-2-5 steps covering the range, readable labels", arguments: [
        (0.0, 1.0), (1e-12, 1e12), (5.0, 5.0), (0.0, 0.0), (-3.0, 7.0), (-1e-9, 1e-9), (0.1, 0.3),
        (1e300, 1.7e308), (-1.7e308, 1.7e308), (-Double.infinity, Double.infinity), (123_456.7, 123_456.9), (-5.0, -4.99),
    ])
    func linear(low: Double, high: Double) {
        let ticks = AxisTicks.linear(low, high, target: 5)
        let values = ticks.values
        #expect(values.count >= 2 && values.count <= 12, "\(values)")
        #expect(values == values.sorted() && Set(values).count == values.count)
        #expect(values.allSatisfy { $0.isFinite })
        if low.isFinite && high.isFinite {
            #expect(ticks.lower <= low && ticks.upper >= high)
        }
        let steps = zip(values.dropFirst(), values).map { $0 / 2 - $1 / 2 }
        let step = steps[0] * 2
        #expect(Self.isNice(step), "step \(step)")
        for other in steps { #expect(abs(other * 2 - step) <= step * 1e-6) }
        let labels = NumberText.labels(values)
        #expect(Set(labels).count == labels.count, "labels \(labels)")
        #expect(labels.allSatisfy { $0.count <= 9 }, "labels \(labels)")
    }

    @Test("linear: 0.1 … 0.3 has clean decimal ticks")
    func cleanDecimals() {
        let labels = NumberText.labels(AxisTicks.linear(0.1, 0.3, target: 5).values)
        #expect(labels == ["0.1", "0.15", "0.2", "0.25", "0.3"])
        #expect(AxisTicks.linear(-3, 7, target: 5).values == [-4, -2, 0, 2, 4, 6, 8])
    }

    @Test("log: whole decades, thinned on wide ranges, 1-2-5 on narrow ones", arguments: [
        (1e-12, 1e12), (2.0, 8.0), (3.0, 3.0), (0.001, 1000.0), (1e-300, 1e300), (Double.leastNonzeroMagnitude, 1.0),
    ])
    func log(low: Double, high: Double) {
        let ticks = AxisTicks.log(low, high)
        let values = ticks.values
        #expect(values.count >= 2 && values.count <= 12, "\(values)")
        #expect(values == values.sorted() && values.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(ticks.lower <= max(low, Double.leastNormalMagnitude) && ticks.upper >= high)
        for value in values { #expect(Self.isNice(value), "\(value)") }
    }

    @Test("log: 1e-12 … 1e12 shows every third decade; 2 … 8 shows 1, 2, 5, 10")
    func logShapes() {
        let wide = AxisTicks.log(1e-12, 1e12).values.map { log10($0).rounded() }
        #expect(wide == [-12, -9, -6, -3, 0, 3, 6, 9, 12])
        #expect(AxisTicks.log(2, 8).values == [1, 2, 5, 10])
        #expect(AxisTicks.log(3, 3).values == [1, 2, 5, 10])
        #expect(AxisTicks.log(1, 1).values == [0.1, 0.2, 0.5, 1, 2, 5, 10])
    }
}
