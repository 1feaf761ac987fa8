import Foundation
import MessagePack
import Testing

/// An instant, its shortest encoding and its ISO 8601 text.
struct TimestampVector: Sendable, CustomTestStringConvertible {
    let seconds: Int64
    let nanoseconds: UInt32
    let bytes: [UInt8]
    let text: String

    var testDescription: String { text }
}

@Suite("Timestamps: the 32-, 64- and 96-bit forms and ISO 8601 text")
struct TimestampTests {
    static let vectors: [TimestampVector] = [
        .init(seconds: 0, nanoseconds: 0, bytes: hex("d6 ff 00 00 00 00"), text: "1970-01-01T00:00:00Z"),
        .init(seconds: 2_147_483_647, nanoseconds: 0, bytes: hex("d6 ff 7f ff ff ff"), text: "2038-01-19T03:14:07Z"),
        .init(seconds: 2_147_483_648, nanoseconds: 0, bytes: hex("d6 ff 80 00 00 00"), text: "2038-01-19T03:14:08Z"),
        .init(seconds: 4_294_967_295, nanoseconds: 0, bytes: hex("d6 ff ff ff ff ff"), text: "2106-02-07T06:28:15Z"),
        // 2^32 seconds no longer fits timestamp 32: timestamp 64.
        .init(seconds: 4_294_967_296, nanoseconds: 0, bytes: hex("d7 ff 00 00 00 01 00 00 00 00"), text: "2106-02-07T06:28:16Z"),
        // Any nanoseconds need timestamp 64: nanoseconds << 34 | seconds.
        .init(seconds: 1, nanoseconds: 1, bytes: hex("d7 ff 00 00 00 04 00 00 00 01"), text: "1970-01-01T00:00:01.000000001Z"),
        .init(seconds: 1_766_433_213, nanoseconds: 250_000_000, bytes: hex("d7 ff") + bigEndian(UInt64(250_000_000) << 34 | 1_766_433_213),
              text: "2025-12-22T19:53:33.25Z"),
        .init(seconds: 17_179_869_183, nanoseconds: 999_999_999, bytes: hex("d7 ff") + bigEndian(UInt64(999_999_999) << 34 | 17_179_869_183),
              text: "2514-05-30T01:53:03.999999999Z"),
        // 2^34 seconds needs timestamp 96.
        .init(seconds: 17_179_869_184, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00 00 00 00 04 00 00 00 00"), text: "2514-05-30T01:53:04Z"),
        // Before 1970: timestamp 96, seconds floor-divided, nanoseconds non-negative.
        .init(seconds: -1, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00 ff ff ff ff ff ff ff ff"), text: "1969-12-31T23:59:59Z"),
        .init(seconds: -1, nanoseconds: 500_000_000, bytes: hex("c7 0c ff 1d cd 65 00 ff ff ff ff ff ff ff ff"), text: "1969-12-31T23:59:59.5Z"),
        .init(seconds: -2_208_988_800, nanoseconds: 123_000, bytes: hex("c7 0c ff 00 01 e0 78") + bigEndian(Int64(-2_208_988_800)),
              text: "1900-01-01T00:00:00.000123Z"),
        .init(seconds: 951_825_600, nanoseconds: 0, bytes: hex("d6 ff") + bigEndian(UInt32(951_825_600)), text: "2000-02-29T12:00:00Z"),
        .init(seconds: -62_135_596_800, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00") + bigEndian(Int64(-62_135_596_800)), text: "0001-01-01T00:00:00Z"),
        .init(seconds: -62_167_219_200, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00") + bigEndian(Int64(-62_167_219_200)), text: "0000-01-01T00:00:00Z"),
        .init(seconds: -62_162_121_600, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00") + bigEndian(Int64(-62_162_121_600)), text: "0000-02-29T00:00:00Z"),
        .init(seconds: -62_167_305_600, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00") + bigEndian(Int64(-62_167_305_600)), text: "-0001-12-31T00:00:00Z"),
        .init(seconds: 253_402_300_799, nanoseconds: 999_999_999, bytes: hex("c7 0c ff 3b 9a c9 ff") + bigEndian(Int64(253_402_300_799)),
              text: "9999-12-31T23:59:59.999999999Z"),
        .init(seconds: 253_402_300_800, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00") + bigEndian(Int64(253_402_300_800)), text: "10000-01-01T00:00:00Z"),
        .init(seconds: .max, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00 7f ff ff ff ff ff ff ff"), text: "292277026596-12-04T15:30:07Z"),
        .init(seconds: .min, nanoseconds: 0, bytes: hex("c7 0c ff 00 00 00 00 80 00 00 00 00 00 00 00"), text: "-292277022657-01-27T08:29:52Z"),
    ]

    @Test("each instant takes its shortest form and reads back", arguments: vectors)
    func encoding(_ vector: TimestampVector) throws {
        let value = MessagePackValue.timestamp(MessagePackTimestamp(seconds: vector.seconds, nanoseconds: vector.nanoseconds))
        #expect(value.encoded() == vector.bytes, "\(hexText(value.encoded()))")
        #expect(try MessagePackValue(decoding: vector.bytes) == value)
    }

    @Test("ISO 8601 text, proleptic Gregorian, any year", arguments: vectors)
    func text(_ vector: TimestampVector) {
        let timestamp = MessagePackTimestamp(seconds: vector.seconds, nanoseconds: vector.nanoseconds)
        #expect(timestamp.iso8601 == vector.text)
        #expect(timestamp.description == vector.text)
        #expect(MessagePackTimestamp(iso8601: vector.text) == timestamp)
    }

    @Test("fractions drop trailing zeros and keep leading ones", arguments: [
        (UInt32(1), ".000000001"), (10, ".00000001"), (100_000_000, ".1"), (120_000_000, ".12"),
        (999_999_999, ".999999999"), (1_000, ".000001"), (500_000, ".0005"),
    ])
    func fractions(_ nanoseconds: UInt32, _ fraction: String) {
        #expect(MessagePackTimestamp(seconds: 0, nanoseconds: nanoseconds).iso8601 == "1970-01-01T00:00:00\(fraction)Z")
    }

    @Test("every day boundary of a 400-year cycle formats as Foundation's Gregorian calendar does")
    func matchesFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // Every 13th day from 1900 to 2300, plus the second before it.
        for day in stride(from: Int64(-25567), to: 120_000, by: 13) {
            for seconds in [day * 86_400, day * 86_400 - 1] {
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                                    from: Date(timeIntervalSince1970: TimeInterval(seconds)))
                let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!,
                                      parts.hour!, parts.minute!, parts.second!)
                #expect(MessagePackTimestamp(seconds: seconds).iso8601 == expected)
            }
        }
    }

    @Test("ISO 8601 parsing refuses what is not a valid UTC instant", arguments: [
        "", "2025-12-22", "2025-12-22T19:46:53", "2025-12-22T19:46:53+00:00", "2025-12-22 19:46:53Z",
        "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2025-12-32T00:00:00Z", "2025-12-22T24:00:00Z",
        "2025-12-22T19:60:00Z", "2025-12-22T19:46:60Z", "2025-12-22T19:46:53.Z", "2025-12-22T19:46:53.1234567890Z",
        "025-12-22T19:46:53Z", "2025-1-22T19:46:53Z", "2025-12-22T19:46:53Zx", "+-2025-12-22T19:46:53Z",
        "999999999999-01-01T00:00:00Z", "2025-12-22T19:46:53z",
    ])
    func parsingRefuses(_ text: String) {
        #expect(MessagePackTimestamp(iso8601: text) == nil)
    }

    @Test("ISO 8601 parsing accepts a plus sign and short fractions")
    func parsingAccepts() {
        #expect(MessagePackTimestamp(iso8601: "+2025-12-22T19:46:53Z") == MessagePackTimestamp(iso8601: "2025-12-22T19:46:53Z"))
        #expect(MessagePackTimestamp(iso8601: "1970-01-01T00:00:00.5Z") == MessagePackTimestamp(seconds: 0, nanoseconds: 500_000_000))
        #expect(MessagePackTimestamp(iso8601: "2025-12-22T19:46:53Z")?.seconds == 1_766_432_813)
    }

    @Test("timestamps order by instant")
    func ordering() {
        let a = MessagePackTimestamp(seconds: -1, nanoseconds: 999_999_999)
        let b = MessagePackTimestamp(seconds: 0)
        let c = MessagePackTimestamp(seconds: 0, nanoseconds: 1)
        #expect(a < b && b < c)
        #expect(MessagePackTimestamp(exactly: 0, nanoseconds: 1_000_000_000) == nil)
    }

    @Test("Date converts both ways, flooring instants before 1970")
    func dates() throws {
        let before = try #require(MessagePackTimestamp(Date(timeIntervalSince1970: -1.5)))
        #expect(before.seconds == -2 && before.nanoseconds == 500_000_000)
        let recent = Date(timeIntervalSince1970: 1_766_433_213.123456)
        let timestamp = try #require(MessagePackTimestamp(recent))
        #expect(timestamp.seconds == 1_766_433_213)
        #expect(abs(Int(timestamp.nanoseconds) - 123_456_000) < 200)
        #expect(Date(timestamp) == recent)
        #expect(Date(MessagePackTimestamp(seconds: 0)) == Date(timeIntervalSince1970: 0))
        #expect(MessagePackTimestamp(Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(MessagePackTimestamp(Date(timeIntervalSince1970: 1e300)) == nil)
        #expect(Date(MessagePackTimestamp(seconds: .min)).timeIntervalSince1970 == Double(Int64.min))
    }
}
