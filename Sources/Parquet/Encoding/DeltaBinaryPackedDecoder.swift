/// Decodes DELTA_BINARY_PACKED (encoding 5) INT32 or INT64 values.
///
/// ```
/// header: uleb(blockSize) uleb(miniblocksPerBlock) uleb(totalCount) zigzag-uleb(firstValue)
/// block:  zigzag-uleb(minDelta) | one bit-width byte per miniblock | miniblocks
/// miniblock: (blockSize / miniblocksPerBlock) values of (delta − minDelta), bit-packed LSB-first
///
/// 80 01 04 05 02 | 02 00 00 00 00     values 1 2 3 4 5: block 128, 4 miniblocks, 5 values,
///                                     first 1; minDelta 1, every miniblock width 0 (no bytes)
/// ```
///
/// value[i] = value[i − 1] &+ minDelta &+ packed[i], in wrapping 64-bit arithmetic (INT32 values are
/// the low 32 bits, which is the same as wrapping 32-bit arithmetic). Bit widths may be 0…64. The
/// last miniblock holding values is padded to full size; miniblocks after it are absent even when
/// their width bytes are not zero. The stream has no length prefix, so `bytesConsumed` tells
/// where it ended once every value was decoded (or `skipRemaining()` was called).
///
/// The decoder is a cursor over bytes the caller keeps alive; `decode(into:)` may be called
/// repeatedly. It never allocates.
///
/// ```swift
/// var decoder = try DeltaBinaryPackedDecoder(bytes)
/// try decoder.decode(into: output)   // output.count ≤ decoder.remainingCount
/// ```
package struct DeltaBinaryPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    private let baseOffset: Int
    /// The number of values the stream holds.
    package let totalCount: Int
    private let miniblocksPerBlock: Int
    private let valuesPerMiniblock: Int

    /// Values not yet returned.
    package private(set) var remainingCount: Int
    /// Whether the first value (stored in the header) is still to be returned.
    private var firstPending: Bool
    /// The last value returned (or the first value, before any).
    private var last: UInt64
    /// The offset just past everything read: the header, block headers and started miniblocks.
    private var position: Int
    private var minDelta: UInt64 = 0
    /// The offset of the current block's bit-width bytes.
    private var widthsPosition = 0
    /// The current miniblock's index within its block, its data offset, bit width and the number
    /// of its values already used.
    private var miniblockIndex: Int
    private var miniblockData = 0
    private var miniblockWidth = 0
    private var miniblockUsed: Int

    /// Parses the header at the start of `bytes`.
    ///
    /// `baseOffset` is the offset of `bytes` within the page, used in error messages.
    /// Throws `corrupt` for a header that breaks the format's rules or claims more values than
    /// the bytes can hold.
    package init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) throws(ParquetError) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        var position = 0
        let limit = 1 << 31
        let blockSize = try ULEB128.readInt(bytes, at: &position, limit: limit, what: "DELTA_BINARY_PACKED block size", baseOffset: baseOffset)
        let miniblocksOffset = position
        let miniblocks = try ULEB128.readInt(bytes, at: &position, limit: limit, what: "DELTA_BINARY_PACKED miniblock count", baseOffset: baseOffset)
        let totalOffset = position
        let total = try ULEB128.readInt(bytes, at: &position, limit: Int.max, what: "DELTA_BINARY_PACKED value count", baseOffset: baseOffset)
        let first = ULEB128.unzigzag(try ULEB128.read(bytes, at: &position, baseOffset: baseOffset))
        guard blockSize > 0, miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 8 == 0 else {
            throw .corrupt("DELTA_BINARY_PACKED block size \(blockSize) with \(miniblocks) miniblocks does not give miniblocks of a multiple of 8 values", offset: baseOffset + miniblocksOffset)
        }
        // Every block needs at least its min delta byte and its width bytes.
        if total > 1 {
            let deltas = total - 1
            let blocks = deltas / blockSize + (deltas % blockSize == 0 ? 0 : 1)
            guard blocks <= (bytes.count - position) / (1 + miniblocks) else {
                throw .corrupt("DELTA_BINARY_PACKED claims \(total) values, more than its \(bytes.count) bytes can hold", offset: baseOffset + totalOffset)
            }
        }
        self.totalCount = total
        self.miniblocksPerBlock = miniblocks
        self.valuesPerMiniblock = blockSize / miniblocks
        self.remainingCount = total
        self.firstPending = total > 0
        self.last = first
        self.position = position
        self.miniblockIndex = miniblocks - 1
        self.miniblockUsed = blockSize / miniblocks
    }

    /// The bytes read so far; after the last value (or `skipRemaining()`), the stream's length.
    package var bytesConsumed: Int { position }

    /// Decodes the next `output.count` values; throws when fewer remain or the data is corrupt.
    package mutating func decode(into output: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) {
        try decodeValues(into: output)
    }

    /// Decodes the next `output.count` values as INT32 (the low 32 bits of each value).
    package mutating func decode(into output: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
        try decodeValues(into: output)
    }

    /// Reads past every value not yet decoded, without unpacking, so that `bytesConsumed` is the
    /// stream's length.
    package mutating func skipRemaining() throws(ParquetError) {
        if firstPending {
            firstPending = false
            remainingCount -= 1
        }
        while remainingCount > 0 {
            if miniblockUsed == valuesPerMiniblock { try startMiniblock() }
            let take = min(remainingCount, valuesPerMiniblock - miniblockUsed)
            miniblockUsed += take
            remainingCount -= take
        }
    }

    @inline(__always)
    private mutating func decodeValues<Value: FixedWidthInteger>(into output: UnsafeMutableBufferPointer<Value>) throws(ParquetError) {
        guard var out = output.baseAddress else { return }
        guard output.count <= remainingCount else {
            throw .corrupt("DELTA_BINARY_PACKED data holds \(remainingCount) more values, \(output.count) requested", offset: baseOffset + position)
        }
        var needed = output.count
        if firstPending {
            out.pointee = Value(truncatingIfNeeded: last)
            firstPending = false
            out += 1
            needed -= 1
            remainingCount -= 1
        }
        guard needed > 0 else { return }
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { (scratch) throws(ParquetError) in
            let unpacked = scratch.baseAddress!
            var value = last
            while needed > 0 {
                if miniblockUsed == valuesPerMiniblock {
                    last = value
                    try startMiniblock()
                }
                let take = min(needed, valuesPerMiniblock - miniblockUsed)
                let delta = minDelta
                if miniblockWidth == 0 {
                    for i in 0 ..< take {
                        value = value &+ delta
                        out[i] = Value(truncatingIfNeeded: value)
                    }
                } else {
                    // Unpack whole groups of 8 around the values wanted, up to 64 values at a time.
                    var done = 0
                    while done < take {
                        let used = miniblockUsed + done
                        let within = used & 7
                        let groups = min(8, (within + take - done + 7) / 8)
                        let groupOffset = miniblockData + (used >> 3) * miniblockWidth
                        BitUnpacker.unpack64(bytes.baseAddress! + groupOffset, readable: bytes.count - groupOffset, into: unpacked, groups: groups, bitWidth: miniblockWidth)
                        let count = min(groups * 8 - within, take - done)
                        let target = out + done
                        let source = unpacked + within
                        for i in 0 ..< count {
                            value = value &+ delta &+ source[i]
                            target[i] = Value(truncatingIfNeeded: value)
                        }
                        done += count
                    }
                }
                miniblockUsed += take
                remainingCount -= take
                out += take
                needed -= take
            }
            last = value
        }
    }

    /// Moves to the next miniblock, reading a new block header when the block is finished.
    ///
    /// ```
    /// block: zigzag-uleb(minDelta) | width[0] … width[miniblocksPerBlock − 1] | miniblock 0 | miniblock 1 | …
    /// ```
    private mutating func startMiniblock() throws(ParquetError) {
        if miniblockIndex + 1 == miniblocksPerBlock {
            minDelta = ULEB128.unzigzag(try ULEB128.read(bytes, at: &position, baseOffset: baseOffset))
            guard miniblocksPerBlock <= bytes.count - position else {
                throw .corrupt("DELTA_BINARY_PACKED miniblock bit widths are cut short", offset: baseOffset + position)
            }
            widthsPosition = position
            position += miniblocksPerBlock
            miniblockIndex = 0
        } else {
            miniblockIndex += 1
        }
        let width = Int(bytes[widthsPosition + miniblockIndex])
        guard width <= 64 else {
            throw .corrupt("DELTA_BINARY_PACKED miniblock bit width \(width) exceeds 64", offset: baseOffset + widthsPosition + miniblockIndex)
        }
        let size = valuesPerMiniblock / 8 * width
        guard size <= bytes.count - position else {
            throw .corrupt("a DELTA_BINARY_PACKED miniblock needs \(size) bytes but only \(bytes.count - position) remain", offset: baseOffset + position)
        }
        miniblockWidth = width
        miniblockData = position
        position += size
        miniblockUsed = 0
    }
}
