import InteropSupport
import Testing
@testable import Parquet

@Suite("PLAIN encoding")
struct PlainEncodingTests {
    @Test("fixed-width vectors decode little-endian")
    func fixedWidthVectors() throws {
        let int32 = hexBytes("01 00 00 00 ff ff ff ff 00 00 00 80")
        var ints: [Int32] = [42]
        let consumed = try int32.withUnsafeBytes { try PlainDecoder.decode($0, count: 3, into: &ints) }
        #expect(ints == [42, 1, -1, Int32.min])
        #expect(consumed == 12)

        var longs: [Int64] = []
        _ = try hexBytes("00 00 00 00 00 00 00 00 ff ff ff ff ff ff ff 7f").withUnsafeBytes { try PlainDecoder.decode($0, count: 2, into: &longs) }
        #expect(longs == [0, .max])

        var doubles: [Double] = []
        _ = try hexBytes("00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 80").withUnsafeBytes { try PlainDecoder.decode($0, count: 2, into: &doubles) }
        #expect(doubles[0] == 1.0)
        #expect(doubles[1] == 0 && doubles[1].sign == .minus)

        var floats: [Float] = []
        _ = try hexBytes("00 00 80 3f 00 00 c0 7f").withUnsafeBytes { try PlainDecoder.decode($0, count: 2, into: &floats) }
        #expect(floats[0] == 1.0)
        #expect(floats[1].isNaN)
    }

    @Test("fixed-width data that is too short throws")
    func fixedWidthShort() throws {
        var ints: [Int32] = []
        #expect(errorCode { _ = try [UInt8](repeating: 0, count: 7).withUnsafeBytes { try PlainDecoder.decode($0, count: 2, into: &ints) } } == .corrupt)
        var doubles: [Double] = []
        #expect(errorCode { _ = try [UInt8]().withUnsafeBytes { try PlainDecoder.decode($0, count: 1, into: &doubles) } } == .corrupt)
        #expect(errorCode { _ = try [UInt8]().withUnsafeBytes { try PlainDecoder.decode($0, count: -1, into: &doubles) } } == .corrupt)
        #expect(doubles.isEmpty)
        // Zero values from zero bytes is fine.
        #expect(try [UInt8]().withUnsafeBytes { try PlainDecoder.decode($0, count: 0, into: &doubles) } == 0)
    }

