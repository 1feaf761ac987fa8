/// Equality of two short byte strings in one buffer, inline: metric tables compare run ids
/// and tags of a few dozen bytes once per row, where a call to `memcmp` costs more than the
/// comparison.
enum ByteComparison {
    /// Whether `data[aStart ..< aEnd]` and `data[bStart ..< bEnd]` hold the same bytes.
    @inline(__always)
    static func equal(_ data: UnsafeRawBufferPointer, _ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) -> Bool {
        let length = aEnd - aStart
        guard length == bEnd - bStart else { return false }
        guard length > 0, let base = data.baseAddress else { return true }
        if length >= 8 {
            // Whole words, then the last 8 bytes (overlapping the last word compared).
            var i = 0
            while i + 8 < length {
                if word(base, aStart + i) != word(base, bStart + i) { return false }
                i += 8
            }
            return word(base, aEnd - 8) == word(base, bEnd - 8)
        }
        var i = 0
        while i < length {
            if base.load(fromByteOffset: aStart + i, as: UInt8.self) != base.load(fromByteOffset: bStart + i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }
}
