/// Transposes small byte matrices held in integer words, for BYTE_STREAM_SPLIT.
///
/// Row `r` is a word whose little-endian byte `c` is element (r, c). After the transpose, word
/// `c` holds column `c`: its byte `r` is element (r, c). Three rounds of masked swaps (bytes,
/// then 16-bit halves, then 32-bit halves) transpose 8 × 8; two rounds transpose 4 × 4.
/// The transpose is its own inverse, so it serves both the encoder and the decoder.
enum ByteTranspose {
    /// Transposes the 8 × 8 byte matrix in `w0 … w7`.
    @inline(__always)
    static func transpose8(_ w0: inout UInt64, _ w1: inout UInt64, _ w2: inout UInt64, _ w3: inout UInt64,
                           _ w4: inout UInt64, _ w5: inout UInt64, _ w6: inout UInt64, _ w7: inout UInt64) {
        swap(&w0, &w1, 8, 0x00FF_00FF_00FF_00FF)
        swap(&w2, &w3, 8, 0x00FF_00FF_00FF_00FF)
        swap(&w4, &w5, 8, 0x00FF_00FF_00FF_00FF)
        swap(&w6, &w7, 8, 0x00FF_00FF_00FF_00FF)
        swap(&w0, &w2, 16, 0x0000_FFFF_0000_FFFF)
        swap(&w1, &w3, 16, 0x0000_FFFF_0000_FFFF)
        swap(&w4, &w6, 16, 0x0000_FFFF_0000_FFFF)
        swap(&w5, &w7, 16, 0x0000_FFFF_0000_FFFF)
        swap(&w0, &w4, 32, 0x0000_0000_FFFF_FFFF)
        swap(&w1, &w5, 32, 0x0000_0000_FFFF_FFFF)
        swap(&w2, &w6, 32, 0x0000_0000_FFFF_FFFF)
        swap(&w3, &w7, 32, 0x0000_0000_FFFF_FFFF)
    }

    /// Transposes the 4 × 4 byte matrix in `w0 … w3`.
    @inline(__always)
    static func transpose4(_ w0: inout UInt32, _ w1: inout UInt32, _ w2: inout UInt32, _ w3: inout UInt32) {
        swap(&w0, &w1, 8, 0x00FF_00FF)
        swap(&w2, &w3, 8, 0x00FF_00FF)
        swap(&w0, &w2, 16, 0x0000_FFFF)
        swap(&w1, &w3, 16, 0x0000_FFFF)
    }

    /// Exchanges the `mask` bits of `y` with the `mask << shift` bits of `x`.
    @inline(__always)
    private static func swap<Word: FixedWidthInteger>(_ x: inout Word, _ y: inout Word, _ shift: Word, _ mask: Word) {
        let t = ((x >> shift) ^ y) & mask
        y ^= t
        x ^= t << shift
    }
}
