/// Times as S3 writes them, read without a formatter: `2025-01-02T03:04:05.678Z` (listings)
/// and `Thu, 02 Jan 2025 03:04:05 GMT` (the `Last-Modified` header).
enum S3Time {
    /// Seconds since 1970, or nil when `text` is neither form.
    static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        if bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") {
            guard let year = number(0 ..< 4), let month = number(5 ..< 7), let day = number(8 ..< 10),
                  let hour = number(11 ..< 13), let minute = number(14 ..< 16), let second = number(17 ..< 19) else { return nil }
            var fraction = 0.0
            if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
                var scale = 0.1
                for byte in bytes[20...] where byte >= 0x30 && byte <= 0x39 {
                    fraction += Double(byte - 0x30) * scale
                    scale /= 10
                }
            }
            return epoch(year, month, day, hour, minute, second).map { $0 + fraction }
        }
        // "Thu, 02 Jan 2025 03:04:05 GMT"
        let parts = text.split(separator: " ")
        guard parts.count >= 5, let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return epoch(year, month + 1, day, clock[0], clock[1], clock[2])
    }

    /// Seconds since 1970 of a UTC calendar time (days from civil, no time zone lookups).
    private static func epoch(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Double? {
        guard (1 ... 12).contains(month), (1 ... 31).contains(day), (0 ... 23).contains(hour), (0 ... 59).contains(minute), (0 ... 60).contains(second) else {
            return nil
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second)
    }
}
