import Dispatch
import Foundation
import MessagePack
import Specimens

/// Everything one report page shows, read once.
struct ReportModel {
    /// The specimen's name.
    var name: String
    /// `field_notes.md`, when there is one.
    var fieldNotes: String?
    /// The runs, oldest first.
    var runs: [RunModel]
    /// Numeric metrics, in first-seen order: one chart each.
    var metrics: [String]
    /// String, bool and other metrics, in first-seen order: listed in the table.
    var textMetrics: [String]
    /// The flattened params.
    var params: ParamColumns
    /// The x axis the page starts with.
    var axis: ReportAxis

    /// Reads `infos` of `specimen` (in parallel), each series downsampled to its share of
    /// `options.pointBudget`.
    static func load(_ specimen: Specimen, _ infos: [RunInfo], options: ReportOptions) -> ReportModel {
        // Series count is estimated from the manifests (unsealed runs count as 8 metrics).
        let seriesEstimate = infos.reduce(0) { total, info in
            total + (info.columns.isEmpty ? 8 : info.columns.filter { !["run_id", "step", "time"].contains($0.name) }.count)
        }
        let budget = min(1_200, max(24, options.pointBudget / max(1, seriesEstimate)))
        let slots = Slots<RunModel>(count: infos.count)
        // Reading is part CPU (decoding) and part waiting (file reads): a few more workers than
        // cores keep both busy. Each takes the next run from a shared counter.
        let workers = min(infos.count, max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        let next = Counter()
        let group = DispatchGroup()
        for _ in 0 ..< workers {
            group.enter()
            let thread = Thread {
                while let index = next.take(below: infos.count) {
                    slots.set(index, RunModel.load(specimen, infos[index], index: index, budget: budget, logLines: options.outputLogLines))
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let runs = slots.values.enumerated().map { $1 ?? RunModel(info: infos[$0], index: $0) }
        var metrics: [String] = [], textMetrics: [String] = []
        var seenMetrics = Set<String>(), seenText = Set<String>()
        for run in runs {
            for series in run.series where seenMetrics.insert(series.metric).inserted { metrics.append(series.metric) }
            for text in run.textMetrics where seenText.insert(text.name).inserted { textMetrics.append(text.name) }
        }
        textMetrics.removeAll { seenMetrics.contains($0) }
        let notesPath = specimen.path + "/field_notes.md"
        let notes = (try? Data(contentsOf: URL(fileURLWithPath: notesPath))).map { String(decoding: $0.prefix(1 << 20), as: UTF8.self) }
        return ReportModel(name: specimen.name, fieldNotes: notes, runs: runs, metrics: metrics, textMetrics: textMetrics,
                           params: ParamColumns(runs.map(\.info.params)), axis: options.axis)
    }

    /// How many runs have each status, in a fixed order.
    var statusCounts: [(status: String, count: Int)] {
        var counts: [String: Int] = [:]
        for run in runs { counts[run.info.status.rawValue, default: 0] += 1 }
        return ["completed", "failed", "interrupted", "crashed", "running", "damaged"].compactMap { status in
            counts[status].map { (status, $0) }
        }
    }
}

/// Params of every run flattened to `a.b` keys: which are the same in all runs, which vary.
struct ParamColumns {
    /// Keys in first-seen order.
    var keys: [String] = []
    /// Per run, key → value.
    var values: [[String: MessagePackValue]] = []
    /// Keys present in every run with one value (only when there are two runs or more).
    var same: [String] = []
    /// The other keys.
    var varying: [String] = []

    init(_ params: [MessagePackValue]) {
        var seen = Set<String>()
        for value in params {
            var flat: [String: MessagePackValue] = [:]
            ParamColumns.flatten(value, prefix: "", into: &flat, order: &keys, seen: &seen, depth: 0)
            values.append(flat)
        }
        for key in keys {
            let texts = values.map { $0[key].map(ParamColumns.text) }
            if values.count >= 2, texts.allSatisfy({ $0 != nil && $0 == texts[0] }) {
                same.append(key)
            } else {
                varying.append(key)
            }
        }
    }

    /// The numeric value of `key` in run `index`, if it is a number.
    func number(_ key: String, run index: Int) -> Double? {
        switch values[index][key] {
        case .int(let v)?: Double(v)
        case .uint(let v)?: Double(v)
        case .float32(let v)?: Double(v)
        case .float64(let v)?: v
        default: nil
        }
    }

    /// Whether every run that has `key` has a number there (and at least two runs do).
    func isNumeric(_ key: String) -> Bool {
        let present = values.indices.filter { values[$0][key] != nil }
        return present.count >= 2 && present.allSatisfy { number(key, run: $0) != nil }
    }

    /// A param value as the table shows it: strings as they are, numbers exactly, the rest as
    /// MessagePack's text form.
    static func text(_ value: MessagePackValue) -> String {
        switch value {
        case .string(let s): s
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float64(let v): NumberText.exact(v)
        case .float32(let v): NumberText.exact(Double(v))
        case .bool(let v): v ? "true" : "false"
        case .nil: "null"
        default: value.description
        }
    }

    private static func flatten(_ value: MessagePackValue, prefix: String, into flat: inout [String: MessagePackValue],
                                order: inout [String], seen: inout Set<String>, depth: Int) {
        if let map = value.mapValue, depth < 16 {
            if map.isEmpty && !prefix.isEmpty { record(prefix, value, &flat, &order, &seen) }
            for pair in map {
                let key = pair.key.stringValue ?? pair.key.description
                flatten(pair.value, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &flat, order: &order, seen: &seen, depth: depth + 1)
            }
        } else if !prefix.isEmpty {
            record(prefix, value, &flat, &order, &seen)
        }
    }

    private static func record(_ key: String, _ value: MessagePackValue, _ flat: inout [String: MessagePackValue],
                               _ order: inout [String], _ seen: inout Set<String>) {
        flat[key] = value
        if seen.insert(key).inserted { order.append(key) }
    }
}

/// Slots filled from several threads at distinct indices.
final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); storage[index] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// A shared counter handing out 0, 1, 2, … to several threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    /// The next value, or nil once it reaches `limit`.
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
