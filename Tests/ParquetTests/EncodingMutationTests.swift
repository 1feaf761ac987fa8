import InteropSupport
import Testing
@testable import Parquet

/// Randomly mutated encodings must make every decoder throw `ParquetError` or succeed — never
/// trap, hang or allocate without bound. A fixed seed keeps failures reproducible.
@Suite("Encoding mutation")
struct EncodingMutationTests {
    /// The decoders under test.
    enum Kind: CaseIterable {
        case rle, dictionaryIndices, levelsV1, legacyLevels
        case plainInt32, plainInt64, plainDouble, plainBoolean, plainByteArray, plainFixed, plainInt96
        case delta64, delta32, deltaLength, deltaByteArray, deltaByteArrayFixed
        case splitDouble, splitFloat, splitFixed
    }

    struct Seed {
        var kind: Kind
        var bytes: [UInt8]
        var count: Int
        var parameter: Int
    }

    static let iterations = 100_000

    @Test("100 000 mutated inputs over every decoder throw or decode, never trap")
    func mutations() {
        var generator = SeededGenerator(seed: 0x0BAD_F00D)
        let seeds = Self.makeSeeds(using: &generator)
        var thrown = 0, decoded = 0
        for _ in 0 ..< Self.iterations {
            let seed = seeds[Int(generator.next() % UInt64(seeds.count))]
            var bytes = seed.bytes
            for _ in 0 ... Int(generator.next() % 3) { Self.mutate(&bytes, using: &generator) }
            var count = seed.count
            switch generator.next() % 8 {
            case 0: count += Int(generator.next() % 20)
            case 1: count = Int(generator.next() % UInt64(count + 1))
            default: break
            }
            // The seed's own decoder, and one other at random.
            for kind in [seed.kind, Kind.allCases[Int(generator.next() % UInt64(Kind.allCases.count))]] {
                if Self.run(kind, bytes, count: count, parameter: seed.parameter) { decoded += 1 } else { thrown += 1 }
            }
        }
        #expect(thrown > 10_000)
        #expect(decoded > 10_000)
    }

    /// Runs one decoder; true when it decoded, false when it threw a `ParquetError`.
    static func run(_ kind: Kind, _ bytes: [UInt8], count: Int, parameter: Int) -> Bool {
        do {
            try bytes.withUnsafeBytes { raw in
                switch kind {
                case .rle:
                    var decoder = try RLEHybridDecoder(raw, bitWidth: parameter)
                    var out = [UInt32](repeating: 0, count: count)
                    try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                case .dictionaryIndices:
                    var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
                    var out = [UInt32](repeating: 0, count: count)
                    try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                case .levelsV1:
                    var (decoder, _) = try RLEHybridDecoder.lengthPrefixed(raw, bitWidth: 1)
                    var out = [Bool](repeating: false, count: count)
                    try out.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
                case .legacyLevels:
                    var out = [UInt32](repeating: 0, count: count)
                    _ = try out.withUnsafeMutableBufferPointer { try BitPackedLevelDecoder.decode(raw, bitWidth: parameter, into: $0) }
                case .plainInt32:
                    var out: [Int32] = []
                    _ = try PlainDecoder.decode(raw, count: count, into: &out)
                case .plainInt64:
                    var out: [Int64] = []
                    _ = try PlainDecoder.decode(raw, count: count, into: &out)
                case .plainDouble:
                    var out = [Double](repeating: 0, count: count)
                    _ = try out.withUnsafeMutableBufferPointer { try PlainDecoder.decode(raw, into: $0) }
                case .plainBoolean:
                    var out: [Bool] = []
                    _ = try PlainDecoder.decodeBooleans(raw, count: count, into: &out)
                case .plainByteArray:
                    var out = ByteArrays()
                    _ = try PlainDecoder.decodeByteArrays(raw, count: count, into: &out)
                case .plainFixed:
                    var out = ByteArrays()
                    _ = try PlainDecoder.decodeFixedLenByteArrays(raw, count: count, typeLength: parameter, into: &out)
                case .plainInt96:
                    var out: [Int64] = []
                    _ = try PlainDecoder.decodeInt96Nanoseconds(raw, count: count, into: &out)
                case .delta64:
                    var decoder = try DeltaBinaryPackedDecoder(raw)
                    var out = [Int64](repeating: 0, count: min(count, decoder.totalCount))
                    try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    try decoder.skipRemaining()
                case .delta32:
                    var decoder = try DeltaBinaryPackedDecoder(raw)
                    var out = [Int32](repeating: 0, count: count)
                    try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                case .deltaLength:
                    var out = ByteArrays()
                    _ = try DeltaLengthByteArrayDecoder.decode(raw, count: count, into: &out)
                case .deltaByteArray:
                    var out = ByteArrays()
                    _ = try DeltaByteArrayDecoder.decode(raw, count: count, into: &out, outputByteLimit: 1 << 20)
                case .deltaByteArrayFixed:
                    var out = ByteArrays()
                    _ = try DeltaByteArrayDecoder.decode(raw, count: count, into: &out, fixedLength: parameter)
                case .splitDouble:
                    var out: [Double] = []
                    try ByteStreamSplitDecoder.decode(raw, count: count, into: &out)
                case .splitFloat:
                    var out = [Float](repeating: 0, count: count)
                    try out.withUnsafeMutableBufferPointer { try ByteStreamSplitDecoder.decode(raw, into: $0) }
                case .splitFixed:
                    var out = ByteArrays()
                    try ByteStreamSplitDecoder.decodeFixedLenByteArrays(raw, count: count, typeLength: parameter, into: &out)
                }
            }
            return true
        } catch is ParquetError {
            return false
        } catch {
            Issue.record("\(kind) threw a non-Parquet error: \(error)")
            return false
        }
    }

