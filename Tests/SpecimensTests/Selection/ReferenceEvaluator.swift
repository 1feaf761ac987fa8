import Foundation
import MessagePack
@testable import Specimens

/// A straightforward evaluation of queries over decoded run manifests, written from the
/// issue's rules without the library's evaluator, catalog or sorter: the answer every query
/// must give.
enum ReferenceEvaluator {
    /// A field's value, reduced to what the rules distinguish.
    indirect enum Value {
        case number(Double), date(Int64), text([UInt8]), flag(Bool), null, list([Value]), opaque
    }

    static func micros(_ text: MessagePackValue?) -> Int64? {
        guard let text = text?.stringValue, let stamp = MessagePackTimestamp(iso8601: text) else { return nil }
        return stamp.seconds * 1_000_000 + Int64(stamp.nanoseconds / 1000)
    }

    static func convert(_ value: MessagePackValue) -> Value {
        switch value {
        case .nil: return .null
        case .bool(let b): return .flag(b)
        case .int(let i): return .number(Double(i))
        case .uint(let u): return .number(Double(u))
        case .float32(let f): return .number(Double(f))
        case .float64(let d): return .number(d)
        case .string(let s): return .text(Array(s.utf8))
        case .timestamp(let t): return .date(t.seconds * 1_000_000 + Int64(t.nanoseconds / 1000))
        case .array(let a): return .list(a.map(convert))
        default: return .opaque
        }
    }

    /// The field of a manifest; nil when missing (a top-level nil counts as missing).
    static func field(_ field: RunField, _ m: MessagePackValue) -> Value? {
        func top(_ value: MessagePackValue?) -> Value? {
            guard let value, !value.isNil else { return nil }
            return convert(value)
        }
        switch field {
        case .id: return top(m["run_id"])
        case .status: return top(m["status"])
        case .started: return micros(m["started_at"]).map(Value.date)
        case .ended: return micros(m["ended_at"]).map(Value.date)
        case .duration:
            guard let s = micros(m["started_at"]), let e = micros(m["ended_at"]) else { return nil }
            return .number(Double(e) / 1e6 - Double(s) / 1e6)
        case .rows: return top(m["metrics"]?["rows"])
        case .exitCode: return top(m["exit_code"])
        case .host: return top(m["host"]?["hostname"])
        case .gitCommit: return top(m["git"]?["commit"])
        case .gitDirty: return top(m["git"]?["dirty"])
        case .tags: return .list((m["tags"]?.arrayValue ?? []).compactMap { $0.stringValue.map { .text(Array($0.utf8)) } })
        case .notes: return top(m["notes"])
        case .param(let path):
            var current: MessagePackValue? = m["params"]
            for key in path { current = current?.mapValue?[key] }
            return current.map(convert)
        case let .metric(name, statistic):
            guard let stats = m["metrics"]?["summary"]?[name] else { return nil }
            return top(stats[statistic.rawValue])
        }
    }

    static func literal(_ value: RunValue) -> Value {
        switch value {
        case .null: return .null
        case .bool(let b): return .flag(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .text(Array(s.utf8))
        case .date(let m): return .date(m)
        case .list(let l): return .list(l.map(literal))
        case .other: return .opaque
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x == y
        case let (.date(x), .date(y)): return x == y
        case let (.text(x), .text(y)): return x == y
        case let (.flag(x), .flag(y)): return x == y
        case (.null, .null): return true
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: return false
        }
    }

    static func order(_ a: Value, _ b: Value) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case let (.number(x), .number(y)): return x.isNaN || y.isNaN ? nil : cmp(x, y)
        case let (.date(x), .date(y)): return cmp(x, y)
        case let (.text(x), .text(y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        case let (.flag(x), .flag(y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        default: return nil
        }
    }

    static func matches(_ filter: RunFilter, _ m: MessagePackValue) -> Bool {
        switch filter {
        case let .compare(f, op, lit):
            guard let v = field(f, m) else { return false }
            let l = literal(lit)
            switch op {
            case .equal: return equal(v, l)
            case .notEqual: return !equal(v, l)
            case .less: return order(v, l).map { $0 < 0 } ?? false
            case .lessOrEqual: return order(v, l).map { $0 <= 0 } ?? false
            case .greater: return order(v, l).map { $0 > 0 } ?? false
            case .greaterOrEqual: return order(v, l).map { $0 >= 0 } ?? false
            }
        case let .isIn(f, lits):
            guard let v = field(f, m) else { return false }
            return lits.contains { equal(v, literal($0)) }
        case let .contains(f, lit):
            guard let v = field(f, m) else { return false }
            switch (v, literal(lit)) {
            case let (.list(items), l): return items.contains { equal($0, l) }
            case let (.text(t), .text(p)):
                let hay = String(decoding: t, as: UTF8.self), needle = String(decoding: p, as: UTF8.self)
                return needle.isEmpty || hay.utf8.count >= needle.utf8.count && (0 ... (t.count - p.count)).contains { Array(t[$0 ..< $0 + p.count]) == p }
            default: return false
            }
        case let .exists(f): return field(f, m) != nil
        case let .and(a, b): return matches(a, m) && matches(b, m)
        case let .or(a, b): return matches(a, m) || matches(b, m)
        case let .not(a): return !matches(a, m)
        }
    }

    /// The rank of a sortable value; nil for those that go last.
    static func rank(_ v: Value?) -> Int? {
        switch v {
        case .number(let d)?: return d.isNaN ? nil : 0
        case .date?: return 1
        case .text?: return 2
        case .flag?: return 3
        default: return nil
        }
    }

    /// The IDs `query` selects from `manifests` (oldest first).
    static func answer(_ query: RunQuery, _ manifests: [(id: String, manifest: MessagePackValue)]) -> [String] {
        typealias Row = (offset: Int, element: (id: String, manifest: MessagePackValue))
        var rows: [Row] = manifests.enumerated().filter { row in
            guard let filter = query.filter else { return true }
            return matches(filter, row.element.manifest)
        }
        // Insertion sort: stable, and obviously so.
        var sorted: [Row] = []
        func before(_ a: Row, _ b: Row) -> Bool {
            for key in query.sort {
                let va = field(key.field, a.element.manifest), vb = field(key.field, b.element.manifest)
                let ra = rank(va), rb = rank(vb)
                if ra == nil && rb == nil { continue }
                if ra == nil { return false }
                if rb == nil { return true }
                var c = ra! != rb! ? (ra! < rb! ? -1 : 1) : (order(va!, vb!) ?? 0)
                if key.descending { c = -c }
                if c != 0 { return c < 0 }
            }
            return false
        }
        for row in rows {
            var index = sorted.count
            while index > 0 && before(row, sorted[index - 1]) { index -= 1 }
            sorted.insert(row, at: index)
        }
        rows = sorted
        var ids = rows.map { $0.element.id }
        if let limit = query.limit { ids = Array(ids.prefix(limit)) }
        return ids
    }
}
