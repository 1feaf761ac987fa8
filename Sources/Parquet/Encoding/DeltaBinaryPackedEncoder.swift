/// Encodes DELTA_BINARY_PACKED (encoding 5) INT32 or INT64 values, by default in blocks of 128
/// values split into 4 miniblocks of 32 (parquet-java's layout, and pyarrow's for INT32; pyarrow
/// uses blocks of 256 for INT64).
///
/// ```
/// header: uleb(128) uleb(4) uleb(count) zigzag-uleb(first)
/// block:  zigzag-uleb(minDelta) | 4 bit-width bytes | miniblocks of 32 × (delta − minDelta), LSB-first
///
/// 1 2 3 4 5  →  80 01 04 05 02 | 02 00 00 00 00
/// ```
///
/// Deltas are computed in the values' own width with wrapping arithmetic, so INT32 miniblocks use
/// at most 32 bits. The last miniblock with values is padded with zeros; the width bytes of
/// unused miniblocks are 0 and their bodies are omitted.
package enum DeltaBinaryPackedEncoder {
    /// The default number of values per block.
    package static let defaultBlockSize = 128
    /// The default number of miniblocks per block.
    package static let defaultMiniblocksPerBlock = 4

    /// Appends the encoding of `values` to `output`.
    ///
    /// `blockSize` must be a multiple of 128 and `blockSize / miniblocksPerBlock` a multiple of 32.
    package static func encode(_ values: UnsafeBufferPointer<Int64>, into output: inout [UInt8], blockSize: Int = defaultBlockSize, miniblocksPerBlock: Int = defaultMiniblocksPerBlock) {
        encodeValues(values, into: &output, blockSize: blockSize, miniblocksPerBlock: miniblocksPerBlock)
    }

    /// Appends the encoding of `values` to `output`.
    ///
    /// `blockSize` must be a multiple of 128 and `blockSize / miniblocksPerBlock` a multiple of 32.
    package static func encode(_ values: UnsafeBufferPointer<Int32>, into output: inout [UInt8], blockSize: Int = defaultBlockSize, miniblocksPerBlock: Int = defaultMiniblocksPerBlock) {
        encodeValues(values, into: &output, blockSize: blockSize, miniblocksPerBlock: miniblocksPerBlock)
    }

    @inline(__always)
    private static func encodeValues<Value: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<Value>, into output: inout [UInt8], blockSize: Int, miniblocksPerBlock: Int) {
        precondition(blockSize > 0 && blockSize % 128 == 0 && miniblocksPerBlock > 0 && blockSize % miniblocksPerBlock == 0 && (blockSize / miniblocksPerBlock) % 32 == 0,
                     "DeltaBinaryPackedEncoder: block size \(blockSize) with \(miniblocksPerBlock) miniblocks breaks the format's rules")
        let valuesPerMiniblock = blockSize / miniblocksPerBlock
        ULEB128.append(UInt64(blockSize), to: &output)
        ULEB128.append(UInt64(miniblocksPerBlock), to: &output)
        ULEB128.append(UInt64(values.count), to: &output)
        ULEB128.append(ULEB128.zigzag(Int64(values.first ?? 0)), to: &output)
        guard values.count > 1 else { return }
        // A rough reservation: header bytes plus the values at their plain size.
        output.reserveCapacity(output.count + values.count * MemoryLayout<Value>.size / 2 + 16)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockSize) { relative in
            var previous = values[0]
            var start = 1
            while start < values.count {
                let count = min(blockSize, values.count - start)
                var minDelta = Value.max
                var last = previous
                for i in 0 ..< count {
                    let value = values[start + i]
                    let delta = value &- last
                    if delta < minDelta { minDelta = delta }
                    last = value
                }
                last = previous
                for i in 0 ..< count {
                    let value = values[start + i]
                    let delta = value &- last
                    // delta − minDelta as an unsigned number of the values' width.
                    relative[i] = UInt64(truncatingIfNeeded: Value.Magnitude(truncatingIfNeeded: delta &- minDelta))
                    last = value
                }
                for i in count ..< blockSize { relative[i] = 0 }
                ULEB128.append(ULEB128.zigzag(Int64(minDelta)), to: &output)
                let widthsStart = output.count
                for miniblock in 0 ..< miniblocksPerBlock {
                    var bits: UInt64 = 0
                    if miniblock * valuesPerMiniblock < count {
                        for i in miniblock * valuesPerMiniblock ..< (miniblock + 1) * valuesPerMiniblock { bits |= relative[i] }
                    }
                    output.append(UInt8(BitPacker.bitWidth(of: bits)))
                }
                for miniblock in 0 ..< miniblocksPerBlock where miniblock * valuesPerMiniblock < count {
                    let slice = UnsafeBufferPointer(rebasing: relative[miniblock * valuesPerMiniblock ..< (miniblock + 1) * valuesPerMiniblock])
                    BitPacker.pack(slice, bitWidth: Int(output[widthsStart + miniblock]), into: &output)
                }
                previous = values[start + count - 1]
                start += count
            }
        }
    }
}
