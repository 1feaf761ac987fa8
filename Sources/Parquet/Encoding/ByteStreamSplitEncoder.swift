/// Encodes BYTE_STREAM_SPLIT (encoding 9): FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
///
/// ```
/// values  AA BB CC DD | 00 11 22 33 | A3 B4 C5 D6   →   AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6
/// ```
package enum ByteStreamSplitEncoder {
    /// Appends the encoding of `values` to `output`.
    package static func encode<Value: PlainFixedWidthValue>(_ values: UnsafeBufferPointer<Value>, into output: inout [UInt8]) {
        let width = MemoryLayout<Value>.size
        let count = values.count
        guard count > 0 else { return }
        PlainEncoder.appendUninitialized(&output, byteCount: count * width) { destination in
            let source = UnsafeRawPointer(values.baseAddress!)
            for j in 0 ..< width {
                #if _endian(little)
                let byte = j
                #else
                let byte = width - 1 - j
                #endif
                let stream = destination + j * count
                for i in 0 ..< count {
                    stream.storeBytes(of: source.load(fromByteOffset: i * width + byte, as: UInt8.self), toByteOffset: i, as: UInt8.self)
                }
            }
        }
    }

    /// Appends the encoding of every value of `values`, each of which must be `typeLength` bytes.
    ///
    /// Throws `invalidArgument` naming the first value of another length.
    package static func encodeFixedLenByteArrays(_ values: ByteArrays, typeLength: Int, into output: inout [UInt8]) throws(ParquetError) {
        for i in 0 ..< values.count where values.length(at: i) != typeLength {
            throw ParquetError(.invalidArgument, "value \(i) is \(values.length(at: i)) bytes long, but the FIXED_LEN_BYTE_ARRAY length is \(typeLength)")
        }
        let count = values.count
        guard count > 0 else { return }
        values.bytes.withUnsafeBytes { source in
            PlainEncoder.appendUninitialized(&output, byteCount: count * typeLength) { destination in
                for j in 0 ..< typeLength {
                    let stream = destination + j * count
                    for i in 0 ..< count {
                        stream.storeBytes(of: source[i * typeLength + j], toByteOffset: i, as: UInt8.self)
                    }
                }
            }
        }
    }
}
