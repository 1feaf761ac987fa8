/// Encodes DELTA_BYTE_ARRAY (encoding 7) BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY values.
///
/// ```
/// DELTA_BINARY_PACKED(prefix lengths) | DELTA_BINARY_PACKED(suffix lengths) | suffix bytes
/// ```
/// Each prefix is the longest run of bytes shared with the previous value.
package enum DeltaByteArrayEncoder {
    /// Appends the encoding of every value of `values` to `output`.
    package static func encode(_ values: ByteArrays, into output: inout [UInt8]) {
        let count = values.count
        var prefixes = [Int32](repeating: 0, count: count)
        var suffixes = [Int32](repeating: 0, count: count)
        values.offsets.withUnsafeBufferPointer { offsets in
            values.bytes.withUnsafeBufferPointer { bytes in
                for i in 0 ..< count {
                    let start = offsets[i], length = offsets[i + 1] - start
                    var shared = 0
                    if i > 0 {
                        let previousStart = offsets[i - 1]
                        let limit = min(length, start - previousStart)
                        while shared < limit, bytes[previousStart + shared] == bytes[start + shared] { shared += 1 }
                    }
                    prefixes[i] = Int32(shared)
                    suffixes[i] = Int32(length - shared)
                }
            }
        }
        prefixes.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        suffixes.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        values.offsets.withUnsafeBufferPointer { offsets in
            values.bytes.withUnsafeBytes { bytes in
                for i in 0 ..< count {
                    let end = offsets[i + 1]
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[end - Int(suffixes[i]) ..< end]))
                }
            }
        }
    }
}
