import InteropSupport
import Testing
@testable import Parquet

@Suite("Compression: corrupt data and framing")
struct CompressionCorruptionTests {
    typealias S = CompressionSamples

    static let codecs = CompressionCodec.allCases.filter { $0 != .lzo && $0 != .uncompressed }

    @Test(arguments: codecs)
    func truncatedDataThrows(codec: CompressionCodec) throws {
        let input = S.bytes(.strings, count: 20_000)
        let compressed = try S.compress(codec, input)
        for keep in [0, 1, compressed.count / 2, compressed.count - 1] {
            let error = #expect(throws: ParquetError.self, "\(codec) cut to \(keep) bytes") {
                try S.decompress(codec, Array(compressed.prefix(keep)), size: input.count)
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test(arguments: codecs)
    func wrongSizeThrows(codec: CompressionCodec) throws {
        let input = S.bytes(.doubles, count: 20_000)
        let compressed = try S.compress(codec, input)
        for size in [0, 1, input.count - 1, input.count + 1, input.count * 2] {
            let error = #expect(throws: ParquetError.self, "\(codec) into \(size) bytes") {
                try S.decompress(codec, compressed, size: size)
            }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("\(codec)") == true)
        }
    }

    /// A decompression bomb: 4 MiB of zeros compress to a few KiB; decoding into the page size
    /// the header claims stops there.
    @Test(arguments: codecs)
    func bombsStopAtTheOutputSize(codec: CompressionCodec) throws {
        let compressed = try S.compress(codec, [UInt8](repeating: 0, count: 4 << 20))
        #expect(compressed.count < 256 << 10)
        #expect(throws: ParquetError.self) { try S.decompress(codec, compressed, size: 4096) }
    }

    @Test(arguments: codecs)
    func garbageThrows(codec: CompressionCodec) {
        for seed in 1 ... 20 as ClosedRange<UInt64> {
            let garbage = S.bytes(.random, count: 64 + Int(seed) * 37, seed: seed)
            #expect(throws: ParquetError.self, "\(codec) seed \(seed)") { try S.decompress(codec, garbage, size: 10_000) }
        }
    }