    @Test("booleans are bit-packed LSB first")
    func booleans() throws {
        var values: [Bool] = []
        let consumed = try hexBytes("05 01").withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: 10, into: &values) }
        #expect(values == [true, false, true, false, false, false, false, false, true, false])
        #expect(consumed == 2)
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &encoded) }
        #expect(encoded == [0x05, 0x01])
        var short: [Bool] = []
        #expect(errorCode { _ = try [UInt8]([0x05]).withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: 9, into: &short) } } == .corrupt)
    }

    @Test("byte arrays are a u32 length and the bytes")
    func byteArrays() throws {
        let bytes = hexBytes("05 00 00 00") + Array("host1".utf8) + hexBytes("00 00 00 00") + hexBytes("03 00 00 00") + Array("abc".utf8)
        var values = ByteArrays()
        let consumed = try bytes.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: 3, into: &values) }
        #expect(consumed == bytes.count)
        #expect(values == ByteArrays(["host1", "", "abc"]))
        var encoded: [UInt8] = []
        PlainEncoder.encodeByteArrays(values, into: &encoded)
        #expect(encoded == bytes)
    }

    @Test("byte arrays with lying lengths throw", arguments: [
        [UInt8](), [0x05, 0, 0], [0x05, 0, 0, 0, 0x61], [0xff, 0xff, 0xff, 0xff, 0x61], [0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f],
    ])
    func badByteArrays(bytes: [UInt8]) {
        var values = ByteArrays()
        #expect(errorCode { _ = try bytes.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: 2, into: &values) } } == .corrupt)
    }

    @Test("fixed-length byte arrays are back to back")
    func fixedLength() throws {
        var values = ByteArrays()
        let consumed = try Array("abcdef".utf8).withUnsafeBytes { try PlainDecoder.decodeFixedLenByteArrays($0, count: 2, typeLength: 3, into: &values) }
        #expect(consumed == 6)
        #expect(values == ByteArrays(["abc", "def"]))
        #expect(errorCode { _ = try Array("abcde".utf8).withUnsafeBytes { try PlainDecoder.decodeFixedLenByteArrays($0, count: 2, typeLength: 3, into: &values) } } == .corrupt)
        #expect(errorCode { _ = try Array("abcde".utf8).withUnsafeBytes { try PlainDecoder.decodeFixedLenByteArrays($0, count: 2, typeLength: 0, into: &values) } } == .corrupt)
        var encoded: [UInt8] = []
        try PlainEncoder.encodeFixedLenByteArrays(ByteArrays(["abc", "def"]), typeLength: 3, into: &encoded)
        #expect(encoded == Array("abcdef".utf8))
        #expect(errorCode { try PlainEncoder.encodeFixedLenByteArrays(ByteArrays(["abc", "de"]), typeLength: 3, into: &encoded) } == .invalidArgument)
    }

    @Test("INT96 decodes to nanoseconds since the epoch")
    func int96() throws {
        // 1970-01-01T00:00:00 (Julian day 2440588), 2000-01-01T00:00:00.000000001, 1969-12-31T23:59:59.
        let bytes = hexBytes("00 00 00 00 00 00 00 00 8c 3d 25 00")
            + hexBytes("01 00 00 00 00 00 00 00 59 68 25 00")
            + hexBytes("00 36 b4 55 94 4e 00 00 8b 3d 25 00")
        var values: [Int64] = []
        let consumed = try bytes.withUnsafeBytes { try PlainDecoder.decodeInt96Nanoseconds($0, count: 3, into: &values) }
        #expect(consumed == 36)
        #expect(values == [0, 946_684_800_000_000_001, -1_000_000_000])
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encodeInt96(nanoseconds: $0, into: &encoded) }
        #expect(encoded == bytes)
        // Raw, as 12-byte values.
        var raw = ByteArrays()
        _ = try bytes.withUnsafeBytes { try PlainDecoder.decodeFixedLenByteArrays($0, count: 3, typeLength: 12, into: &raw) }
        #expect(Array(raw[0]) == Array(bytes[0 ..< 12]))
    }

    @Test("INT96 outside the Int64 nanosecond range throws")
    func int96Overflow() {
        var values: [Int64] = []
        // Julian day 2^32 − 1 and a nanos-of-day above Int64.max.
        #expect(errorCode { _ = try hexBytes("00 00 00 00 00 00 00 00 ff ff ff ff").withUnsafeBytes { try PlainDecoder.decodeInt96Nanoseconds($0, count: 1, into: &values) } } == .corrupt)
        #expect(errorCode { _ = try hexBytes("00 00 00 00 00 00 00 80 8c 3d 25 00").withUnsafeBytes { try PlainDecoder.decodeInt96Nanoseconds($0, count: 1, into: &values) } } == .corrupt)
        #expect(errorCode { _ = try hexBytes("00 00 00 00 00 00 00 00 8c 3d 25").withUnsafeBytes { try PlainDecoder.decodeInt96Nanoseconds($0, count: 1, into: &values) } } == .corrupt)
        #expect(PlainDecoder.int96Nanoseconds(julianDay: 0, nanosOfDay: 0) == nil)
        #expect(PlainDecoder.int96Nanoseconds(julianDay: 2_440_589, nanosOfDay: 5) == 86_400_000_000_005)
        // The range ends around the years 1677 and 2262.
        #expect(PlainDecoder.int96Nanoseconds(julianDay: 2_440_588 + 106_751, nanosOfDay: 0) != nil)
        #expect(PlainDecoder.int96Nanoseconds(julianDay: 2_440_588 + 106_752, nanosOfDay: 0) == nil)
    }

    @Test("random values round-trip, whole and through index subsets")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 77)
        for size in [0, 1, 2, 7, 8, 9, 100, 1001] {
            let ints = (0 ..< size).map { _ in Int32(truncatingIfNeeded: generator.next()) }
            let longs = (0 ..< size).map { _ in Int64(bitPattern: generator.next()) }
            let floats = (0 ..< size).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())) }
            let doubles = (0 ..< size).map { _ in Double(bitPattern: generator.next()) }
            let bools = (0 ..< size).map { _ in generator.next() & 1 == 1 }
            let strings = randomByteArrays(count: size, using: &generator)
            let subset = (0 ..< size).filter { _ in generator.next() % 3 != 0 }

            try checkFixed(ints, subset)
            try checkFixed(longs, subset)
            try checkFixed(floats, subset)
            try checkFixed(doubles, subset)

            var encoded: [UInt8] = []
            bools.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &encoded) }
            var decodedBools: [Bool] = []
            #expect(try encoded.withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: size, into: &decodedBools) } == encoded.count)
            #expect(decodedBools == bools)
            encoded.removeAll()
            bools.withUnsafeBufferPointer { b in subset.withUnsafeBufferPointer { PlainEncoder.encodeBooleans(b, indices: $0, into: &encoded) } }
            decodedBools.removeAll()
            _ = try encoded.withUnsafeBytes { try PlainDecoder.decodeBooleans($0, count: subset.count, into: &decodedBools) }
            #expect(decodedBools == subset.map { bools[$0] })

            encoded.removeAll()
            PlainEncoder.encodeByteArrays(strings, into: &encoded)
            var decodedStrings = ByteArrays()
            #expect(try encoded.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: size, into: &decodedStrings) } == encoded.count)
            #expect(decodedStrings == strings)
            encoded.removeAll()
            subset.withUnsafeBufferPointer { PlainEncoder.encodeByteArrays(strings, indices: $0, into: &encoded) }
            decodedStrings = ByteArrays()
            _ = try encoded.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: subset.count, into: &decodedStrings) }
            var expected = ByteArrays()
            for i in subset { expected.append(contentsOf: strings[i]) }
            #expect(decodedStrings == expected)

            let timestamps = longs.map { $0 / 4 }
            encoded.removeAll()
            timestamps.withUnsafeBufferPointer { PlainEncoder.encodeInt96(nanoseconds: $0, into: &encoded) }
            var decodedTimestamps: [Int64] = []
            _ = try encoded.withUnsafeBytes { try PlainDecoder.decodeInt96Nanoseconds($0, count: size, into: &decodedTimestamps) }
            #expect(decodedTimestamps == timestamps)

            var fixed = ByteArrays()
            for i in 0 ..< size { fixed.append(contentsOf: (0 ..< 5).map { UInt8(truncatingIfNeeded: i &* 31 &+ $0) }) }
            encoded.removeAll()
            try subset.withUnsafeBufferPointer { try PlainEncoder.encodeFixedLenByteArrays(fixed, typeLength: 5, indices: $0, into: &encoded) }
            var decodedFixed = ByteArrays()
            _ = try encoded.withUnsafeBytes { try PlainDecoder.decodeFixedLenByteArrays($0, count: subset.count, typeLength: 5, into: &decodedFixed) }
            #expect(decodedFixed.count == subset.count)
            for (k, i) in subset.enumerated() { #expect(decodedFixed[k] == fixed[i]) }
        }
    }

    private func checkFixed<Value: PlainFixedWidthValue>(_ values: [Value], _ subset: [Int]) throws {
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &encoded) }
        #expect(encoded.count == values.count * MemoryLayout<Value>.size)
        var decoded: [Value] = []
        #expect(try encoded.withUnsafeBytes { try PlainDecoder.decode($0, count: values.count, into: &decoded) } == encoded.count)
        #expect(decoded.map(\.bitPattern64) == values.map(\.bitPattern64))
        // Into a caller-owned buffer.
        var buffer = [Value](repeating: Value(), count: values.count)
        _ = try encoded.withUnsafeBytes { raw in try buffer.withUnsafeMutableBufferPointer { try PlainDecoder.decode(raw, into: $0) } }
        #expect(buffer.map(\.bitPattern64) == values.map(\.bitPattern64))

        encoded.removeAll()
        values.withUnsafeBufferPointer { v in subset.withUnsafeBufferPointer { PlainEncoder.encode(v, indices: $0, into: &encoded) } }
        decoded.removeAll()
        _ = try encoded.withUnsafeBytes { try PlainDecoder.decode($0, count: subset.count, into: &decoded) }
        #expect(decoded.map(\.bitPattern64) == subset.map { values[$0].bitPattern64 })
    }
}
