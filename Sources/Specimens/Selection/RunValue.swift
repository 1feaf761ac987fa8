public import MessagePack

/// A value in a run query: a literal written in an expression, or a run field's value when a
/// query is evaluated.
///
/// Ints and doubles compare numerically; every other pair of different kinds compares unequal
/// and never orders (a string is never coerced to a number or a date).
///
/// ```swift
/// RunValue.int(3) == RunValue.double(3.0)          // compares equal in a query
/// RunValue.date(microseconds: 1_700_000_000_000_000)  // 2023-11-14T22:13:20Z
/// ```
public enum RunValue: Sendable, Hashable, CustomStringConvertible {
    /// `null` (a MessagePack nil).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int64)
    /// A floating-point number (float32 params are widened).
    case double(Double)
    /// Text.
    case string(String)
    /// An instant, as microseconds since 1970 UTC (`started`, `ended`, timestamp params, date literals).
    case date(microseconds: Int64)
    /// A list (`tags`, array params); only `contains` looks inside it.
    case list([RunValue])
    /// A map, binary or extension value: it exists, but equals and orders against nothing.
    case other

    /// The value as an expression would write it.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return "\"" + value.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
        case .date(let micros): return RunValue.isoText(micros)
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .other: return "<map, binary or extension>"
        }
    }

    /// The query value of a MessagePack value: integers and floats as numbers (a uint above
    /// `Int64.max` as a double), timestamps as dates, arrays as lists, the rest as `.other`.
    public init(_ value: MessagePackValue) {
        switch value {
        case .nil: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .uint(let value): self = Int64(exactly: value).map(RunValue.int) ?? .double(Double(value))
        case .float32(let value): self = .double(Double(value))
        case .float64(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .timestamp(let stamp):
            let (micros, overflow) = stamp.seconds.multipliedReportingOverflow(by: 1_000_000)
            let (total, carry) = micros.addingReportingOverflow(Int64(stamp.nanoseconds / 1000))
            self = overflow || carry ? .other : .date(microseconds: total)
        case .array(let elements): self = .list(elements.map(RunValue.init))
        case .binary, .map, .ext: self = .other
        }
    }

    /// ISO 8601 text of `micros` (UTC, `Z`).
    static func isoText(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : -((-(micros + 1)) / 1_000_000) - 1
        let rest = micros - seconds * 1_000_000
        return MessagePackTimestamp(seconds: seconds, nanoseconds: UInt32(rest) * 1000).iso8601
    }
}

extension String {
    /// `self` with every `target` replaced by `replacement` (no Foundation).
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
