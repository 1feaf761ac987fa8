import InteropSupport
import Testing
@testable import Parquet

@Suite("BYTE_STREAM_SPLIT")
struct ByteStreamSplitTests {
    @Test("Encodings.md example: three 4-byte values")
    func specExample() throws {
        let values: [Float] = [0xDDCC_BBAA, 0x3322_1100, 0xD6C5_B4A3].map { Float(bitPattern: $0) }
        let expected = hexBytes("AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6")
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &encoded) }
        #expect(encoded == expected)
        var decoded: [Float] = []
        try expected.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 3, into: &decoded) }
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        var ints: [Int32] = []
        try expected.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 3, into: &ints) }
        #expect(ints == [Int32(bitPattern: 0xDDCC_BBAA), 0x3322_1100, Int32(bitPattern: 0xD6C5_B4A3)])
        var fixed = ByteArrays()
        try expected.withUnsafeBytes { try ByteStreamSplitDecoder.decodeFixedLenByteArrays($0, count: 3, typeLength: 4, into: &fixed) }
        #expect(Array(fixed[0]) == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(Array(fixed[2]) == [0xA3, 0xB4, 0xC5, 0xD6])
    }

    @Test("the length must be exactly count × width")
    func lengths() throws {
        var doubles: [Double] = []
        #expect(errorCode { try [UInt8](repeating: 0, count: 15).withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 2, into: &doubles) } } == .corrupt)
        #expect(errorCode { try [UInt8](repeating: 0, count: 17).withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 2, into: &doubles) } } == .corrupt)
        #expect(errorCode { try [UInt8](repeating: 0, count: 24).withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 2, into: &doubles) } } == .corrupt)
        #expect(doubles.isEmpty)
        try [UInt8]().withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 0, into: &doubles) }
        var fixed = ByteArrays()
        #expect(errorCode { try [UInt8](repeating: 0, count: 7).withUnsafeBytes { try ByteStreamSplitDecoder.decodeFixedLenByteArrays($0, count: 2, typeLength: 3, into: &fixed) } } == .corrupt)
        #expect(errorCode { try [UInt8](repeating: 0, count: 6).withUnsafeBytes { try ByteStreamSplitDecoder.decodeFixedLenByteArrays($0, count: 2, typeLength: 0, into: &fixed) } } == .corrupt)
        var sink: [UInt8] = []
        #expect(errorCode { try ByteStreamSplitEncoder.encodeFixedLenByteArrays(ByteArrays(["ab", "c"]), typeLength: 2, into: &sink) } == .invalidArgument)
    }

    @Test("random values round-trip for every type and many sizes")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 0xB55)
        for size in [0, 1, 2, 3, 255, 256, 257, 1000, 5003] {
            try check((0 ..< size).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())) })
            try check((0 ..< size).map { _ in Double(bitPattern: generator.next()) })
            try check((0 ..< size).map { _ in Int32(truncatingIfNeeded: generator.next()) })
            try check((0 ..< size).map { _ in Int64(bitPattern: generator.next()) })
            for width in [1, 3, 16] {
                var values = ByteArrays()
                for _ in 0 ..< size { values.append(contentsOf: (0 ..< width).map { _ in UInt8(truncatingIfNeeded: generator.next()) }) }
                var encoded: [UInt8] = []
                try ByteStreamSplitEncoder.encodeFixedLenByteArrays(values, typeLength: width, into: &encoded)
                #expect(encoded.count == size * width)
                var decoded = ByteArrays()
                try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decodeFixedLenByteArrays($0, count: size, typeLength: width, into: &decoded) }
                #expect(decoded == values)
            }
        }
    }

    private func check<Value: PlainFixedWidthValue>(_ values: [Value]) throws {
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &encoded) }
        #expect(encoded.count == values.count * MemoryLayout<Value>.size)
        // Stream j holds byte j of every value.
        var plain: [UInt8] = []
        values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &plain) }
        let width = MemoryLayout<Value>.size
        for i in 0 ..< min(values.count, 5) {
            for j in 0 ..< width { #expect(encoded[j * values.count + i] == plain[i * width + j]) }
        }
        var decoded: [Value] = [Value()]
        try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: values.count, into: &decoded) }
        #expect(decoded.dropFirst().map(\.bitPattern64) == values.map(\.bitPattern64))
    }
}
