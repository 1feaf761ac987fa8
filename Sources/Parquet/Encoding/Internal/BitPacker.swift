/// Packs values LSB-first, the inverse of `BitUnpacker`: value `i` occupies bits
/// `i * width ..< (i + 1) * width` of the output, counting from the least significant bit of the
/// first byte.
enum BitPacker {
    /// The number of bits needed to store `value` (0 for 0).
    @inline(__always)
    static func bitWidth(of value: UInt64) -> Int {
        64 - value.leadingZeroBitCount
    }

    /// Appends `values` packed with `bitWidth` (0…64) bits each. `values.count * bitWidth` must be
    /// a multiple of 8 (a whole number of groups of 8 values); exactly that many bits are written.
    static func pack(_ values: UnsafeBufferPointer<UInt64>, bitWidth: Int, into output: inout [UInt8]) {
        guard bitWidth > 0, !values.isEmpty else { return }
        let byteCount = (values.count * bitWidth + 7) / 8
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: byteCount))
        output.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress! + start
            var accumulator: UInt64 = 0
            var bits = 0
            var written = 0
            for value in values {
                accumulator |= value << UInt64(bits)
                if bits + bitWidth >= 64 {
                    base.storeBytes(of: accumulator.littleEndian, toByteOffset: written, as: UInt64.self)
                    written += 8
                    accumulator = bits == 0 ? 0 : value >> UInt64(64 - bits)
                    bits = bits + bitWidth - 64
                } else {
                    bits += bitWidth
                }
            }
            var remaining = accumulator
            while bits > 0 {
                base.storeBytes(of: UInt8(truncatingIfNeeded: remaining), toByteOffset: written, as: UInt8.self)
                written += 1
                remaining >>= 8
                bits -= 8
            }
        }
    }
}
