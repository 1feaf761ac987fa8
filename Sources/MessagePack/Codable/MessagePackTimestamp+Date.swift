#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Seconds from 1970-01-01 to 2001-01-01, the reference date of `Date`.
private let referenceDateOffset: Int64 = 978_307_200

extension MessagePackTimestamp {
    /// The timestamp of `date`, to the nearest nanosecond, or nil when the date is not finite or
    /// lies beyond ±2^63 seconds.
    ///
    /// ```swift
    /// let now = MessagePackTimestamp(Date())!
    /// ```
    public init?(_ date: Date) {
        // Work from the reference date, as `Date` stores it, so the conversion adds no rounding.
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite else { return nil }
        var whole = interval.rounded(.down)
        var nanoseconds = ((interval - whole) * 1e9).rounded()
        if nanoseconds >= 1e9 {
            nanoseconds -= 1e9
            whole += 1
        }
        guard let seconds = Int64(exactly: whole) else { return nil }
        let (total, overflow) = seconds.addingReportingOverflow(referenceDateOffset)
        guard !overflow else { return nil }
        self.init(seconds: total, nanoseconds: UInt32(nanoseconds))
    }
}

extension Date {
    /// The date of a MessagePack timestamp (to within `Date`'s precision, about 0.1 µs today).
    public init(_ timestamp: MessagePackTimestamp) {
        let (sinceReference, overflow) = timestamp.seconds.subtractingReportingOverflow(referenceDateOffset)
        let seconds = overflow ? Double(timestamp.seconds) - Double(referenceDateOffset) : Double(sinceReference)
        self.init(timeIntervalSinceReferenceDate: seconds + Double(timestamp.nanoseconds) / 1e9)
    }
}
