import Foundation
import Parquet
import Specimens

/// The lines of one frame of `specimen view --follow` on a terminal, each fitted to `width`
/// columns: a title, then per specimen its followed runs (status, elapsed, rows, rows per
/// second) and under each run its metrics (last value and sparkline).
///
/// ```
/// rosenbrock  14:02:11 UTC  every 1s  Ctrl-C ends
///
///   20261204_140150  running      21s   2100 rows  100.0/s
///     loss        0.00123  ▇▆▅▄▃▂▂▁▁▁
/// ```
struct FollowBoard {
    let width: Int
    let height: Int
    private(set) var lines: [String] = []

    init(width: Int, height: Int) {
        self.width = Swift.max(20, width)
        self.height = height
    }

    /// The first line: what is watched, the time (UTC), and how to end.
    mutating func header(_ title: String, interval: Double) {
        let clock = RunText.time(Date()).split(separator: " ").last.map(String.init) ?? ""
        let every = interval == interval.rounded() ? "\(Int(interval))s" : String(format: "%.2gs", interval)
        add(RunText.bold(title), plain: title, then: "  \(clock) UTC  every \(every)  Ctrl-C ends")
    }

    /// One specimen's followed runs; `showName` adds a line naming it (`--all`).
    /// With `showName` (`--all`), a specimen without followed runs is left out.
    mutating func specimen(_ watch: RunWatch, showName: Bool, rates: inout FollowRates) {
        let followed = watch.followed.compactMap { watch.info($0) }
        if showName && followed.isEmpty { return }
        lines.append("")
        if showName { add(RunText.bold(watch.specimen.name), plain: watch.specimen.name, then: "  \(watch.runs.count) runs") }
        if followed.isEmpty {
            let latest = watch.runs.last.map { "; latest \($0.id) \($0.state.name)" } ?? ""
            add("  no run running\(latest); waiting for one")
            return
        }
        for info in followed { run(info, watch, rates: &rates) }
    }

    /// The line shown under `--all` when no specimen has a run to follow.
    mutating func nothingRunning(_ root: String) {
        lines.append("")
        add("  no run running under \(root); waiting for one")
    }

    private mutating func run(_ info: RunInfo, _ watch: RunWatch, rates: inout FollowRates) {
        let rows = info.rows ?? 0
        let rate = info.state == .running ? rates.rate(watch.specimen.name + "/" + info.id.rawValue, rows: rows) : nil
        let rateText = rate.map { String(format: "%.1f/s", $0) } ?? ""
        let elapsed = RunText.duration(info.duration)
        let prefix = "  " + info.id.rawValue + "  "
        let statusWidth = 11
        let rest = "  " + pad(elapsed, 6) + "  " + pad("\(rows) rows", 10) + "  " + rateText
        add(prefix + RunText.status(info.state, width: statusWidth) + rest,
            plain: prefix + pad(info.state.name, statusWidth, left: true) + rest)
        let summaries = FollowedSpecimens.summary(info, watch)
        let table = watch.metrics(info.id)
        let nameWidth = Swift.min(16, summaries.map(\.name.count).max() ?? 0)
        let sparkWidth = Swift.max(8, Swift.min(40, width - nameWidth - 20))
        for column in summaries {
            let name = column.name.count > nameWidth ? String(column.name.prefix(nameWidth - 1)) + "…" : column.name
            let history = table?[column.name].map(MetricSummaries.numbers) ?? []
            add("    " + pad(name, nameWidth, left: true) + "  " + pad(RunText.number(column.last), 10) + "  " + RunText.sparkline(history, width: sparkWidth))
        }
    }

    /// Adds a line; `styled` may hold colour codes, `plain` is the same text without them
    /// (used when the line must be cut to the width).
    private mutating func add(_ styled: String, plain: String? = nil, then tail: String = "") {
        let plainText = (plain ?? styled) + tail
        if plainText.count <= width {
            lines.append(styled + tail)
        } else {
            lines.append(String(plainText.prefix(width - 1)) + "…")
        }
    }

    private func pad(_ text: String, _ count: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: Swift.max(0, count - text.count))
        return left ? text + fill : fill + text
    }
}
