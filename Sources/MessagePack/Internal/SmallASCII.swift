/// Makes `String`s of up to 15 ASCII bytes directly, in about a nanosecond instead of the ten or
/// so that `String(decoding:as:)` spends validating bytes the reader has already validated.
///
/// On 64-bit platforms the standard library keeps such a string in the two words of the `String`
/// itself: the bytes in order from the lowest byte of the first word, and in the highest byte of
/// the second word the flags "immortal, small, ASCII" (0xe0) plus the length. Nothing promises
/// that layout on Linux, so it is not trusted: the first use compares what it would build with
/// strings the standard library made, for every length, and the fast path is used only when they
/// are bit for bit the same. Otherwise strings are made the ordinary way.
enum SmallASCII {
    /// The longest string kept inside the `String` value.
    static let maximumCount = 15

    /// Whether this standard library lays small ASCII strings out as ``make(_:count:)`` builds them.
    static let isLayoutVerified: Bool = {
        guard MemoryLayout<String>.size == 16, 1.littleEndian == 1 else { return false }
        // Fifteen bytes of text and then bytes that must not show up in the strings.
        let sample: [UInt8] = Array("Az09 ~_-.:/{}[]".utf8) + Array(repeating: 0xff, count: 16)
        return sample.withUnsafeBufferPointer { sample in
            (0 ... maximumCount).allSatisfy { count in
                let made = String(decoding: UnsafeBufferPointer(rebasing: sample[..<count]), as: UTF8.self)
                return unsafeBitCast(made, to: (UInt64, UInt64).self) == SmallASCII.words(UnsafeRawPointer(sample.baseAddress!), count: count)
            }
        }
    }()

    /// The string of the `count` (at most ``maximumCount``) ASCII bytes at `bytes`, from which
    /// 16 bytes can be read.
    @inline(__always)
    static func make(_ bytes: UnsafeRawPointer, count: Int) -> String {
        unsafeBitCast(words(bytes, count: count), to: String.self)
    }

    /// The two words of a small ASCII string of the `count` bytes at `bytes`: two 8-byte loads,
    /// with the bytes after the string masked off.
    @inline(__always)
    private static func words(_ bytes: UnsafeRawPointer, count: Int) -> (UInt64, UInt64) {
        let low = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if count <= 8 {
            return (low & mask(count), (0xe0 | UInt64(count)) << 56)
        }
        return (low, high & mask(count &- 8) | (0xe0 | UInt64(count)) << 56)
    }

    /// The low `count` (0 … 8) bytes of a word set.
    @inline(__always)
    private static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : (1 << UInt64(count &* 8)) &- 1
    }
}
