#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parquet

/// Where a legacy specimen's creation time comes from: a manifest key (ISO 8601 text, epoch
/// seconds or a MessagePack timestamp), else the metrics file's modification time.
enum LegacyTime {
    /// The manifest keys looked at, in order.
    static let keys = ["run_timestamp", "timestamp", "created_at", "created", "date"]

    /// Seconds since 1970 (UTC) and a sentence saying where they came from.
    static func resolve(manifest: MessagePackValue?, metricsPath: String) -> (seconds: Int64, reason: String)? {
        for key in keys {
            guard let value = manifest?[key] else { continue }
            if let seconds = seconds(of: value) {
                return (seconds, "from the legacy manifest's \(key) (\(describe(value)))")
            }
        }
        guard let mtime = LocalStorage.shared.entry(metricsPath)?.modified, mtime.isFinite else { return nil }
        let seconds = Int64(mtime.rounded(.down))
        let tried = keys.joined(separator: ", ")
        return (seconds, "from the modification time of \(shortName(metricsPath)) (the legacy manifest has no usable \(tried))")
    }

    private static func shortName(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.suffix(2).joined(separator: "/")
    }

    private static func describe(_ value: MessagePackValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .timestamp(let stamp): return "msgpack timestamp \(stamp.iso8601)"
        case .int(let v): return "epoch seconds \(v)"
        case .uint(let v): return "epoch seconds \(v)"
        case .float64(let v): return "epoch seconds \(v)"
        case .float32(let v): return "epoch seconds \(v)"
        default: return "\(value)"
        }
    }

    /// Whole UTC seconds for one manifest value, or nil when it is not a time.
    static func seconds(of value: MessagePackValue) -> Int64? {
        switch value {
        case .timestamp(let stamp): return stamp.seconds
        case .int(let v): return plausible(Double(v))
        case .uint(let v): return v > UInt64(Int64.max) ? nil : plausible(Double(v))
        case .float64(let v): return plausible(v)
        case .float32(let v): return plausible(Double(v))
        case .string(let text): return parse(text)
        default: return nil
        }
    }

    /// Epoch seconds between 1970 and 9999 (milliseconds are not guessed at).
    private static func plausible(_ value: Double) -> Int64? {
        guard value.isFinite, value >= 0, value < 253_402_300_800 else { return nil }
        return Int64(value.rounded(.down))
    }

    /// ISO 8601 text: `YYYY-MM-DD[(T| )HH:MM[:SS[.fff…]]][Z|±HH[:MM]]`; naive text is UTC.
    static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.trimmingSpaces.utf8)
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var result: Int64 = 0
            for byte in bytes[index ..< index + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                result = result * 10 + Int64(byte - 0x30)
            }
            index += count
            return result
        }
        func accept(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), accept(UInt8(ascii: "-")), let month = number(2), accept(UInt8(ascii: "-")),
              let day = number(2), (1 ... 12).contains(month), (1 ... 31).contains(day)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        if accept(UInt8(ascii: "T")) || accept(UInt8(ascii: " ")) || accept(UInt8(ascii: "t")) {
            guard let h = number(2), accept(UInt8(ascii: ":")), let m = number(2) else { return nil }
            hour = h; minute = m
            if accept(UInt8(ascii: ":")) {
                guard let s = number(2) else { return nil }
                second = s
                if accept(UInt8(ascii: ".")) || accept(UInt8(ascii: ",")) {
                    let start = index
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                    guard index > start else { return nil }
                }
            }
        }
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var offset: Int64 = 0
        if accept(UInt8(ascii: "Z")) || accept(UInt8(ascii: "z")) {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let oh = number(2) else { return nil }
            var om: Int64 = 0
            if accept(UInt8(ascii: ":")) {
                guard let m = number(2) else { return nil }
                om = m
            } else if let m = number(2) {
                om = m
            }
            guard oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard index == bytes.count else { return nil }
        let days = CivilTime.days(year: year, month: Int(month), day: Int(day))
        let civil = CivilTime.civil(fromDays: days)
        guard civil.year == year, civil.month == Int(month), civil.day == Int(day) else { return nil }   // 2023-02-30
        return days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
    }
}

extension String {
    /// The text without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
