/// Calendar arithmetic without Foundation: proleptic Gregorian dates from day counts, and
/// ISO 8601 text for timestamps. Works for any year, including before 1 and after 9999.
public enum CivilTime {
    /// The civil date of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD` for `days` since the epoch; years outside 0…9999 get a sign or more digits.
    public static func date(_ days: Int64) -> String {
        let (year, month, day) = civil(fromDays: days)
        return yearText(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    /// ISO 8601 text of `value` `unit`s since the epoch: `2024-12-20T10:11:12.5Z`. The fraction
    /// is as long as needed (trailing zeros dropped) up to the unit's digits; `Z` only when
    /// `utc` is true.
    public static func iso8601(_ value: Int64, unit: TimeUnit, utc: Bool) -> String {
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            seconds -= 1
            fraction += perSecond
        }
        return iso8601(seconds: seconds, fraction: fraction, digits: unit.digits, utc: utc)
    }

    /// ISO 8601 text of whole `seconds` since the epoch plus `fraction` (a count of 10^-digits
    /// seconds, 0 ≤ fraction < 10^digits).
    public static func iso8601(seconds: Int64, fraction: Int64, digits: Int, utc: Bool) -> String {
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        var text = date(days) + "T" + twoDigits(Int(secondOfDay / 3600)) + ":"
            + twoDigits(Int(secondOfDay / 60 % 60)) + ":" + twoDigits(Int(secondOfDay % 60))
        if fraction != 0 {
            var digitsText = String(fraction)
            digitsText = String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
            while digitsText.last == "0" { digitsText.removeLast() }
            text += "." + digitsText
        }
        if utc { text += "Z" }
        return text
    }

    /// A time of day, `value` `unit`s since midnight, as `HH:MM:SS` with the fraction as long
    /// as needed (trailing zeros dropped) up to the unit's digits: `13:45:07.25`. A value
    /// outside one day (which a valid file does not hold) is shown as its count.
    public static func timeOfDay(_ value: Int64, unit: TimeUnit) -> String {
        let perSecond = unit.perSecond
        guard value >= 0, value <= 86_400 * perSecond else { return "\(value) \(unit.abbreviation)" }
        let seconds = value / perSecond, fraction = value % perSecond
        var text = twoDigits(Int(seconds / 3600)) + ":" + twoDigits(Int(seconds / 60 % 60)) + ":" + twoDigits(Int(seconds % 60))
        if fraction != 0 {
            var digitsText = String(fraction)
            digitsText = String(repeating: "0", count: max(0, unit.digits - digitsText.count)) + digitsText
            while digitsText.last == "0" { digitsText.removeLast() }
            text += "." + digitsText
        }
        return text
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }

    private static func yearText(_ year: Int64) -> String {
        let magnitude = String(year.magnitude)
        let padded = String(repeating: "0", count: max(0, 4 - magnitude.count)) + magnitude
        return year < 0 ? "-" + padded : padded
    }
}

extension TimeUnit {
    /// Decimal digits of one second's fraction in this unit: 3, 6 or 9.
    public var digits: Int {
        switch self {
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
    }
}
