/// Decodes BYTE_STREAM_SPLIT (encoding 9): FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
///
/// For N values of K bytes, byte j of value i is at `j * N + i`:
/// ```
/// values  AA BB CC DD | 00 11 22 33 | A3 B4 C5 D6       (three 4-byte values)
/// stream  AA 00 A3 | BB 11 B4 | CC 22 C5 | DD 33 D6     (stream j = byte j of every value)
/// ```
/// The data has no header: its length must be exactly K × N.
package enum ByteStreamSplitDecoder {
    /// Decodes `output.count` values from `bytes`, which must hold exactly that many.
    package static func decode<Value: PlainFixedWidthValue>(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Value>, baseOffset: Int = 0) throws(ParquetError) {
        let width = MemoryLayout<Value>.size
        let count = output.count
        guard bytes.count / width == count, bytes.count % width == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT data of \(bytes.count) bytes does not hold exactly \(count) values of \(width) bytes", offset: baseOffset)
        }
        guard count > 0 else { return }
        let source = bytes.baseAddress!
        let destination = UnsafeMutableRawPointer(output.baseAddress!)
        #if _endian(little)
        switch width {
        case 4: gather(source, destination, count, 4)
        case 8: gather(source, destination, count, 8)
        default: gather(source, destination, count, width)
        }
        #else
        for i in 0 ..< count {
            for j in 0 ..< width {
                destination.storeBytes(of: source.load(fromByteOffset: j * count + i, as: UInt8.self), toByteOffset: i * width + (width - 1 - j), as: UInt8.self)
            }
        }
        #endif
    }

    /// Decodes `count` values and appends them to `output`.
    package static func decode<Value: PlainFixedWidthValue>(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout [Value], baseOffset: Int = 0) throws(ParquetError) {
        let width = MemoryLayout<Value>.size
        guard count >= 0, bytes.count / width == count, bytes.count % width == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT data of \(bytes.count) bytes does not hold exactly \(count) values of \(width) bytes", offset: baseOffset)
        }
        let start = output.count
        output.append(contentsOf: repeatElement(Value(), count: count))
        try output.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]), baseOffset: baseOffset)
        }
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `typeLength` bytes and appends them to `output`.
    package static func decodeFixedLenByteArrays(_ bytes: UnsafeRawBufferPointer, count: Int, typeLength: Int, into output: inout ByteArrays, baseOffset: Int = 0) throws(ParquetError) {
        guard typeLength > 0 else {
            throw .corrupt("FIXED_LEN_BYTE_ARRAY type length \(typeLength) is not positive", offset: baseOffset)
        }
        guard count >= 0, bytes.count / typeLength == count, bytes.count % typeLength == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT data of \(bytes.count) bytes does not hold exactly \(count) values of \(typeLength) bytes", offset: baseOffset)
        }
        guard count > 0 else { return }
        output.reserveCapacity(values: count, bytes: bytes.count)
        // Regroup a chunk of values at a time in one scratch buffer, then append each.
        let chunkValues = max(1, min(count, 4096 / typeLength))
        withUnsafeTemporaryAllocation(byteCount: chunkValues * typeLength, alignment: 8) { scratch in
            let source = bytes.baseAddress!
            var first = 0
            while first < count {
                let n = min(chunkValues, count - first)
                for j in 0 ..< typeLength {
                    let stream = source + j * count + first
                    for i in 0 ..< n { scratch[i * typeLength + j] = stream.load(fromByteOffset: i, as: UInt8.self) }
                }
                for i in 0 ..< n {
                    output.append(UnsafeRawBufferPointer(rebasing: scratch[i * typeLength ..< (i + 1) * typeLength]))
                }
                first += n
            }
        }
    }

    /// Writes value i's byte j from `source[j * count + i]` to `destination[i * width + j]`.
    @inline(__always)
    private static func gather(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int, _ width: Int) {
        // Blocks of values keep the `width` input streams and the output hot in cache.
        let block = 256
        var first = 0
        while first < count {
            let n = min(block, count - first)
            for j in 0 ..< width {
                let stream = source + j * count + first
                let target = destination + first * width + j
                for i in 0 ..< n {
                    target.storeBytes(of: stream.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i * width, as: UInt8.self)
                }
            }
            first += n
        }
    }
}
