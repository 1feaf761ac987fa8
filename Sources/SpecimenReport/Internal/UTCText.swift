#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Instants as UTC text, without a formatter object (no shared state, no allocation beyond
/// the string).
enum UTCText {
    /// `yyyy-MM-dd HH:mm:ss` of Unix time `seconds` (rounded down); empty when out of range.
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e13 else { return "" }
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "" }
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// `format` of a `Date`.
    static func format(_ date: Date) -> String { format(date.timeIntervalSince1970) }
}
