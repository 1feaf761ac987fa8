/// Encodes BYTE_STREAM_SPLIT (encoding 9): FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
///
/// ```
/// values  AA BB CC DD | 00 11 22 33 | A3 B4 C5 D6   →   AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6
/// ```
package enum ByteStreamSplitEncoder {
    /// Appends the encoding of `values` to `output`.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func encode<Value: PlainFixedWidthValue>(_ values: UnsafeBufferPointer<Value>, into output: inout [UInt8]) {
        let width = MemoryLayout<Value>.size
        let count = values.count
        guard count > 0 else { return }
        PlainEncoder.appendUninitialized(&output, byteCount: count * width) { destination in
            let source = UnsafeRawPointer(values.baseAddress!)
            switch width {
            case 4:
                scatter4(source, destination, count)
                return
            case 8:
                scatter8(source, destination, count)
                return
            default:
                break
            }
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

    /// Encodes 8-byte values 8 at a time: 8 loads of the values' bits, a transpose of their
    /// little-endian bytes, then one 8-byte store per stream.
    @inline(__always)
    private static func scatter8(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int) {
        var i = 0
        while count - i >= 8 {
            @inline(__always) func value(_ k: Int) -> UInt64 {
                source.loadUnaligned(fromByteOffset: (i + k) * 8, as: UInt64.self)
            }
            var w0 = value(0), w1 = value(1), w2 = value(2), w3 = value(3), w4 = value(4), w5 = value(5), w6 = value(6), w7 = value(7)
            ByteTranspose.transpose8(&w0, &w1, &w2, &w3, &w4, &w5, &w6, &w7)
            destination.storeBytes(of: w0.littleEndian, toByteOffset: i, as: UInt64.self)
            destination.storeBytes(of: w1.littleEndian, toByteOffset: count + i, as: UInt64.self)
            destination.storeBytes(of: w2.littleEndian, toByteOffset: 2 * count + i, as: UInt64.self)
            destination.storeBytes(of: w3.littleEndian, toByteOffset: 3 * count + i, as: UInt64.self)
            destination.storeBytes(of: w4.littleEndian, toByteOffset: 4 * count + i, as: UInt64.self)
            destination.storeBytes(of: w5.littleEndian, toByteOffset: 5 * count + i, as: UInt64.self)
            destination.storeBytes(of: w6.littleEndian, toByteOffset: 6 * count + i, as: UInt64.self)
            destination.storeBytes(of: w7.littleEndian, toByteOffset: 7 * count + i, as: UInt64.self)
            i += 8
        }
        scatterTail(source, destination, count, 8, from: i)
    }

    /// Encodes 4-byte values 4 at a time, like `scatter8`.
    @inline(__always)
    private static func scatter4(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int) {
        var i = 0
        while count - i >= 4 {
            @inline(__always) func value(_ k: Int) -> UInt32 {
                source.loadUnaligned(fromByteOffset: (i + k) * 4, as: UInt32.self)
            }
            var w0 = value(0), w1 = value(1), w2 = value(2), w3 = value(3)
            ByteTranspose.transpose4(&w0, &w1, &w2, &w3)
            destination.storeBytes(of: w0.littleEndian, toByteOffset: i, as: UInt32.self)
            destination.storeBytes(of: w1.littleEndian, toByteOffset: count + i, as: UInt32.self)
            destination.storeBytes(of: w2.littleEndian, toByteOffset: 2 * count + i, as: UInt32.self)
            destination.storeBytes(of: w3.littleEndian, toByteOffset: 3 * count + i, as: UInt32.self)
            i += 4
        }
        scatterTail(source, destination, count, 4, from: i)
    }

    /// Encodes values `first ..< count` one byte at a time (little-endian bytes on any host).
    @inline(__always)
    private static func scatterTail(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, _ count: Int, _ width: Int, from first: Int) {
        for i in first ..< count {
            for j in 0 ..< width {
                #if _endian(little)
                let byte = j
                #else
                let byte = width - 1 - j
                #endif
                destination.storeBytes(of: source.load(fromByteOffset: i * width + byte, as: UInt8.self), toByteOffset: j * count + i, as: UInt8.self)
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
