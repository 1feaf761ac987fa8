import Foundation

/// The size of a metric chart (in SVG units) and the mapping of data onto it; the page's
/// script uses the same numbers (`W`, `H`, `ML`, … in `PageScript`).
struct ChartGeometry {
    static let width = 640.0, height = 240.0, left = 64.0, right = 12.0, top = 10.0, bottom = 30.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    var x: AxisTicks
    var y: AxisTicks

    /// The SVG x of data x `value` (half-values keep huge ranges finite).
    func px(_ value: Double) -> Double {
        let span = x.upper / 2 - x.lower / 2
        return Self.left + (span > 0 ? (value / 2 - x.lower / 2) / span : 0.5) * Self.plotWidth
    }

    /// The SVG y of data y `value`.
    func py(_ value: Double) -> Double {
        let span = y.upper / 2 - y.lower / 2
        return Self.top + Self.plotHeight - (span > 0 ? (value / 2 - y.lower / 2) / span : 0.5) * Self.plotHeight
    }

    /// The label of an x tick: a number, or a UTC date and time (`MM-dd HH:mm:ss`) on the time axis.
    static func xLabel(_ value: Double, axis: ReportAxis) -> String {
        guard axis == .time, value.isFinite, abs(value) < 1e11 else { return NumberText.compact(value) }
        return String(UTCText.format(value).dropFirst(5))   // yyyy-MM-dd HH:mm:ss → MM-dd HH:mm:ss
    }
}
