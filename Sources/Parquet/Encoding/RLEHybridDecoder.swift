/// Decodes the RLE / bit-packing hybrid encoding (RLE = 3): definition and repetition levels,
/// dictionary indices and RLE booleans.
///
/// ```
/// run*                                   (no length prefix; see the factories for prefixed forms)
/// bit-packed run: uleb(groups << 1 | 1)  then groups * bitWidth bytes = groups * 8 values, LSB-first
/// RLE run:        uleb(count << 1)       then the value in ceil(bitWidth / 8) bytes, little-endian
///
/// 05 fe 01  (bitWidth 1)  →  05 = bit-packed, 2 groups;  fe = 0,1,1,1,1,1,1,1;  01 = 1,0,0,0,0,0,0,0
/// ```
///
/// The decoder is a cursor over bytes the caller keeps alive; `decode(into:)` can be called
/// repeatedly and stops exactly after the values asked for, so padding values at the end of the
/// last bit-packed group are never returned. It never allocates.
///
/// ```swift
/// var levels = try RLEHybridDecoder(bytes, bitWidth: 1)
/// try levels.decode(into: buffer)    // exactly buffer.count values
/// ```
///
/// Input checks: the bit width is 0…32; run lengths are at most 2^31 − 1 values; an RLE value
/// must fit in the bit width; a bit-packed run whose bytes are cut short by the end of the data
/// yields only the values whose bits are all present, and asking for more throws `corrupt`.
package struct RLEHybridDecoder {
    private let bytes: UnsafeRawBufferPointer
    private let bitWidth: Int
    private let baseOffset: Int
    /// The next run header's offset.
    private var position = 0
    /// Values left in the current RLE run, and its value.
    private var repeatCount = 0
    private var repeatedValue: UInt32 = 0
    /// Values left in the current bit-packed run (only those whose bits are present), and the
    /// offset of its next group.
    private var literalCount = 0
    private var literalPosition = 0
    /// Values of a partly consumed group: `buffered.start ..< buffered.end` are still to be returned.
    private var buffered = Buffered()

    private struct Buffered {
        var values: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
        var start = 0
        var end = 0
    }

    /// Creates a decoder for runs of `bitWidth`-bit values (0…32) filling all of `bytes`.
    ///
    /// `baseOffset` is the offset of `bytes` within the page, used in error messages.
    /// The caller keeps `bytes` alive and unchanged while the decoder is used.
    package init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, baseOffset: Int = 0) throws(ParquetError) {
        guard (0 ... 32).contains(bitWidth) else {
            throw .corrupt("RLE/bit-packed bit width \(bitWidth) is outside 0…32", offset: baseOffset)
        }
        self.bytes = bytes
        self.bitWidth = bitWidth
        self.baseOffset = baseOffset
    }

    /// Creates a decoder for dictionary indices: one byte holding the bit width (0…32), then runs.
    ///
    /// ```
    /// 03 | 03 88 c6 fa   →  bitWidth 3; one bit-packed group: 0 1 2 3 4 5 6 7
    /// ```
    package static func dictionaryIndices(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) throws(ParquetError) -> RLEHybridDecoder {
        guard let width = bytes.first else {
            throw .corrupt("the dictionary index data is empty; it must start with a bit-width byte", offset: baseOffset)
        }
        guard width <= 32 else {
            throw .corrupt("dictionary index bit width \(width) exceeds 32", offset: baseOffset)
        }
        return try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), baseOffset: baseOffset + 1)
    }

    /// Creates a decoder for data with a 4-byte little-endian length prefix (v1 levels, RLE
    /// booleans) and returns it with the whole section's size, prefix included.
    ///
    /// ```
    /// 03 00 00 00 | 05 fe 01   →  length 3, then 3 bytes of runs; sectionByteCount = 7
    /// ```
    package static func lengthPrefixed(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, baseOffset: Int = 0) throws(ParquetError) -> (decoder: RLEHybridDecoder, sectionByteCount: Int) {
        guard bytes.count >= 4 else {
            throw .corrupt("the 4-byte length before RLE/bit-packed data is cut short (\(bytes.count) bytes left)", offset: baseOffset)
        }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        guard length <= bytes.count - 4 else {
            throw .corrupt("RLE/bit-packed data claims \(length) bytes but only \(bytes.count - 4) remain", offset: baseOffset)
        }
        let decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: bytes[4 ..< 4 + length]), bitWidth: bitWidth, baseOffset: baseOffset + 4)
        return (decoder, 4 + length)
    }

    /// The number of bytes read so far: the end of the last run header or run body reached.
    package var bytesConsumed: Int { position }

    /// Decodes exactly `output.count` values into `output`.
    ///
    /// Throws `corrupt` when the data ends first or a run header is invalid.
    package mutating func decode(into output: UnsafeMutableBufferPointer<UInt32>) throws(ParquetError) {
        guard var out = output.baseAddress else { return }
        var needed = output.count
        while needed > 0 {
            if buffered.start < buffered.end {
                let take = min(needed, buffered.end - buffered.start)
                let start = buffered.start
                withUnsafeBytes(of: buffered.values) { raw in
                    for i in 0 ..< take {
                        out[i] = raw.load(fromByteOffset: (start + i) * 4, as: UInt32.self)
                    }
                }
                buffered.start += take
                out += take
                needed -= take
            } else if repeatCount > 0 {
                let take = min(needed, repeatCount)
                out.update(repeating: repeatedValue, count: take)
                repeatCount -= take
                out += take
                needed -= take
            } else if literalCount > 0 {
                let base = bytes.baseAddress! + literalPosition
                let readable = bytes.count - literalPosition
                if needed >= 8, literalCount >= 8 {
                    let groups = min(needed, literalCount) / 8
                    BitUnpacker.unpack32(base, readable: readable, into: out, groups: groups, bitWidth: bitWidth)
                    literalPosition += groups * bitWidth
                    literalCount -= groups * 8
                    out += groups * 8
                    needed -= groups * 8
                } else {
                    // Fewer than 8 values wanted or left: unpack one group and keep the rest.
                    var group = buffered
                    withUnsafeMutableBytes(of: &group.values) { raw in
                        BitUnpacker.unpack32(base, readable: readable, into: raw.baseAddress!.assumingMemoryBound(to: UInt32.self), groups: 1, bitWidth: bitWidth)
                    }
                    group.start = 0
                    group.end = min(8, literalCount)
                    buffered = group
                    literalPosition += bitWidth
                    literalCount -= group.end
                }
            } else {
                try readRunHeader(stillNeeded: needed)
            }
        }
    }

    /// Decodes exactly `output.count` values as booleans (any non-zero value is `true`).
    package mutating func decodeBooleans(into output: UnsafeMutableBufferPointer<Bool>) throws(ParquetError) {
        guard let base = output.baseAddress else { return }
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { (values) throws(ParquetError) in
            var done = 0
            while done < output.count {
                let take = min(values.count, output.count - done)
                try decode(into: UnsafeMutableBufferPointer(rebasing: values[0 ..< take]))
                for i in 0 ..< take { base[done + i] = values[i] != 0 }
                done += take
            }
        }
    }

    /// Reads the next run header and sets up the run.
    ///
    /// ```
    /// header = uleb(h)    h & 1 == 1: bit-packed, h >> 1 groups of 8 values follow
    ///                     h & 1 == 0: RLE, h >> 1 repeats of the value that follows
    /// ```
    private mutating func readRunHeader(stillNeeded: Int) throws(ParquetError) {
        guard position < bytes.count else {
            throw .corrupt("RLE/bit-packed data ends with \(stillNeeded) more values expected", offset: baseOffset + position)
        }
        let headerOffset = position
        let header = try ULEB128.read(bytes, at: &position, baseOffset: baseOffset)
        let remaining = bytes.count - position
        if header & 1 == 1 {
            let groups = header >> 1
            // Runs hold at most 2^31 − 1 values.
            guard groups <= UInt64(Int32.max / 8) else {
                throw .corrupt("a bit-packed run claims \(groups) groups of 8 values, more than 2^31 − 1 values", offset: baseOffset + headerOffset)
            }
            let claimedBytes = Int(groups) * bitWidth
            literalPosition = position
            if claimedBytes <= remaining {
                literalCount = Int(groups) * 8
                position += claimedBytes
            } else {
                // Cut short by the end of the data: keep the values whose bits are all present.
                literalCount = remaining * 8 / bitWidth
                position = bytes.count
            }
        } else {
            let count = header >> 1
            guard count <= UInt64(Int32.max) else {
                throw .corrupt("an RLE run claims \(count) values, more than 2^31 − 1", offset: baseOffset + headerOffset)
            }
            let valueBytes = (bitWidth + 7) / 8
            guard valueBytes <= remaining else {
                throw .corrupt("an RLE run's value is cut short", offset: baseOffset + position)
            }
            var value: UInt32 = 0
            for i in 0 ..< valueBytes {
                value |= UInt32(bytes[position + i]) << UInt32(8 * i)
            }
            guard bitWidth == 32 || value >> UInt32(bitWidth) == 0 else {
                throw .corrupt("an RLE run's value \(value) does not fit in \(bitWidth) bits", offset: baseOffset + position)
            }
            position += valueBytes
            repeatedValue = value
            repeatCount = Int(count)
        }
    }
}
