/// Decodes PLAIN (encoding 0) values: data pages and dictionary pages.
///
/// ```
/// INT32 / FLOAT     4 bytes little-endian each        INT64 / DOUBLE   8 bytes each
/// BOOLEAN           bit-packed, LSB first: 05 → true, false, true, false, …
/// INT96             12 bytes: nanoseconds of the day (u64 LE) | Julian day (u32 LE)
/// BYTE_ARRAY        u32 LE length, then the bytes:   03 00 00 00 61 62 63 → "abc"
/// FIXED_LEN_BYTE_ARRAY  typeLength bytes each, back to back
/// ```
///
/// Every function decodes exactly `count` values (or `output.count`), returns the number of bytes
/// it consumed, and throws `corrupt` (with the offset within the page, `baseOffset` + position)
/// when the bytes run out; sizes are checked before anything is allocated. Fixed-width values are
/// copied in bulk on little-endian hosts. After an error, an appended-to `output` may hold the
/// values decoded before it.
package enum PlainDecoder {
    /// Decodes `output.count` fixed-width values into `output`; returns the bytes consumed.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func decode<Value: PlainFixedWidthValue>(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Value>, baseOffset: Int = 0) throws(ParquetError) -> Int {
        let size = MemoryLayout<Value>.size
        let count = output.count
        guard count <= bytes.count / size else {
            throw .corrupt("PLAIN data holds \(bytes.count / size) values of \(size) bytes, \(count) expected", offset: baseOffset + bytes.count)
        }
        guard count > 0 else { return 0 }
        let source = bytes.baseAddress!
        #if _endian(little)
        UnsafeMutableRawPointer(output.baseAddress!).copyMemory(from: source, byteCount: count * size)
        #else
        for i in 0 ..< count { output[i] = Value.loadLittleEndian(from: source + i * size) }
        #endif
        return count * size
    }

    /// Decodes `count` fixed-width values and appends them to `output`; returns the bytes consumed.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package static func decode<Value: PlainFixedWidthValue>(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout [Value], baseOffset: Int = 0) throws(ParquetError) -> Int {
        let size = MemoryLayout<Value>.size
        guard count >= 0, count <= bytes.count / size else {
            throw .corrupt("PLAIN data holds \(bytes.count / size) values of \(size) bytes, \(count) expected", offset: baseOffset + bytes.count)
        }
        let start = output.count
        output.append(contentsOf: repeatElement(Value(), count: count))
        return try output.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]), baseOffset: baseOffset)
        }
    }

    /// Decodes `output.count` bit-packed booleans; returns the bytes consumed, `ceil(count / 8)`.
    package static func decodeBooleans(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Bool>, baseOffset: Int = 0) throws(ParquetError) -> Int {
        let count = output.count
        let needed = count / 8 + (count % 8 == 0 ? 0 : 1)
        guard needed <= bytes.count else {
            throw .corrupt("PLAIN booleans need \(needed) bytes for \(count) values, \(bytes.count) remain", offset: baseOffset + bytes.count)
        }
        guard let out = output.baseAddress else { return 0 }
        let whole = count / 8
        for byteIndex in 0 ..< whole {
            let byte = bytes[byteIndex]
            let base = out + byteIndex * 8
            for bit in 0 ..< 8 { base[bit] = (byte >> UInt8(bit)) & 1 != 0 }
        }
        if whole < needed {
            let byte = bytes[whole]
            for bit in 0 ..< count - whole * 8 { out[whole * 8 + bit] = (byte >> UInt8(bit)) & 1 != 0 }
        }
        return needed
    }

    /// Decodes `count` bit-packed booleans and appends them to `output`; returns the bytes consumed.
    package static func decodeBooleans(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout [Bool], baseOffset: Int = 0) throws(ParquetError) -> Int {
        guard count >= 0, count / 8 + (count % 8 == 0 ? 0 : 1) <= bytes.count else {
            throw .corrupt("PLAIN booleans: \(count) values do not fit in \(bytes.count) bytes", offset: baseOffset + bytes.count)
        }
        let start = output.count
        output.append(contentsOf: repeatElement(false, count: count))
        return try output.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decodeBooleans(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]), baseOffset: baseOffset)
        }
    }

    /// Decodes `count` INT96 values as nanoseconds since 1970-01-01T00:00:00 and appends them to
    /// `output`; returns the bytes consumed.
    ///
    /// ```
    /// 00 00 00 00 00 00 00 00 | 8c 3d 25 00   →  nanos 0, Julian day 2440588 → 0 (1970-01-01)
    /// ```
    /// Result = (julianDay − 2440588) × 86 400 000 000 000 + nanosOfDay; a result outside `Int64`
    /// throws `corrupt`.
    package static func decodeInt96Nanoseconds(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout [Int64], baseOffset: Int = 0) throws(ParquetError) -> Int {
        guard count >= 0, count <= bytes.count / 12 else {
            throw .corrupt("PLAIN INT96 data holds \(bytes.count / 12) values, \(count) expected", offset: baseOffset + bytes.count)
        }
        output.reserveCapacity(output.count + count)
        for i in 0 ..< count {
            let offset = i * 12
            let nanos = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let julianDay = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            guard let value = int96Nanoseconds(julianDay: julianDay, nanosOfDay: nanos) else {
                throw .corrupt("INT96 timestamp (Julian day \(julianDay), \(nanos) ns) is out of the Int64 nanosecond range", offset: baseOffset + offset)
            }
            output.append(value)
        }
        return count * 12
    }

    /// Decodes `dest.count` INT96 values into `dest`: nanoseconds since the epoch, or
    /// microseconds when `microseconds` is set (what pyarrow's `coerce_int96_timestamp_unit="us"`
    /// and Spark read: whole days in microseconds plus the nanoseconds of the day divided by
    /// 1,000). A value outside the nanosecond range throws `corrupt` whose `underlying` is
    /// ``Int96OutOfNanosecondRange``, so the reader can read the column again in microseconds; a
    /// value outside even the microsecond range (beyond ±292,000 years) throws `corrupt`.
    package static func decodeInt96(_ bytes: UnsafeRawBufferPointer, into dest: UnsafeMutableBufferPointer<Int64>,
                                    microseconds: Bool, baseOffset: Int = 0) throws(ParquetError) {
        guard dest.count <= bytes.count / 12 else {
            throw .corrupt("PLAIN INT96 data holds \(bytes.count / 12) values, \(dest.count) expected", offset: baseOffset + bytes.count)
        }
        for i in 0 ..< dest.count {
            let offset = i * 12
            let nanos = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let julianDay = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            if microseconds {
                guard let value = int96Microseconds(julianDay: julianDay, nanosOfDay: nanos) else {
                    throw .corrupt("INT96 timestamp (Julian day \(julianDay), \(nanos) ns) is out of the Int64 microsecond range", offset: baseOffset + offset)
                }
                dest[i] = value
            } else {
                guard let value = int96Nanoseconds(julianDay: julianDay, nanosOfDay: nanos) else {
                    throw ParquetError(.corrupt, "INT96 timestamp (Julian day \(julianDay), \(nanos) ns) is out of the Int64 nanosecond range",
                                       location: .init(offset: baseOffset + offset), underlying: Int96OutOfNanosecondRange())
                }
                dest[i] = value
            }
        }
    }

    /// Microseconds since the Unix epoch for an INT96 timestamp, or nil when out of range:
    /// (julianDay − 2440588) × 86 400 000 000 + nanosOfDay / 1000.
    @inline(__always)
    package static func int96Microseconds(julianDay: UInt32, nanosOfDay: UInt64) -> Int64? {
        let days = Int64(julianDay) - 2_440_588
        let (dayMicros, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000)
        guard !overflow, let micros = Int64(exactly: nanosOfDay / 1000) else { return nil }
        let (sum, overflow2) = dayMicros.addingReportingOverflow(micros)
        return overflow2 ? nil : sum
    }

    /// Nanoseconds since the Unix epoch for an INT96 timestamp, or nil when out of range.
    @inline(__always)
    package static func int96Nanoseconds(julianDay: UInt32, nanosOfDay: UInt64) -> Int64? {
        let nanosPerDay: Int64 = 86_400_000_000_000
        var days = Int64(julianDay) - 2_440_588
        guard var nanos = Int64(exactly: nanosOfDay) else { return nil }
        // Before 1970 count from the end of the day, so that the first day of the range
        // (1677-09-21, whose midnight is below Int64.min ns) does not overflow on the way.
        if days < 0 && nanos > 0 {
            days += 1
            nanos -= nanosPerDay
        }
        let (dayNanos, overflow) = days.multipliedReportingOverflow(by: nanosPerDay)
        guard !overflow else { return nil }
        let (sum, overflow2) = dayNanos.addingReportingOverflow(nanos)
        return overflow2 ? nil : sum
    }

    /// Decodes `count` length-prefixed byte arrays and appends them to `output`; returns the
    /// bytes consumed.
    ///
    /// ```
    /// 05 00 00 00 'host1' 05 00 00 00 'host2' …
    /// ```
    package static func decodeByteArrays(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout ByteArrays, baseOffset: Int = 0) throws(ParquetError) -> Int {
        guard count >= 0, count <= bytes.count / 4 else {
            throw .corrupt("PLAIN BYTE_ARRAY data of \(bytes.count) bytes cannot hold \(count) values", offset: baseOffset + bytes.count)
        }
        output.reserveCapacity(values: count, bytes: bytes.count - 4 * count)
        var position = 0
        let end = bytes.count
        for _ in 0 ..< count {
            guard end - position >= 4 else {
                throw .corrupt("a PLAIN BYTE_ARRAY length is cut short", offset: baseOffset + position)
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= end - position else {
                throw .corrupt("a PLAIN BYTE_ARRAY value claims \(length) bytes but only \(end - position) remain", offset: baseOffset + position - 4)
            }
            output.append(UnsafeRawBufferPointer(rebasing: bytes[position ..< position + length]))
            position += length
        }
        return position
    }

    /// Decodes `count` values of `typeLength` bytes each (FIXED_LEN_BYTE_ARRAY, or INT96 kept raw
    /// with `typeLength` 12) and appends them to `output`; returns the bytes consumed.
    package static func decodeFixedLenByteArrays(_ bytes: UnsafeRawBufferPointer, count: Int, typeLength: Int, into output: inout ByteArrays, baseOffset: Int = 0) throws(ParquetError) -> Int {
        guard typeLength > 0 else {
            throw .corrupt("FIXED_LEN_BYTE_ARRAY type length \(typeLength) is not positive", offset: baseOffset)
        }
        guard count >= 0, count <= bytes.count / typeLength else {
            throw .corrupt("PLAIN FIXED_LEN_BYTE_ARRAY(\(typeLength)) data of \(bytes.count) bytes cannot hold \(count) values", offset: baseOffset + bytes.count)
        }
        output.reserveCapacity(values: count, bytes: count * typeLength)
        for i in 0 ..< count {
            output.append(UnsafeRawBufferPointer(rebasing: bytes[i * typeLength ..< (i + 1) * typeLength]))
        }
        return count * typeLength
    }
}

/// The `underlying` error of the `corrupt` error thrown for an INT96 value outside the Int64
/// nanosecond range (1677-09-21 to 2262-04-11), such as Spark's 0001-01-01 and 9999-12-31
/// sentinels: the reader catches it and reads the column in microseconds.
package struct Int96OutOfNanosecondRange: Error, Sendable {}
