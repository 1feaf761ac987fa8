#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Specimens

/// How runs' times, durations, numbers and statuses read in human output.
enum RunText {
    /// `2025-12-22 19:46:53` (UTC), or `-` when unknown.
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// ISO 8601 UTC with `Z` and milliseconds, for JSON; nil when unknown.
    static func iso(_ date: Date?) -> String? { RunOverview.isoText(date) }

    /// `0.4s`, `12.3s`, `4m05s`, `2h03m`, or `-` when unknown.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 60 { return seconds < 10 ? String(format: "%.1fs", seconds) : "\(Int(seconds))s" }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60)m" + String(format: "%02ds", whole % 60) }
        return "\(whole / 3600)h" + String(format: "%02dm", whole / 60 % 60)
    }

    /// A number in at most about ten characters: integers exact, others to six significant digits.
    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if !value.isFinite { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// The change from `base` to `value`: `+1.5 (+12.0%)`, or `-` when either is unknown.
    static func change(from base: Double?, to value: Double?) -> String {
        guard let base, let value else { return "-" }
        let delta = value - base
        var text = (delta >= 0 ? "+" : "") + number(delta)
        if base != 0, base.isFinite, value.isFinite {
            let percent = delta / abs(base) * 100
            text += abs(percent) < 1000 ? String(format: " (%+.1f%%)", percent) : String(format: " (x%.3g)", value / base)
        }
        return text
    }

    /// Eight-level bars for `values`, resampled to at most `width` characters; on a log scale
    /// when the values are positive and span more than three decades.
    static func sparkline(_ values: [Double], width: Int = 24) -> String {
        var finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max(), !finite.isEmpty else { return "" }
        if low > 0, high / low > 1000 {   // spans decades (a loss): bars on a log scale
            finite = finite.map { log10($0) }
            low = log10(low)
            high = log10(high)
        }
        let bars = Array("▁▂▃▄▅▆▇█")
        let count = min(width, finite.count)
        var text = ""
        for slot in 0 ..< count {
            let from = slot * finite.count / count, to = max(from + 1, (slot + 1) * finite.count / count)
            let mean = finite[from ..< to].reduce(0, +) / Double(to - from)
            let level = high > low ? Int(((mean - low) / (high - low) * 7).rounded()) : 3
            text.append(bars[max(0, min(7, level))])
        }
        return text
    }

    /// The state's name, coloured on a terminal: green completed, red failed/crashed/damaged,
    /// yellow interrupted, cyan running. `width` pads before colouring so columns stay aligned.
    static func status(_ state: RunState, width: Int = 0) -> String {
        let name = state.name
        let padded = name + String(repeating: " ", count: max(0, width - name.count))
        guard Terminal.useColor else { return padded }
        let code: String
        switch state {
        case .running: code = "36"
        case .sealed(.completed): code = "32"
        case .sealed(.interrupted): code = "33"
        default: code = "31"
        }
        return "\u{1B}[\(code)m\(name)\u{1B}[0m" + String(repeating: " ", count: max(0, width - name.count))
    }

    /// Bold on a terminal.
    static func bold(_ text: String) -> String {
        Terminal.useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}
