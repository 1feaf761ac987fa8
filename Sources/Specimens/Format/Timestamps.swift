import MessagePack

/// ISO 8601 text for manifests.
enum Timestamps {
    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, always with a fraction).
    static func iso(microseconds: Int64) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : -((-(microseconds + 1)) / 1_000_000) - 1
        let micros = microseconds - seconds * 1_000_000
        let whole = MessagePackTimestamp(seconds: seconds).iso8601   // …SSZ
        var fraction = String(micros)
        while fraction.utf8.count < 6 { fraction = "0" + fraction }
        return String(whole.dropLast()) + "." + fraction + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    static func iso(seconds: Int64) -> String { MessagePackTimestamp(seconds: seconds).iso8601 }

    /// Microseconds since 1970 from ISO 8601 text, or nil.
    static func microseconds(iso text: String) -> Int64? {
        guard let stamp = MessagePackTimestamp(iso8601: text) else { return nil }
        let (micros, overflow) = stamp.seconds.multipliedReportingOverflow(by: 1_000_000)
        let (total, carry) = micros.addingReportingOverflow(Int64(stamp.nanoseconds / 1000))
        return overflow || carry ? nil : total
    }
}
