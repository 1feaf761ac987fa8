/// Encodes PLAIN (encoding 0) values, appending to a page buffer.
///
/// ```
/// INT32 / FLOAT 4 bytes LE · INT64 / DOUBLE 8 bytes LE · BOOLEAN bit-packed LSB first, zero-padded
/// INT96 nanos-of-day u64 LE | Julian day u32 LE · BYTE_ARRAY u32 LE length + bytes
/// FIXED_LEN_BYTE_ARRAY the bytes
/// ```
///
/// Each encoder takes either all values or an `indices` subset (for example the rows that are
/// not null, in order). Output space is reserved once per call; fixed-width values are copied in
/// bulk on little-endian hosts.
package enum PlainEncoder {
    /// Appends `values` little-endian.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func encode<Value: PlainFixedWidthValue>(_ values: UnsafeBufferPointer<Value>, into output: inout [UInt8]) {
        #if _endian(little)
        output.append(contentsOf: UnsafeRawBufferPointer(values))
        #else
        let size = MemoryLayout<Value>.size
        appendUninitialized(&output, byteCount: values.count * size) { base in
            for (i, value) in values.enumerated() { value.storeLittleEndian(to: base + i * size) }
        }
        #endif
    }

    /// Appends `values[i]` for each `i` of `indices`, little-endian.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func encode<Value: PlainFixedWidthValue>(_ values: UnsafeBufferPointer<Value>, indices: UnsafeBufferPointer<Int>, into output: inout [UInt8]) {
        let size = MemoryLayout<Value>.size
        appendUninitialized(&output, byteCount: indices.count * size) { base in
            for (i, index) in indices.enumerated() { values[index].storeLittleEndian(to: base + i * size) }
        }
    }

    /// Appends `values` as bit-packed booleans, LSB first; the last byte is zero-padded.
    package static func encodeBooleans(_ values: UnsafeBufferPointer<Bool>, into output: inout [UInt8]) {
        encodeBooleans(count: values.count, into: &output) { values[$0] }
    }

    /// Appends `values[i]` for each `i` of `indices` as bit-packed booleans.
    package static func encodeBooleans(_ values: UnsafeBufferPointer<Bool>, indices: UnsafeBufferPointer<Int>, into output: inout [UInt8]) {
        encodeBooleans(count: indices.count, into: &output) { values[indices[$0]] }
    }

    @inline(__always)
    private static func encodeBooleans(count: Int, into output: inout [UInt8], _ value: (Int) -> Bool) {
        output.reserveCapacity(output.count + (count + 7) / 8)
        var byte: UInt8 = 0
        for i in 0 ..< count {
            if value(i) { byte |= 1 << UInt8(i & 7) }
            if i & 7 == 7 {
                output.append(byte)
                byte = 0
            }
        }
        if count & 7 != 0 { output.append(byte) }
    }

    /// Appends nanosecond timestamps (since 1970-01-01) as INT96: nanoseconds of the day, then the
    /// Julian day (2440588 = 1970-01-01).
    ///
    /// ```
    /// 0 → 00 00 00 00 00 00 00 00 | 8c 3d 25 00
    /// ```
    package static func encodeInt96(nanoseconds values: UnsafeBufferPointer<Int64>, into output: inout [UInt8]) {
        let nanosPerDay: Int64 = 86_400_000_000_000
        appendUninitialized(&output, byteCount: values.count * 12) { base in
            for (i, value) in values.enumerated() {
                var days = value / nanosPerDay
                var nanos = value % nanosPerDay
                if nanos < 0 {
                    nanos += nanosPerDay
                    days -= 1
                }
                (base + i * 12).storeBytes(of: UInt64(nanos).littleEndian, as: UInt64.self)
                (base + i * 12 + 8).storeBytes(of: UInt32(truncatingIfNeeded: days + 2_440_588).littleEndian, as: UInt32.self)
            }
        }
    }

    /// Appends every value of `values` as a u32 length and its bytes.
    package static func encodeByteArrays(_ values: ByteArrays, into output: inout [UInt8]) {
        encodeByteArrays(values, count: values.count, into: &output) { $0 }
    }

    /// Appends `values[i]` for each `i` of `indices` as a u32 length and its bytes.
    package static func encodeByteArrays(_ values: ByteArrays, indices: UnsafeBufferPointer<Int>, into output: inout [UInt8]) {
        encodeByteArrays(values, count: indices.count, into: &output) { indices[$0] }
    }

    @inline(__always)
    private static func encodeByteArrays(_ values: ByteArrays, count: Int, into output: inout [UInt8], _ index: (Int) -> Int) {
        values.offsets.withUnsafeBufferPointer { offsets in
            var total = 4 * count
            for i in 0 ..< count {
                let value = index(i)
                total += offsets[value + 1] - offsets[value]
            }
            values.bytes.withUnsafeBytes { bytes in
                appendUninitialized(&output, byteCount: total) { base in
                    var position = 0
                    for i in 0 ..< count {
                        let value = index(i)
                        let start = offsets[value], length = offsets[value + 1] - start
                        (base + position).storeBytes(of: UInt32(length).littleEndian, as: UInt32.self)
                        position += 4
                        if length > 0 {
                            (base + position).copyMemory(from: bytes.baseAddress! + start, byteCount: length)
                        }
                        position += length
                    }
                }
            }
        }
    }

    /// Appends every value of `values` back to back; each must be `typeLength` bytes long.
    ///
    /// Throws `invalidArgument` naming the first value of another length.
    package static func encodeFixedLenByteArrays(_ values: ByteArrays, typeLength: Int, into output: inout [UInt8]) throws(ParquetError) {
        for i in 0 ..< values.count where values.length(at: i) != typeLength {
            throw ParquetError(.invalidArgument, "value \(i) is \(values.length(at: i)) bytes long, but the FIXED_LEN_BYTE_ARRAY length is \(typeLength)")
        }
        output.append(contentsOf: values.bytes)
    }

    /// Appends `values[i]` for each `i` of `indices` back to back; each must be `typeLength` bytes.
    package static func encodeFixedLenByteArrays(_ values: ByteArrays, typeLength: Int, indices: UnsafeBufferPointer<Int>, into output: inout [UInt8]) throws(ParquetError) {
        for index in indices where values.length(at: index) != typeLength {
            throw ParquetError(.invalidArgument, "value \(index) is \(values.length(at: index)) bytes long, but the FIXED_LEN_BYTE_ARRAY length is \(typeLength)")
        }
        output.reserveCapacity(output.count + indices.count * typeLength)
        values.bytes.withUnsafeBytes { bytes in
            for index in indices {
                let start = values.offsets[index]
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start ..< start + typeLength]))
            }
        }
    }

    /// Grows `output` by `byteCount` bytes and lets `body` fill them.
    @inline(__always)
    static func appendUninitialized(_ output: inout [UInt8], byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        guard byteCount > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: byteCount))
        output.withUnsafeMutableBytes { raw in body(raw.baseAddress! + start) }
    }
}
