/// Decodes DELTA_BYTE_ARRAY (encoding 7) BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values.
///
/// ```
/// DELTA_BINARY_PACKED(prefix lengths) | DELTA_BINARY_PACKED(suffix lengths) | suffix bytes
///
/// "axis" "axle" "babble" "babyhood"  →  DBP(0 2 0 3) | DBP(4 2 6 5) | axis le babble yhood
/// value[i] = first prefixLength[i] bytes of value[i − 1], then suffix[i]
/// ```
///
/// Lengths are decoded 256 at a time into stack buffers; the previous value is kept in one
/// scratch array, so the only allocations are that array and the output's growth.
package enum DeltaByteArrayDecoder {
    /// The default bound on the bytes one call may append: prefixes let a few bytes of input
    /// stand for very long values, so the output is capped rather than trusted.
    package static let defaultOutputByteLimit = 1 << 30

    /// Decodes `count` values and appends them to `output`; returns the bytes consumed.
    ///
    /// With `fixedLength`, every value must have that length (FIXED_LEN_BYTE_ARRAY). A prefix
    /// longer than the previous value, a negative length or a value running past the end throws
    /// `corrupt`; output beyond `outputByteLimit` bytes throws `limitExceeded`.
    package static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout ByteArrays, fixedLength: Int? = nil, outputByteLimit: Int = defaultOutputByteLimit, baseOffset: Int = 0) throws(ParquetError) -> Int {
        var prefixes = try DeltaBinaryPackedDecoder(bytes, baseOffset: baseOffset)
        guard count >= 0, count <= prefixes.totalCount else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(prefixes.totalCount) prefix lengths, \(count) expected", offset: baseOffset)
        }
        var prefixEnd = prefixes
        try prefixEnd.skipRemaining()
        let suffixStart = prefixEnd.bytesConsumed
        let suffixBytes = UnsafeRawBufferPointer(rebasing: bytes[suffixStart...])
        var suffixes = try DeltaBinaryPackedDecoder(suffixBytes, baseOffset: baseOffset + suffixStart)
        guard count <= suffixes.totalCount else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(suffixes.totalCount) suffix lengths, \(count) expected", offset: baseOffset + suffixStart)
        }
        var suffixEnd = suffixes
        try suffixEnd.skipRemaining()
        var position = suffixStart + suffixEnd.bytesConsumed
        var previous: [UInt8] = []
        var produced = 0
        output.reserveCapacity(values: min(count, bytes.count + 1024), bytes: min(outputByteLimit, bytes.count - position))
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { (chunk) throws(ParquetError) in
            let prefixChunk = UnsafeMutableBufferPointer(rebasing: chunk[0 ..< 256])
            let suffixChunk = UnsafeMutableBufferPointer(rebasing: chunk[256 ..< 512])
            var done = 0
            while done < count {
                let take = min(256, count - done)
                try prefixes.decode(into: UnsafeMutableBufferPointer(rebasing: prefixChunk[0 ..< take]))
                try suffixes.decode(into: UnsafeMutableBufferPointer(rebasing: suffixChunk[0 ..< take]))
                for i in 0 ..< take {
                    let prefix = Int(prefixChunk[i]), suffix = Int(suffixChunk[i])
                    guard prefix >= 0, prefix <= previous.count else {
                        throw .corrupt("DELTA_BYTE_ARRAY value \(done + i) has prefix length \(prefix), but the previous value has \(previous.count) bytes", offset: baseOffset)
                    }
                    guard suffix >= 0 else {
                        throw .corrupt("DELTA_BYTE_ARRAY suffix length \(suffix) is negative", offset: baseOffset + suffixStart)
                    }
                    guard suffix <= bytes.count - position else {
                        throw .corrupt("a DELTA_BYTE_ARRAY suffix of \(suffix) bytes runs past the end of the data", offset: baseOffset + position)
                    }
                    let length = prefix + suffix
                    if let fixedLength, length != fixedLength {
                        throw .corrupt("DELTA_BYTE_ARRAY value \(done + i) is \(length) bytes long, but the FIXED_LEN_BYTE_ARRAY length is \(fixedLength)", offset: baseOffset + position)
                    }
                    guard length <= outputByteLimit - produced else {
                        throw ParquetError(.limitExceeded, "DELTA_BYTE_ARRAY values exceed \(outputByteLimit) bytes", location: .init(offset: baseOffset + position))
                    }
                    produced += length
                    previous.removeLast(previous.count - prefix)
                    previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position ..< position + suffix]))
                    position += suffix
                    previous.withUnsafeBytes { output.append($0) }
                }
                done += take
            }
        }
        return position
    }
}
