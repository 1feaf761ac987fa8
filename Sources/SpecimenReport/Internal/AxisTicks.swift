import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten on a linear axis; whole decades
/// (every k-th when there are many, with 2 and 5 between when there are few) on a log axis.
/// The page's script has the same rules (`niceTicks`, `logTicks` in `PageScript`).
struct AxisTicks: Equatable {
    /// The axis range, widened to whole steps (linear) or decades (log).
    var lower: Double
    /// The upper end of the axis range.
    var upper: Double
    /// The tick values, ascending.
    var values: [Double]

    /// Ticks for the data range `low…high` on a linear axis, about `target` of them. A single
    /// value gets a range around it; a range too wide for a `Double` is narrowed to one.
    static func linear(_ low: Double, _ high: Double, target: Int = 5) -> AxisTicks {
        var low = low.isFinite ? low : (low < 0 ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude)
        var high = high.isFinite ? high : (high < 0 ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude)
        if low > high { swap(&low, &high) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        // Half-values keep the span finite for ranges near ±Double.greatestFiniteMagnitude.
        let halfSpan = high / 2 - low / 2
        let raw = halfSpan * 2 / Double(max(1, target))
        let step = niceStep(raw.isFinite ? raw : halfSpan / Double(max(1, target)) * 2)
        guard step.isFinite, step > 0 else { return AxisTicks(lower: low, upper: high, values: [low, high]) }
        var first = (low / step).rounded(.down)
        var last = (high / step).rounded(.up)
        if !(first * step).isFinite { first += 1 }
        if !(last * step).isFinite { last -= 1 }
        var values: [Double] = []
        var index = first
        while index <= last && values.count < 50 {
            let value = index * step
            values.append(value == 0 ? 0 : cleaned(value, step: step))
            index += 1
        }
        return AxisTicks(lower: min(values.first ?? low, low), upper: max(values.last ?? high, high), values: values)
    }

    /// Ticks for `low…high` (both > 0) on a log axis.
    static func log(_ low: Double, _ high: Double) -> AxisTicks {
        var low = max(low, Double.leastNormalMagnitude), high = max(high, Double.leastNormalMagnitude)
        if low > high { swap(&low, &high) }
        var first = floor(log10(low)), last = ceil(log10(high))
        if first == last { first -= 1; last += 1 }
        let decades = Int(last - first)
        var values: [Double] = []
        if decades <= 2 {
            var exponent = first
            while exponent <= last {
                for factor in [1.0, 2, 5] {
                    let value = factor * pow(10, exponent)
                    if value >= pow(10, first) && value <= pow(10, last) { values.append(value) }
                }
                exponent += 1
            }
        } else {
            let every = Double(max(1, Int((Double(decades) / 8).rounded(.up))))
            first = (first / every).rounded(.down) * every
            last = (last / every).rounded(.up) * every
            var exponent = first
            while exponent <= last {
                values.append(pow(10, exponent))
                exponent += every
            }
        }
        return AxisTicks(lower: pow(10, first), upper: pow(10, last), values: values)
    }

    /// 1, 2 or 5 × 10^k, the smallest such at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let residual = raw / magnitude
        let factor: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        return factor * magnitude
    }

    /// `value` with the float noise of `index * step` removed (0.30000000000000004 → 0.3).
    private static func cleaned(_ value: Double, step: Double) -> Double {
        let decimals = max(0, -Int(floor(log10(step))))
        guard decimals > 0, decimals < 300 else { return value }
        let text = String(format: "%.\(decimals)f", value)
        return Double(text) ?? value
    }
}
