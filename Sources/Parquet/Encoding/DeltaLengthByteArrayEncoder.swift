/// Encodes DELTA_LENGTH_BYTE_ARRAY (encoding 6) BYTE_ARRAY values.
///
/// ```
/// DELTA_BINARY_PACKED(lengths) | value bytes, back to back
/// ```
package enum DeltaLengthByteArrayEncoder {
    /// Appends the encoding of every value of `values` to `output`.
    package static func encode(_ values: ByteArrays, into output: inout [UInt8]) {
        let lengths = [Int32](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            values.offsets.withUnsafeBufferPointer { offsets in
                for i in 0 ..< values.count { buffer[i] = Int32(offsets[i + 1] - offsets[i]) }
            }
            initialized = values.count
        }
        lengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &output) }
        output.append(contentsOf: values.bytes)
    }
}