    /// Applies one random mutation.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 10 {
        case 0 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8(generator.next() % 8)
        case 1 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
        case 2 where !bytes.isEmpty: bytes[position] = [0x00, 0xff, 0x80, 0x7f, 0x41, 0x21][Int(generator.next() % 6)]
        case 3: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
        case 4 where !bytes.isEmpty: bytes.remove(at: position)
        case 5: bytes.removeLast(bytes.count - position)
        case 6 where !bytes.isEmpty:
            let length = min(bytes.count - position, Int(generator.next() % 8) + 1)
            bytes.insert(contentsOf: bytes[position ..< position + length], at: position)
        case 7:
            // A big varint in the middle: a huge count, length or run.
            var varint: [UInt8] = []
            ULEB128.append(generator.next() >> (generator.next() % 64), to: &varint)
            bytes.replaceSubrange(position ..< min(bytes.count, position + varint.count), with: varint)
        case 8 where bytes.count >= 4:
            let start = min(position, bytes.count - 4)
            let value = [UInt32.max, UInt32(Int32.max), 0x8000_0000, UInt32(truncatingIfNeeded: generator.next() % 4096)][Int(generator.next() % 4)]
            for i in 0 ..< 4 { bytes[start + i] = UInt8(truncatingIfNeeded: value >> UInt32(8 * i)) }
        default:
            if !bytes.isEmpty { bytes[position] = bytes[position] &+ 1 }
        }
    }

    /// Valid encodings of small random data for every decoder.
    static func makeSeeds(using generator: inout SeededGenerator) -> [Seed] {
        var seeds: [Seed] = []
        for round in 0 ..< 6 {
            let count = [0, 1, 9, 40, 130, 300][round]
            // RLE hybrid, several widths and shapes.
            for width in [0, 1, 3, 8, 13, 32] {
                let mask: UInt32 = width == 32 ? .max : (1 << UInt32(width)) - 1
                let values = (0 ..< count).map { i in (i / 17) % 2 == 0 ? UInt32(truncatingIfNeeded: generator.next()) & mask : mask }
                var bytes: [UInt8] = []
                values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &bytes) }
                seeds.append(Seed(kind: .rle, bytes: bytes, count: count, parameter: width))
                var indices: [UInt8] = []
                values.withUnsafeBufferPointer { RLEHybridEncoder.encodeDictionaryIndices($0, dictionaryCount: Int(mask) + 1, into: &indices) }
                seeds.append(Seed(kind: .dictionaryIndices, bytes: indices, count: count, parameter: width))
                let legacy = referencePack(values.map(UInt64.init), bitWidth: width)
                seeds.append(Seed(kind: .legacyLevels, bytes: legacy, count: count, parameter: width))
            }
            var levels = RLEHybridEncoder(bitWidth: 1)
            for i in 0 ..< count { levels.append(i % 7 == 0 ? 0 : 1) }
            var levelBytes: [UInt8] = []
            levels.finishLengthPrefixed(into: &levelBytes)
            seeds.append(Seed(kind: .levelsV1, bytes: levelBytes, count: count, parameter: 1))

            let longs = (0 ..< count).map { i in round % 2 == 0 ? Int64(bitPattern: generator.next()) : Int64(i * 3) }
            var bytes: [UInt8] = []
            longs.map { Int32(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
            seeds.append(Seed(kind: .plainInt32, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            longs.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
            seeds.append(Seed(kind: .plainInt64, bytes: bytes, count: count, parameter: 0))
            seeds.append(Seed(kind: .plainDouble, bytes: bytes, count: count, parameter: 0))
            seeds.append(Seed(kind: .splitDouble, bytes: bytes, count: count, parameter: 0))
            seeds.append(Seed(kind: .splitFixed, bytes: bytes, count: count * 2, parameter: 4))
            seeds.append(Seed(kind: .plainFixed, bytes: bytes, count: count, parameter: 8))
            bytes.removeAll()
            longs.map { $0 / 8 }.withUnsafeBufferPointer { PlainEncoder.encodeInt96(nanoseconds: $0, into: &bytes) }
            seeds.append(Seed(kind: .plainInt96, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            longs.map { $0 & 1 == 1 }.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &bytes) }
            seeds.append(Seed(kind: .plainBoolean, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            longs.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &bytes) }
            seeds.append(Seed(kind: .splitFloat, bytes: bytes, count: count, parameter: 0))

            bytes.removeAll()
            longs.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
            seeds.append(Seed(kind: .delta64, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            longs.map { Int32(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) }
            seeds.append(Seed(kind: .delta32, bytes: bytes, count: count, parameter: 0))

            let strings = randomByteArrays(count: count, using: &generator)
            bytes.removeAll()
            PlainEncoder.encodeByteArrays(strings, into: &bytes)
            seeds.append(Seed(kind: .plainByteArray, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            DeltaLengthByteArrayEncoder.encode(strings, into: &bytes)
            seeds.append(Seed(kind: .deltaLength, bytes: bytes, count: count, parameter: 0))
            bytes.removeAll()
            DeltaByteArrayEncoder.encode(strings, into: &bytes)
            seeds.append(Seed(kind: .deltaByteArray, bytes: bytes, count: count, parameter: 0))
            var fixed = ByteArrays()
            for i in 0 ..< count { fixed.append(contentsOf: [UInt8(i & 3), 1, 2, UInt8(truncatingIfNeeded: i)]) }
            bytes.removeAll()
            DeltaByteArrayEncoder.encode(fixed, into: &bytes)
            seeds.append(Seed(kind: .deltaByteArrayFixed, bytes: bytes, count: count, parameter: 4))
        }
        return seeds
    }
}
