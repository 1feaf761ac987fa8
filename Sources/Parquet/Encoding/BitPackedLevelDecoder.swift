/// Decodes the deprecated BIT_PACKED (encoding 4) levels: values packed back to back from the
/// most significant bit of each byte, the last byte zero-padded, no header and no length prefix.
///
/// ```
/// width 3, values 0…7:  00000101 00111001 01110111  =  05 39 77
///                       000 001 010 011 100 101 110 111
/// ```
/// Old parquet-mr files may declare it for levels; the section is `ceil(count × bitWidth / 8)`
/// bytes long.
package enum BitPackedLevelDecoder {
    /// Decodes `output.count` levels of `bitWidth` (0…32) bits; returns the bytes consumed.
    package static func decode(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, into output: UnsafeMutableBufferPointer<UInt32>, baseOffset: Int = 0) throws(ParquetError) -> Int {
        guard (0 ... 32).contains(bitWidth) else {
            throw .corrupt("BIT_PACKED level bit width \(bitWidth) is outside 0…32", offset: baseOffset)
        }
        let count = output.count
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        guard !overflow, bits / 8 + (bits % 8 == 0 ? 0 : 1) <= bytes.count else {
            throw .corrupt("BIT_PACKED levels: \(count) values of \(bitWidth) bits do not fit in \(bytes.count) bytes", offset: baseOffset + bytes.count)
        }
        var bit = 0
        for i in 0 ..< count {
            var value: UInt32 = 0
            for _ in 0 ..< bitWidth {
                let byte = bytes[bit >> 3]
                value = value << 1 | UInt32((byte >> UInt8(7 - (bit & 7))) & 1)
                bit += 1
            }
            output[i] = value
        }
        return (bit + 7) / 8
    }
}
