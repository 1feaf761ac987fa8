import InteropSupport
import Testing
@testable import Parquet

@Suite("Dictionary builders")
struct EncodingDictionaryTests {
    @Test("fixed-width values get dense indices in first-seen order")
    func fixedWidth() throws {
        var dictionary = DictionaryBuilder<Int64>()
        let values: [Int64] = [5, 7, 5, 5, -1, 7, 0]
        var indices: [UInt32] = []
        values.withUnsafeBufferPointer { dictionary.indices(for: $0, into: &indices) }
        #expect(indices == [0, 1, 0, 0, 2, 1, 3])
        #expect(dictionary.values == [5, 7, -1, 0])
        #expect(dictionary.encodedByteSize == 32)
        var page: [UInt8] = []
        dictionary.encodeDictionaryPage(into: &page)
        var decoded: [Int64] = []
        _ = try page.withUnsafeBytes { try PlainDecoder.decode($0, count: 4, into: &decoded) }
        #expect(decoded == dictionary.values)
    }

    @Test("floating-point entries compare by bits: 0.0 ≠ −0.0, NaN = the same NaN")
    func floatingBits() {
        var dictionary = DictionaryBuilder<Double>()
        #expect(dictionary.index(for: 0.0) == 0)
        #expect(dictionary.index(for: -0.0) == 1)
        #expect(dictionary.index(for: .nan) == 2)
        #expect(dictionary.index(for: .nan) == 2)
        #expect(dictionary.index(for: 0.0) == 0)
        var floats = DictionaryBuilder<Float>()
        #expect(floats.index(for: 1.5) == 0)
        #expect(floats.index(for: -1.5) == 1)
        #expect(floats.index(for: 1.5) == 0)
    }

    @Test("many distinct values survive rehashing", arguments: [0, 10, 100_000])
    func growth(capacity: Int) {
        var generator = SeededGenerator(seed: 9)
        var dictionary = DictionaryBuilder<Int32>(capacity: capacity)
        let distinct = (0 ..< 20_000).map { _ in Int32(truncatingIfNeeded: generator.next()) }
        var expected: [Int32: UInt32] = [:]
        for value in distinct + distinct.reversed() {
            let index = dictionary.index(for: value)
            if let known = expected[value] { #expect(index == known) } else { expected[value] = index }
        }
        #expect(dictionary.count == expected.count)
        for (value, index) in expected { #expect(dictionary.values[Int(index)] == value) }
        dictionary.removeAll()
        #expect(dictionary.count == 0)
        #expect(dictionary.index(for: 3) == 0)
    }

    @Test("byte arrays are hashed in place and stored once")
    func byteArrays() throws {
        var dictionary = ByteArrayDictionaryBuilder()
        let values = ByteArrays(["host1", "host2", "", "host1", "", "a longer value of more than eight bytes", "host2"])
        var indices: [UInt32] = []
        dictionary.indices(for: values, into: &indices)
        #expect(indices == [0, 1, 2, 0, 2, 3, 1])
        #expect(dictionary.values == ByteArrays(["host1", "host2", "", "a longer value of more than eight bytes"]))
        #expect(dictionary.encodedByteSize == 4 * 4 + 5 + 5 + 0 + 39)
        #expect(dictionary.index(of: values, at: 5) == 3)
        var page: [UInt8] = []
        dictionary.encodeDictionaryPage(into: &page)
        #expect(page.count == dictionary.encodedByteSize)
        var decoded = ByteArrays()
        _ = try page.withUnsafeBytes { try PlainDecoder.decodeByteArrays($0, count: 4, into: &decoded) }
        #expect(decoded == dictionary.values)
    }

    @Test("random byte arrays: indices agree with a Swift dictionary; the index stream round-trips")
    func byteArraysRandom() throws {
        var generator = SeededGenerator(seed: 21)
        let values = randomByteArrays(count: 30_000, using: &generator)
        var dictionary = ByteArrayDictionaryBuilder()
        var indices: [UInt32] = []
        dictionary.indices(for: values, into: &indices)
        var reference: [[UInt8]: UInt32] = [:]
        for i in 0 ..< values.count {
            let key = Array(values[i])
            let index = reference[key] ?? UInt32(reference.count)
            reference[key] = index
            #expect(indices[i] == index)
            #expect(Array(dictionary.values[Int(index)]) == key)
        }
        #expect(dictionary.count == reference.count)

        var stream: [UInt8] = []
        indices.withUnsafeBufferPointer { RLEHybridEncoder.encodeDictionaryIndices($0, dictionaryCount: dictionary.count, into: &stream) }
        #expect(Int(stream[0]) == RLEHybridEncoder.dictionaryIndexBitWidth(dictionaryCount: dictionary.count))
        let decoded = try stream.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
            var out = [UInt32](repeating: 0, count: indices.count)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return out
        }
        #expect(decoded == indices)
    }

    @Test("a one-entry dictionary writes bit width 0")
    func singleEntry() throws {
        var stream: [UInt8] = []
        [UInt32](repeating: 0, count: 10).withUnsafeBufferPointer { RLEHybridEncoder.encodeDictionaryIndices($0, dictionaryCount: 1, into: &stream) }
        #expect(stream == [0, 20])
        let decoded = try stream.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
            var out = [UInt32](repeating: 9, count: 10)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            return out
        }
        #expect(decoded == [UInt32](repeating: 0, count: 10))
    }
}
