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
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func decode<Value: PlainFixedWidthValue>(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Value>, baseOffset: Int = 0) throws(ParquetError) {
        let width = MemoryLayout<Value>.size
        let count = output.count
        guard bytes.count / width == count, bytes.count % width == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT data of \(bytes.count) bytes does not hold exactly \(count) values of \(width) bytes", offset: baseOffset)
        }
        guard count > 0 else { return }
        let source = bytes.baseAddress!
        let destination = UnsafeMutableRawPointer(output.baseAddress!)
        switch width {
        case 4: gather4(source, destination, count)
        case 8: gather8(source, destination, count)
        default: gather(source, destination, count, width)
        }
    }

    /// Decodes `count` values and appends them to `output`.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
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

    /// Decodes 8-byte values 8 at a time: one 8-byte load per stream, a transpose of the bytes,
    /// then one store of each value's bits (so the result is right on any host).
    @inline(__always)
    private static func gather8(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int) {
        var i = 0
        while count - i >= 8 {
            @inline(__always) func row(_ j: Int) -> UInt64 {
                UInt64(littleEndian: source.loadUnaligned(fromByteOffset: j * count + i, as: UInt64.self))
            }
            var w0 = row(0), w1 = row(1), w2 = row(2), w3 = row(3), w4 = row(4), w5 = row(5), w6 = row(6), w7 = row(7)
            ByteTranspose.transpose8(&w0, &w1, &w2, &w3, &w4, &w5, &w6, &w7)
            let target = destination + i * 8
            target.storeBytes(of: w0, toByteOffset: 0, as: UInt64.self)
            target.storeBytes(of: w1, toByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: w2, toByteOffset: 16, as: UInt64.self)
            target.storeBytes(of: w3, toByteOffset: 24, as: UInt64.self)
            target.storeBytes(of: w4, toByteOffset: 32, as: UInt64.self)
            target.storeBytes(of: w5, toByteOffset: 40, as: UInt64.self)
            target.storeBytes(of: w6, toByteOffset: 48, as: UInt64.self)
            target.storeBytes(of: w7, toByteOffset: 56, as: UInt64.self)
            i += 8
        }
        gatherTail(source, destination, count, 8, from: i)
    }

    /// Decodes 4-byte values 4 at a time, like `gather8`.
    @inline(__always)
    private static func gather4(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int) {
        var i = 0
        while count - i >= 4 {
            @inline(__always) func row(_ j: Int) -> UInt32 {
                UInt32(littleEndian: source.loadUnaligned(fromByteOffset: j * count + i, as: UInt32.self))
            }
            var w0 = row(0), w1 = row(1), w2 = row(2), w3 = row(3)
            ByteTranspose.transpose4(&w0, &w1, &w2, &w3)
            let target = destination + i * 4
            target.storeBytes(of: w0, toByteOffset: 0, as: UInt32.self)
            target.storeBytes(of: w1, toByteOffset: 4, as: UInt32.self)
            target.storeBytes(of: w2, toByteOffset: 8, as: UInt32.self)
            target.storeBytes(of: w3, toByteOffset: 12, as: UInt32.self)
            i += 4
        }
        gatherTail(source, destination, count, 4, from: i)
    }

    /// Where little-endian byte `j` of a `width`-byte value lives in memory on this host.
    @inline(__always)
    private static func nativeIndex(_ j: Int, _ width: Int) -> Int {
        #if _endian(little)
        j
        #else
        width - 1 - j
        #endif
    }

    /// Decodes values `first ..< count` one byte at a time.
    @inline(__always)
    private static func gatherTail(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int, _ width: Int, from first: Int) {
        for i in first ..< count {
            for j in 0 ..< width {
                destination.storeBytes(of: source.load(fromByteOffset: j * count + i, as: UInt8.self), toByteOffset: i * width + nativeIndex(j, width), as: UInt8.self)
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
                let target = destination + first * width + nativeIndex(j, width)
                for i in 0 ..< n {
                    target.storeBytes(of: stream.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i * width, as: UInt8.self)
                }
            }
            first += n
        }
    }
}
