/// Decodes DELTA_LENGTH_BYTE_ARRAY (encoding 6) BYTE_ARRAY values.
///
/// ```
/// DELTA_BINARY_PACKED(lengths) | value bytes, back to back
///
/// "Hello" "World" "Foobar" "ABCDEF"  →  DBP(5 5 6 6) | HelloWorldFoobarABCDEF
/// ```
///
/// The lengths are decoded 256 at a time into a stack buffer; nothing is allocated besides the
/// growth of the output.
package enum DeltaLengthByteArrayDecoder {
    /// Decodes `count` values and appends them to `output`; returns the bytes consumed (the
    /// lengths, then the bytes of the `count` values).
    ///
    /// The stream may hold more lengths than `count` (they are skipped), not fewer. Negative
    /// lengths and values running past the end throw `corrupt`.
    package static func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout ByteArrays, baseOffset: Int = 0) throws(ParquetError) -> Int {
        var lengths = try DeltaBinaryPackedDecoder(bytes, baseOffset: baseOffset)
        guard count >= 0, count <= lengths.totalCount else {
            throw .corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.totalCount) values, \(count) expected", offset: baseOffset)
        }
        var end = lengths
        try end.skipRemaining()
        var position = end.bytesConsumed
        // Reserve no more values than the input could plausibly describe; growth handles the rest.
        output.reserveCapacity(values: min(count, bytes.count + 1024), bytes: bytes.count - position)
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { (chunk) throws(ParquetError) in
            var done = 0
            while done < count {
                let take = min(chunk.count, count - done)
                let slice = UnsafeMutableBufferPointer(rebasing: chunk[0 ..< take])
                try lengths.decode(into: slice)
                for length in slice {
                    guard length >= 0 else {
                        throw .corrupt("DELTA_LENGTH_BYTE_ARRAY length \(length) is negative", offset: baseOffset)
                    }
                    let length = Int(length)
                    guard length <= bytes.count - position else {
                        throw .corrupt("a DELTA_LENGTH_BYTE_ARRAY value of \(length) bytes runs past the end of the data", offset: baseOffset + position)
                    }
                    output.append(UnsafeRawBufferPointer(rebasing: bytes[position ..< position + length]))
                    position += length
                }
                done += take
            }
        }
        return position
    }
}
