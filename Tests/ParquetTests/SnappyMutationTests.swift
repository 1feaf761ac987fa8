import InteropSupport
import Testing
@testable import Parquet

/// Randomized mutation testing of the snappy decoder: valid blocks, damaged in many small ways,
/// must never trap, and must decode exactly when the reference decoder says the block is valid.
@Suite("Snappy mutations")
struct SnappyMutationTests {
    typealias S = CompressionSamples

    /// Valid blocks to start from: our encoder's output for each kind of data, and hand vectors.
    private static func seeds() throws -> [(block: [UInt8], size: Int)] {
        var seeds: [(block: [UInt8], size: Int)] = [
            (S.hex("18 08 61 62 63 52 03 00"), 24),
            (S.hex("01 00 61"), 1),
            (S.hex("00"), 0),
        ]
        for kind in CompressionSamples.Kind.allCases {
            for (size, seed) in [(40, 1), (200, 2), (600, 3)] as [(Int, UInt64)] {
                let input = S.bytes(kind, count: size, seed: seed)
                seeds.append((try S.compress(.snappy, input), size))
            }
        }
        return seeds
    }

    @Test func mutatedBlocksNeverTrapAndAgreeWithTheReference() throws {
        let seeds = try Self.seeds()
        var generator = SeededGenerator(seed: 0x5EED)
        let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xF0, 0xF4, 0xF8, 0xFC, 0xFD, 0xFE, 0xFF]
        let iterations = 100_000
        var accepted = 0
        var mismatches: [String] = []
        var output = [UInt8](repeating: 0, count: 4096)
        for iteration in 0 ..< iterations {
            let seed = seeds[Int(generator.next() % UInt64(seeds.count))]
            var block = seed.block
            for _ in 0 ..< Int(generator.next() % 4) + 1 {
                let position = block.isEmpty ? 0 : Int(generator.next() % UInt64(block.count))
                switch generator.next() % 8 {
                case 0 where !block.isEmpty: block[position] ^= UInt8(1) << (generator.next() % 8)
                case 1 where !block.isEmpty: block[position] = UInt8(truncatingIfNeeded: generator.next())
                case 2 where !block.isEmpty: block[position] = interesting[Int(generator.next() % UInt64(interesting.count))]
                case 3: block.removeLast(Int(generator.next() % UInt64(block.count + 1)))
                case 4 where !block.isEmpty: block.remove(at: position)
                case 5: block.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
                case 6 where block.count > 4:
                    let start = Int(generator.next() % UInt64(block.count - 2))
                    let end = min(block.count, start + Int(generator.next() % 8) + 1)
                    block.insert(contentsOf: block[start ..< end], at: position)
                default: if !block.isEmpty { block[0] = UInt8(truncatingIfNeeded: generator.next()) }
                }
            }
            // Mostly the true size; sometimes another, to exercise the size checks.
            let size = generator.next() % 5 == 0 ? Int(generator.next() % UInt64(seed.size * 2 + 2)) : seed.size
            // Codecs accepts an empty page for an empty output without calling the codec.
            let expected = block.isEmpty && size == 0 ? [] : referenceSnappyDecode(block, size: size)
            let result: [UInt8]? = block.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { buffer in
                    let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< size])
                    do {
                        try Codecs.decompress(.snappy, input, into: target)
                        return Array(target)
                    } catch {
                        return nil
                    }
                }
            }
            if result != nil { accepted += 1 }
            if result != expected, mismatches.count < 5 {
                mismatches.append("iteration \(iteration): size \(size), block \(block)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        // Some mutations keep the block valid (e.g. a changed literal byte): both paths are exercised.
        #expect(accepted > 1000)
        #expect(accepted < iterations)
    }
}
