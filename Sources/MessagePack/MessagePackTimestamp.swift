/// An instant as MessagePack's timestamp extension (type −1) holds it: whole seconds since
/// 1970-01-01T00:00:00Z and a non-negative count of nanoseconds.
///
/// Instants before 1970 have negative `seconds` and still a non-negative `nanoseconds`
/// (floor division): 1969-12-31T23:59:59.5Z is `seconds: -1, nanoseconds: 500_000_000`.
///
/// ```swift
/// let t = MessagePackTimestamp(seconds: 1_766_433_213, nanoseconds: 250_000_000)
/// print(t.iso8601)                      // 2025-12-22T19:53:33.25Z
/// let u = MessagePackTimestamp(iso8601: "1969-12-31T23:59:59.5Z")   // seconds -1, nanos 500000000
/// ```
public struct MessagePackTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    public let seconds: Int64
    /// Nanoseconds after `seconds`, 0 … 999 999 999.
    public let nanoseconds: UInt32

    /// Creates a timestamp. `nanoseconds` must be below one billion (a precondition; use
    /// ``init(exactly:nanoseconds:)`` for values that have not been checked).
    public init(seconds: Int64, nanoseconds: UInt32 = 0) {
        precondition(nanoseconds < 1_000_000_000, "MessagePackTimestamp: nanoseconds must be below 1 000 000 000")
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Creates a timestamp, or returns nil when `nanoseconds` is one billion or more.
    public init?(exactly seconds: Int64, nanoseconds: UInt32) {
        guard nanoseconds < 1_000_000_000 else { return nil }
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Orders timestamps by the instant they stand for.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The instant as ISO 8601 text in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, in the proleptic
    /// Gregorian calendar.
    ///
    /// The fraction has up to nine digits, without trailing zeros, and is left out when there are
    /// no nanoseconds. Years before 1 or after 9999 are written with a sign when negative and at
    /// least four digits: `-0001-12-31T00:00:00Z`, `0000-01-01T00:00:00Z`, `10000-01-01T00:00:00Z`.
    public var iso8601: String {
        // Floor division without an intermediate that could overflow at Int64.min.
        let remainder = seconds % 86_400
        let days = seconds / 86_400 - (remainder < 0 ? 1 : 0)
        let secondOfDay = Int(remainder < 0 ? remainder + 86_400 : remainder)
        let (year, month, day) = CivilDate.civil(fromDays: days)
        var text = ""
        text.reserveCapacity(32)
        if year < 0 { text.append("-") }
        let yearDigits = String(year.magnitude)
        if yearDigits.utf8.count < 4 { text.append(String(repeating: "0", count: 4 - yearDigits.utf8.count)) }
        text.append(yearDigits)
        text.append("-"); Self.appendTwoDigits(month, to: &text)
        text.append("-"); Self.appendTwoDigits(day, to: &text)
        text.append("T"); Self.appendTwoDigits(secondOfDay / 3600, to: &text)
        text.append(":"); Self.appendTwoDigits(secondOfDay / 60 % 60, to: &text)
        text.append(":"); Self.appendTwoDigits(secondOfDay % 60, to: &text)
        if nanoseconds > 0 {
            var fraction = nanoseconds
            var digits = 9
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            text.append(".")
            text.append(String(repeating: "0", count: digits - fractionText.utf8.count))
            text.append(fractionText)
        }
        text.append("Z")
        return text
    }

    /// Parses ISO 8601 text in UTC as ``iso8601`` writes it: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`,
    /// with an optional sign before the year, at least four year digits, and 1 to 9 fraction
    /// digits. Returns nil for any other text or an impossible date (`2023-02-29`, hour 24).
    public init?(iso8601 text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        func number(_ count: Int) -> Int64? {
            guard bytes.count >= count else { return nil }
            var result: Int64 = 0
            for byte in bytes.prefix(count) {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                result = result * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            bytes = bytes.dropFirst(count)
            return result
        }
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard bytes.first == UInt8(ascii: character) else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        let yearLength = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        guard yearLength >= 4, yearLength <= 12, let yearMagnitude = number(yearLength) else { return nil }
        let year = negative ? -yearMagnitude : yearMagnitude
        guard expect("-"), let month = number(2), expect("-"), let day = number(2), expect("T"),
              let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        var nanoseconds: Int64 = 0
        if expect(".") {
            let fractionLength = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            guard (1 ... 9).contains(fractionLength), let fraction = number(fractionLength) else { return nil }
            nanoseconds = fraction
            for _ in fractionLength ..< 9 { nanoseconds *= 10 }
        }
        guard expect("Z"), bytes.isEmpty else { return nil }
        guard (1 ... 12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        // Years of up to 12 digits keep the day count far from overflow; the seconds may not fit.
        // Before 1970, count from the end of the day so the first day of Int64 seconds (whose
        // midnight lies below Int64.min) still fits.
        let days = CivilDate.days(fromCivil: year, month: month, day: day)
        let secondOfDay = hour * 3600 + minute * 60 + second
        let (wholeDays, offset) = days < 0 ? (days + 1, secondOfDay - 86_400) : (days, secondOfDay)
        let (daySeconds, overflow) = wholeDays.multipliedReportingOverflow(by: 86_400)
        let (seconds, overflow2) = daySeconds.addingReportingOverflow(offset)
        guard !overflow, !overflow2 else { return nil }
        self.seconds = seconds
        self.nanoseconds = UInt32(nanoseconds)
    }

    /// The ISO 8601 text, as ``iso8601``.
    public var description: String { iso8601 }

    private static func appendTwoDigits<T: BinaryInteger>(_ value: T, to text: inout String) {
        let digits = Int(value)
        text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + digits / 10)))
        text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + digits % 10)))
    }
}
