import MessagePack
import Testing

/// Bad input and the error it gives: the code, and the byte offset of the item at fault.
struct BadInput: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let code: MessagePackError.Code
    let offset: Int

    init(_ name: String, _ bytes: [UInt8], _ code: MessagePackError.Code, at offset: Int) {
        self.name = name
        self.bytes = bytes
        self.code = code
        self.offset = offset
    }

    var testDescription: String { name }
}

@Suite("Reader: bad input throws with the offset and reason")
struct ReaderErrorTests {
    static let cases: [BadInput] = [
        BadInput("empty input", [], .truncated, at: 0),
        BadInput("0xc1", hex("c1"), .reservedByte, at: 0),
        BadInput("0xc1 inside an array", hex("93 01 02 c1"), .reservedByte, at: 3),
        BadInput("uint 16 cut short", hex("cd 01"), .truncated, at: 0),
        BadInput("uint 64 cut short", hex("cf 00 00 00"), .truncated, at: 0),
        BadInput("int 32 cut short", hex("d2 ff ff"), .truncated, at: 0),
        BadInput("float 64 cut short", hex("cb 3f f8"), .truncated, at: 0),
        BadInput("float 32 cut short", hex("ca"), .truncated, at: 0),
        BadInput("missing element", hex("92 01 cd 01"), .truncated, at: 2),
        BadInput("missing map value", hex("82 a1 61 01 a1 62"), .truncated, at: 6),
        BadInput("fixstr past the end", hex("a5 61 62"), .lengthPastEnd, at: 0),
        BadInput("str 8 without its length", hex("d9"), .truncated, at: 0),
        BadInput("str 16 past the end", hex("da 01 00 61"), .lengthPastEnd, at: 0),
        BadInput("str 32 of 4 GiB", hex("db ff ff ff ff 61"), .lengthPastEnd, at: 0),
        BadInput("bin 8 past the end", hex("91 c4 05 01 02"), .lengthPastEnd, at: 1),
        BadInput("bin 32 of 4 GiB", hex("c6 ff ff ff ff"), .lengthPastEnd, at: 0),
        BadInput("fixext 4 past the end", hex("d6 01 00"), .lengthPastEnd, at: 0),
        BadInput("ext without its type", hex("c7 01"), .truncated, at: 0),
        BadInput("ext 32 of 4 GiB", hex("c9 ff ff ff ff 01"), .lengthPastEnd, at: 0),
        BadInput("array 32 claiming 4 G elements", hex("dd ff ff ff ff 01 02"), .countExceedsRemaining, at: 0),
        BadInput("array claiming more than the bytes left", hex("93 01 02"), .countExceedsRemaining, at: 0),
        BadInput("array 16 claiming 3 with 2 bytes left", hex("dc 00 03 01 02"), .countExceedsRemaining, at: 0),
        BadInput("map 32 claiming 4 G pairs", hex("df ff ff ff ff 01 02"), .countExceedsRemaining, at: 0),
        BadInput("map claiming 2 pairs in 3 bytes", hex("82 01 02 03"), .countExceedsRemaining, at: 0),
        BadInput("nested count past the end", hex("91 dd 00 01 00 00 c0"), .countExceedsRemaining, at: 1),
        BadInput("invalid UTF-8: lone continuation", hex("a1 80"), .invalidUTF8, at: 1),
        BadInput("invalid UTF-8: cut sequence", hex("91 a2 c3 28"), .invalidUTF8, at: 2),
        BadInput("invalid UTF-8: overlong NUL", hex("a2 c0 80"), .invalidUTF8, at: 1),
        BadInput("invalid UTF-8: surrogate", hex("a3 ed a0 80"), .invalidUTF8, at: 1),
        BadInput("invalid UTF-8: above U+10FFFF", hex("a4 f4 90 80 80"), .invalidUTF8, at: 1),
        BadInput("invalid UTF-8: 0xff", hex("d9 03 61 ff 62"), .invalidUTF8, at: 2),
        BadInput("invalid UTF-8 as a map key", hex("81 a1 fe 01"), .invalidUTF8, at: 2),
        BadInput("timestamp of 2 bytes", hex("d5 ff 00 00"), .invalidTimestamp, at: 0),
        BadInput("timestamp of 0 bytes", hex("c7 00 ff"), .invalidTimestamp, at: 0),
        BadInput("timestamp 64 with 10^9 nanoseconds", hex("d7 ff ee 6b 28 00 00 00 00 00"), .invalidTimestamp, at: 0),
        BadInput("timestamp 96 with 2^32-1 nanoseconds", hex("c7 0c ff ff ff ff ff 00 00 00 00 00 00 00 00"), .invalidTimestamp, at: 0),
        BadInput("trailing byte", hex("c0 c0"), .trailingBytes, at: 1),
        BadInput("trailing garbage after a map", hex("81 a1 61 01 ff ff"), .trailingBytes, at: 4),
    ]

    @Test("bad input throws the right code at the right offset", arguments: cases)
    func throwsWithOffset(_ input: BadInput) {
        let error = #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: input.bytes) }
        #expect(error?.code == input.code, "\(String(describing: error))")
        #expect(error?.offset == input.offset, "\(String(describing: error))")
    }

    @Test("the description gives the reason, the offset and what to do next")
    func description() {
        let error = #expect(throws: MessagePackError.self) { try MessagePackValue(decoding: hex("92 01 da 01 00 61")) }
        let text = error?.description ?? ""
        #expect(text.contains("a str of 256 bytes runs past the end of the data (1 bytes remain)"))
        #expect(text.contains("byte offset 2"))
        #expect(text.contains("intact copy"))
        #expect(error?.message.contains("256") == true)
        #expect(error?.code.description == "lengthPastEnd")
    }

    @Test("every code has its own advice", arguments: [
        MessagePackError.Code.truncated, .lengthPastEnd, .countExceedsRemaining, .invalidUTF8, .reservedByte,
        .trailingBytes, .depthLimitExceeded, .invalidTimestamp,
    ])
    func advice(_ code: MessagePackError.Code) {
        let error = MessagePackError(code, offset: 7, reason: "something")
        #expect(error.description.hasPrefix("MessagePack: something at byte offset 7. "))
        #expect(error.description.count > 60)
    }

    @Test("999 999 999 nanoseconds is the largest count a timestamp accepts")
    func largestNanoseconds() throws {
        // 999 999 999 << 34 | 0 in timestamp 64.
        let bytes = hex("d7 ff") + bigEndian(UInt64(999_999_999) << 34)
        #expect(try MessagePackValue(decoding: bytes) == .timestamp(.init(seconds: 0, nanoseconds: 999_999_999)))
    }
}
