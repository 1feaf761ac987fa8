/// Encodes the RLE / bit-packing hybrid encoding (RLE = 3), for levels and dictionary indices.
///
/// ```
/// RLE run:        uleb(count << 1)        value in ceil(bitWidth / 8) bytes, little-endian
/// bit-packed run: (groups << 1 | 1) byte  groups * bitWidth bytes (≤ 63 groups per run)
/// ```
///
/// Values are buffered 8 at a time: 8 or more equal values in a row become an RLE run, anything
/// else is bit-packed (the last group is padded with zeros). Run lengths are split at 2^31 − 1.
/// Appending never allocates beyond the growth of the internal output buffer.
///
/// ```swift
/// var levels = RLEHybridEncoder(bitWidth: 1)
/// levels.append(1, count: 1000)
/// levels.append(0)
/// levels.finishLengthPrefixed(into: &page)    // v1 page: 4-byte length, then the runs
/// ```
package struct RLEHybridEncoder {
    /// The bit width of every value (0…32).
    package let bitWidth: Int
    /// Encoded runs: `output[0 ..< used]`; the rest is zeroed room to write into without
    /// growing the array for every byte.
    private var output: [UInt8] = []
    private var used = 0
    private var buffer: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var bufferedCount = 0
    private var previousValue: UInt32 = 0
    /// How many times `previousValue` has repeated since the last group was written.
    private var repeatCount = 0
    /// The offset of the current bit-packed run's header byte in `output`, or -1.
    private var literalHeaderOffset = -1
    private var literalGroupCount = 0

    private static let maximumRunLength = Int(Int32.max)

    /// Creates an encoder for `bitWidth`-bit values (0…32).
    package init(bitWidth: Int) {
        precondition((0 ... 32).contains(bitWidth), "RLEHybridEncoder: bit width \(bitWidth) is outside 0…32")
        self.bitWidth = bitWidth
    }

    /// An upper bound on the bytes written so far plus the values still buffered.
    package var estimatedByteCount: Int {
        used + 2 * (bitWidth + 1) + 10
    }

    /// Appends one value; it must fit in `bitWidth` bits.
    @inline(__always)
    package mutating func append(_ value: UInt32) {
        precondition(bitWidth == 32 || value >> UInt32(bitWidth) == 0, "RLEHybridEncoder: value does not fit in the bit width")
        if value == previousValue {
            repeatCount += 1
            if repeatCount >= 8 { return }    // inside an RLE run: only count
        } else {
            if repeatCount >= 8 { writeRepeatedRun() }
            repeatCount = 1
            previousValue = value
        }
        withUnsafeMutableBytes(of: &buffer) { $0.storeBytes(of: value, toByteOffset: bufferedCount * 4, as: UInt32.self) }
        bufferedCount += 1
        if bufferedCount == 8 { writeBufferedGroup() }
    }

    /// Appends `value` `count` times.
    package mutating func append(_ value: UInt32, count: Int) {
        var remaining = count
        // Feed single values until the run is established (at most 8 + 7 of them).
        while remaining > 0, !(value == previousValue && repeatCount >= 8) {
            append(value)
            remaining -= 1
        }
        repeatCount += remaining
    }

    /// Appends every value of `values`.
    package mutating func append(contentsOf values: UnsafeBufferPointer<UInt32>) {
        guard let base = values.baseAddress else { return }
        var i = 0
        let count = values.count
        while i < count {
            // Inside an RLE run: count the repeats in one scan.
            if repeatCount >= 8 {
                let start = i
                while i < count, base[i] == previousValue { i += 1 }
                repeatCount += i - start
                if i == count { break }
            }
            // At a group boundary outside any run, 8 values that are not all equal can only become
            // a bit-packed group (an RLE run needs 8 equal values in a row), so pack them directly.
            if bufferedCount == 0, repeatCount == 0, count - i >= 8 {
                let group = base + i
                let first = group[0]
                var difference: UInt32 = 0
                for k in 1 ..< 8 { difference |= group[k] ^ first }
                if difference != 0 {
                    if bitWidth < 32 {
                        var bits: UInt32 = 0
                        for k in 0 ..< 8 { bits |= group[k] }
                        precondition(bits >> UInt32(bitWidth) == 0, "RLEHybridEncoder: value does not fit in the bit width")
                    }
                    packGroup(group)
                    previousValue = group[7]
                    i += 8
                    continue
                }
            }
            append(base[i])
            i += 1
        }
    }

    /// Writes everything appended, as runs without a length prefix, to the end of `destination`,
    /// and resets the encoder for reuse.
    package mutating func finish(into destination: inout [UInt8]) {
        flush()
        destination.append(contentsOf: output[0 ..< used])
        reset()
    }

    /// Writes a 4-byte little-endian length and then the runs (v1 levels, RLE booleans), and
    /// resets the encoder.
    ///
    /// ```
    /// 03 00 00 00 | 05 fe 01
    /// ```
    package mutating func finishLengthPrefixed(into destination: inout [UInt8]) {
        flush()
        let length = UInt32(used).littleEndian
        withUnsafeBytes(of: length) { destination.append(contentsOf: $0) }
        destination.append(contentsOf: output[0 ..< used])
        reset()
    }

    /// Encodes `values` as runs without a length prefix.
    package static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into destination: inout [UInt8]) {
        var encoder = RLEHybridEncoder(bitWidth: bitWidth)
        encoder.append(contentsOf: values)
        encoder.finish(into: &destination)
    }

    /// Encodes dictionary indices for a data page: one byte holding the bit width, then runs.
    ///
    /// The bit width is the fewest bits that hold `dictionaryCount - 1` (0 for a one-entry
    /// dictionary), as pyarrow and parquet-java write it.
    /// ```
    /// 03 | 03 88 c6 fa   ←  indices 0…7 with an 8-entry dictionary
    /// ```
    package static func encodeDictionaryIndices(_ indices: UnsafeBufferPointer<UInt32>, dictionaryCount: Int, into destination: inout [UInt8]) {
        let width = dictionaryIndexBitWidth(dictionaryCount: dictionaryCount)
        destination.append(UInt8(width))
        encode(indices, bitWidth: width, into: &destination)
    }

    /// The bit width used for the indices of a dictionary with `dictionaryCount` entries.
    package static func dictionaryIndexBitWidth(dictionaryCount: Int) -> Int {
        dictionaryCount <= 1 ? 0 : BitPacker.bitWidth(of: UInt64(dictionaryCount - 1))
    }

    /// The bit width of levels whose maximum is `maxLevel`: `ceil(log2(maxLevel + 1))`.
    package static func levelBitWidth(maxLevel: Int) -> Int {
        maxLevel <= 0 ? 0 : BitPacker.bitWidth(of: UInt64(maxLevel))
    }

    private mutating func flush() {
        if repeatCount >= 8 {
            writeRepeatedRun()
        } else if bufferedCount > 0 {
            while bufferedCount < 8 {
                withUnsafeMutableBytes(of: &buffer) { $0.storeBytes(of: 0, toByteOffset: bufferedCount * 4, as: UInt32.self) }
                bufferedCount += 1
            }
            writeBufferedGroup()
        }
        endLiteralRun()
    }

    private mutating func reset() {
        used = 0
        bufferedCount = 0
        previousValue = 0
        repeatCount = 0
        literalHeaderOffset = -1
        literalGroupCount = 0
    }

    /// Writes `repeatCount` copies of `previousValue` as one or more RLE runs; the buffered
    /// values are all copies of it and are dropped.
    private mutating func writeRepeatedRun() {
        endLiteralRun()
        var remaining = repeatCount
        let valueBytes = (bitWidth + 7) / 8
        while remaining > 0 {
            let run = min(remaining, Self.maximumRunLength)
            reserve(6 + valueBytes)
            var header = UInt64(run) << 1
            while header >= 0x80 {
                output[used] = UInt8(truncatingIfNeeded: header) | 0x80
                used += 1
                header >>= 7
            }
            output[used] = UInt8(header)
            used += 1
            for i in 0 ..< valueBytes {
                output[used] = UInt8(truncatingIfNeeded: previousValue >> UInt32(8 * i))
                used += 1
            }
            remaining -= run
        }
        repeatCount = 0
        bufferedCount = 0
    }

    /// Bit-packs the 8 buffered values, extending the current bit-packed run.
    private mutating func writeBufferedGroup() {
        let values = buffer
        withUnsafeBytes(of: values) { raw in
            packGroup(raw.baseAddress!.assumingMemoryBound(to: UInt32.self))
        }
        bufferedCount = 0
    }

    /// Bit-packs 8 values into `bitWidth` bytes, extending the current bit-packed run.
    ///
    /// ```
    /// width 3, values 0…7  →  88 c6 fa    (value i at bits 3i ..< 3i + 3, LSB first)
    /// ```
    private mutating func packGroup(_ values: UnsafePointer<UInt32>) {
        if literalGroupCount == 63 { endLiteralRun() }
        reserve(1 + 32)
        if literalHeaderOffset < 0 {
            literalHeaderOffset = used
            output[used] = 0
            used += 1
        }
        // Up to 8 × 32 bits, gathered in four little-endian 64-bit words.
        let width = bitWidth
        let start = used
        output.withUnsafeMutableBytes { buffer in
            let raw = UnsafeMutableRawBufferPointer(rebasing: buffer[start ..< start + 32])
            var accumulator: UInt64 = 0
            var bits = 0
            var word = 0
            for k in 0 ..< 8 {
                let value = UInt64(values[k])
                accumulator |= value << UInt64(bits)
                if bits + width >= 64 {
                    raw.storeBytes(of: accumulator.littleEndian, toByteOffset: word * 8, as: UInt64.self)
                    word += 1
                    accumulator = bits == 0 ? 0 : value >> UInt64(64 - bits)
                    bits = bits + width - 64
                } else {
                    bits += width
                }
            }
            if bits > 0 { raw.storeBytes(of: accumulator.littleEndian, toByteOffset: word * 8, as: UInt64.self) }
        }
        used += width
        literalGroupCount += 1
        repeatCount = 0
    }

    /// Makes room for `byteCount` more bytes after `used`, growing geometrically.
    @inline(__always)
    private mutating func reserve(_ byteCount: Int) {
        if output.count - used < byteCount {
            output.append(contentsOf: repeatElement(0, count: max(byteCount, output.count, 256)))
        }
    }

    /// Writes the pending bit-packed run's header byte.
    private mutating func endLiteralRun() {
        guard literalHeaderOffset >= 0 else { return }
        output[literalHeaderOffset] = UInt8(literalGroupCount << 1 | 1)
        literalHeaderOffset = -1
        literalGroupCount = 0
    }
}
