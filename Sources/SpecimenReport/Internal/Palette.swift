/// The colours of a report.
///
/// Runs take Paul Tol's "muted" qualitative scheme (nine colours, readable by people with the
/// common forms of colour blindness) plus grey, by their position oldest first, so a run has
/// the same colour in every chart, the legend and the table. Parallel coordinates colour runs
/// by a metric on the "viridis" sequential scale, which is also colour-blind safe.
enum Palette {
    /// The run colours, as CSS hex.
    static let runs = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499", "#7F7F7F"]

    /// The colour of the run at `index`.
    static func run(_ index: Int) -> String { runs[index % runs.count] }

    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]

    /// The viridis colour at `t` in 0…1 (clamped; NaN gives grey).
    static func sequential(_ t: Double) -> String {
        guard t.isFinite else { return "#7F7F7F" }
        let t = min(1, max(0, t)) * Double(viridis.count - 1)
        let index = min(viridis.count - 2, Int(t))
        let f = t - Double(index)
        let (a, b) = (viridis[index], viridis[index + 1])
        func channel(_ x: Double, _ y: Double) -> String {
            let value = Int((x + (y - x) * f).rounded())
            let hex = String(min(255, max(0, value)), radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }
}
