extension MessagePackTimestamp {
    /// The instant `microseconds` after 1970-01-01T00:00:00Z (negative before it); every
    /// `Int64` is a valid instant.
    public init(microseconds: Int64) {
        // Floor division, so that the nanoseconds stay non-negative before 1970.
        let (quotient, remainder) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        let seconds = remainder < 0 ? quotient - 1 : quotient
        let micros = remainder < 0 ? remainder + 1_000_000 : remainder
        self.init(seconds: seconds, nanoseconds: UInt32(micros) * 1000)
    }

    /// The instant in whole microseconds since 1970 (sub-microsecond nanoseconds dropped), or
    /// nil when it lies outside what an `Int64` of microseconds can hold.
    public var microseconds: Int64? {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        let (total, carry) = scaled.addingReportingOverflow(Int64(nanoseconds / 1000))
        return overflow || carry ? nil : total
    }
}