    /// Damaged data may decode to wrong bytes (not every codec checksums), but never traps and
    /// never writes outside the output.
    @Test(arguments: codecs)
    func mutationsNeverTrap(codec: CompressionCodec) throws {
        var generator = SeededGenerator(seed: UInt64(codec.rawValue) + 99)
        let input = S.bytes(.strings, count: 3000)
        let compressed = try S.compress(codec, input)
        var output = [UInt8](repeating: 0, count: 3000 + 64)
        for _ in 0 ..< 3000 {
            var block = compressed
            for _ in 0 ..< Int(generator.next() % 3) + 1 {
                let position = Int(generator.next() % UInt64(block.count))
                if generator.next() % 4 == 0 {
                    block.removeLast(Int(generator.next() % UInt64(block.count - position + 1)))
                    if block.isEmpty { block = [0] }
                } else {
                    block[position] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            block.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { buffer in
                    // Guard bytes after the output must stay untouched.
                    let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< 3000])
                    _ = try? Codecs.decompress(codec, source, into: target)
                }
            }
            #expect(output[3000...].allSatisfy { $0 == 0 })
        }
    }

    // MARK: GZIP members

    @Test func gzipConcatenatedMembersDecode() throws {
        let parts = [S.bytes(.strings, count: 5000), [], S.bytes(.doubles, count: 70_000, seed: 2), S.bytes(.random, count: 3)]
        var page: [UInt8] = []
        for part in parts { page += try S.compress(.gzip, part) }
        #expect(try S.decompress(.gzip, page, size: parts.joined().count) == Array(parts.joined()))
    }

    @Test func gzipRejectsTrailingGarbageAndAcceptsZlibStreams() throws {
        let input = S.bytes(.strings, count: 1000)
        let member = try S.compress(.gzip, input)
        #expect(throws: ParquetError.self) { try S.decompress(.gzip, member + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], size: 1000) }
        // A bad CRC32 in the trailer is caught.
        var badCRC = member
        badCRC[badCRC.count - 6] ^= 0xFF
        #expect(throws: ParquetError.self) { try S.decompress(.gzip, badCRC, size: 1000) }
        // zlib-wrapped deflate (`78 9c` header) is detected too: "abc" at level 6.
        let zlib = S.hex("78 9c 4b 4c 4a 06 00 02 4d 01 27")
        #expect(try S.decompress(.gzip, zlib, size: 3) == Array("abc".utf8))
    }

    @Test func gzipMemberStartsWithTheGzipMagic() throws {
        let member = try S.compress(.gzip, Array("hello".utf8))
        #expect(Array(member.prefix(3)) == [0x1F, 0x8B, 0x08])
    }

    // MARK: ZSTD frames

    @Test func zstdConcatenatedFramesDecode() throws {
        let a = S.bytes(.strings, count: 5000)
        let b = S.bytes(.steps, count: 9000)
        let page = try S.compress(.zstd, a) + S.compress(.zstd, b)
        #expect(try S.decompress(.zstd, page, size: a.count + b.count) == a + b)
    }

    @Test func zstdFrameWithoutContentSizeDecodes() throws {
        // `zstd --no-content-size -c` of "hello hello hello\n": descriptor 04 (no content size,
        // a checksum), then one compressed block and the checksum.
        let frame = S.hex("28 b5 2f fd 04 58 6d 00 00 38 68 65 6c 6c 6f 20 0a 01 00 31 4a 11 a3 aa 74 ce")
        #expect(try S.decompress(.zstd, frame, size: 18) == Array("hello hello hello\n".utf8))
    }

    // MARK: LZ4 (deprecated codec 5)

    @Test func lz4HadoopFramingRoundTrips() throws {
        let input = S.bytes(.doubles, count: 100_000)
        let page = try S.compress(.lz4, input)
        // BE u32 uncompressed size, BE u32 block size, block.
        #expect(Array(page.prefix(4)) == [0x00, 0x01, 0x86, 0xA0])
        #expect(Int(page[4]) << 24 | Int(page[5]) << 16 | Int(page[6]) << 8 | Int(page[7]) == page.count - 8)
        #expect(try S.decompress(.lz4, page, size: input.count) == input)
    }

    @Test func lz4HadoopWithSeveralBlocks() throws {
        let a = S.bytes(.strings, count: 30_000)
        let b = S.bytes(.runs, count: 12_345, seed: 5)
        func framed(_ bytes: [UInt8]) throws -> [UInt8] {
            let block = try S.compress(.lz4Raw, bytes)
            return bigEndian(bytes.count) + bigEndian(block.count) + block
        }
        let page = try framed(a) + framed(b)
        #expect(try S.decompress(.lz4, page, size: a.count + b.count) == a + b)
    }

    @Test func lz4LegacyFallsBackToARawBlock() throws {
        let input = S.bytes(.strings, count: 50_000)
        let block = try S.compress(.lz4Raw, input)
        #expect(try S.decompress(.lz4, block, size: input.count) == input)
    }

    @Test func lz4LegacyReadsTheFrameFormat() throws {
        // cramjam.lz4.compress(b"hello"): magic, FLG/BD/HC, one stored block with checksum, end
        // mark, content checksum.
        let frame = S.hex("04 22 4d 18 54 40 ae 05 00 00 80 68 65 6c 6c 6f f9 77 00 fb 00 00 00 00 f9 77 00 fb")
        #expect(try S.decompress(.lz4, frame, size: 5) == Array("hello".utf8))
        // Two frames back to back.
        #expect(try S.decompress(.lz4, frame + frame, size: 10) == Array("hellohello".utf8))
        // A damaged content checksum, a truncated frame, a wrong size.
        var damaged = frame
        damaged[damaged.count - 1] ^= 1
        #expect(throws: ParquetError.self) { try S.decompress(.lz4, damaged, size: 5) }
        #expect(throws: ParquetError.self) { try S.decompress(.lz4, Array(frame.dropLast(6)), size: 5) }
        #expect(throws: ParquetError.self) { try S.decompress(.lz4, frame, size: 4) }
        #expect(throws: ParquetError.self) { try S.decompress(.lz4, frame, size: 6) }
    }

    private func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
