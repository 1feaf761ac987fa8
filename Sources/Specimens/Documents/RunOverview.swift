public import Foundation

/// One run as `view`, `view --all` and `compare` list it in their `--json` documents:
/// `{id, status, legacy, reason, started_at, ended_at, duration_s, rows}`.
public struct RunOverview: Codable, Sendable, Equatable {
    /// The run's ID.
    public var id: String
    /// `running`, `completed`, `failed`, `interrupted`, `crashed` or `damaged`.
    public var status: String
    /// Whether the run was kept in the legacy single-run layout.
    public var legacy: Bool
    /// Why a crashed or damaged run is so; nil otherwise.
    public var reason: String?
    /// When it started, ISO 8601 UTC with milliseconds.
    public var startedAt: String?
    /// When it ended, likewise; nil while it runs.
    public var endedAt: String?
    /// Seconds from start to end (to now while it runs).
    public var durationSeconds: Double?
    /// Rows of metrics.
    public var rows: Int?

    /// The overview of a run.
    public init(_ info: RunInfo) {
        id = info.id.rawValue
        status = info.state.name
        legacy = info.isLegacy
        switch info.state {
        case .crashed(let why), .damaged(let why): reason = why
        default: reason = nil
        }
        startedAt = Self.isoText(info.startedAt)
        endedAt = Self.isoText(info.endedAt)
        durationSeconds = info.duration
        rows = info.rows
    }

    enum CodingKeys: String, CodingKey {
        case id, status, legacy, reason, startedAt = "started_at", endedAt = "ended_at", durationSeconds = "duration_s", rows
    }

    /// Writes every key, unknown values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(id, forKey: .id)
        try object.encode(status, forKey: .status)
        try object.encode(legacy, forKey: .legacy)
        try object.encode(reason, forKey: .reason)
        try object.encode(startedAt, forKey: .startedAt)
        try object.encode(endedAt, forKey: .endedAt)
        try object.encode(durationSeconds, forKey: .durationSeconds)
        try object.encode(rows, forKey: .rows)
    }

    /// `2025-12-22T19:46:53.120Z`: ISO 8601, UTC, milliseconds; nil when `date` is.
    public static func isoText(_ date: Date?) -> String? {
        guard let date else { return nil }
        let millisTotal = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millisTotal >= 0 ? millisTotal / 1000 : -((-(millisTotal + 1)) / 1000) - 1
        let millis = Int(millisTotal - seconds * 1000)
        guard (0 ..< 253_402_300_800).contains(seconds) else {   // outside years 1970…9999: the general path
            return String(Timestamps.iso(seconds: seconds).dropLast()) + "." + String(String(millis + 1000).dropFirst()) + "Z"
        }
        // A listing may hold thousands of runs: the civil date by arithmetic, the text as bytes.
        let (year, month, day) = Self.civilDate(daysSince1970: seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1 ..< width { divisor *= 10 }
            while divisor > 0 { bytes.append(UInt8(48 + (value / divisor) % 10)); divisor /= 10 }
        }
        digits(year, 4); bytes.append(45); digits(month, 2); bytes.append(45); digits(day, 2); bytes.append(84)
        digits(secondOfDay / 3600, 2); bytes.append(58); digits(secondOfDay / 60 % 60, 2); bytes.append(58)
        digits(secondOfDay % 60, 2); bytes.append(46); digits(millis, 3); bytes.append(90)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (days ≥ 0; Howard Hinnant's
    /// `civil_from_days`).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}

/// One metric's summary in a `--json` document: `{name, last, min, max, count}`, non-finite
/// values as `null`.
public struct MetricOverview: Codable, Sendable, Equatable {
    /// The metric's name.
    public var name: String
    /// The last value.
    public var last: Double?
    /// The smallest value.
    public var min: Double?
    /// The largest value.
    public var max: Double?
    /// How many rows hold a value.
    public var count: Int

    /// The overview of a column's summary.
    public init(_ summary: ColumnSummary) {
        name = summary.name
        last = summary.last
        min = summary.min
        max = summary.max
        count = summary.count
    }

    enum CodingKeys: String, CodingKey { case name, last, min, max, count }

    /// Writes every key, unknown or non-finite values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(name, forKey: .name)
        try object.encode(last, forKey: .last)
        try object.encode(min, forKey: .min)
        try object.encode(max, forKey: .max)
        try object.encode(count, forKey: .count)
    }
}
