import Testing
@testable import Parquet

@Suite("Compression round trips")
struct CompressionRoundTripTests {
    typealias S = CompressionSamples

    /// The codecs that must work on every machine, and the ones loaded at run time, which must
    /// load on the machines the tests run on (CI installs libzstd1, liblz4-1, libbrotli1).
    @Test func codecsAreAvailable() {
        for codec in CompressionCodec.allCases {
            #expect(Codecs.isAvailable(codec) == (codec != .lzo), "\(codec)")
        }
    }

    @Test(arguments: CompressionCodec.allCases.filter { $0 != .lzo })
    func everySizeAndKindRoundTrips(codec: CompressionCodec) throws {
        try #require(Codecs.isAvailable(codec), "\(codec) is not available here")
        for kind in CompressionSamples.Kind.allCases {
            for size in CompressionSamples.sizes {
                let input = S.sample(kind, size)
                let compressed = try S.compress(codec, input)
                let restored = try S.decompress(codec, compressed, size: size)
                #expect(restored == input, "\(codec) \(kind) \(size) bytes")
            }
        }
    }

    @Test(arguments: [
        (CompressionCodec.gzip, [0, 1, 6, 9]),
        (.zstd, [-5, 1, 3, 19]),
        (.brotli, [0, 1, 5, 11]),
        (.snappy, [1, 100]),  // ignored
        (.lz4Raw, [1, 100]),  // ignored
    ])
    func levelsRoundTrip(codec: CompressionCodec, levels: [Int]) throws {
        let input = S.bytes(.strings, count: 100_000)
        var sizes: [Int] = []
        for level in levels {
            let compressed = try S.compress(codec, input, level: level)
            sizes.append(compressed.count)
            #expect(try S.decompress(codec, compressed, size: input.count) == input, "\(codec) level \(level)")
        }
        if codec == .gzip || codec == .zstd || codec == .brotli {
            #expect(sizes.last! < sizes.first!, "\(codec): the highest level should compress better than the lowest")
        }
    }

    @Test(arguments: [(CompressionCodec.gzip, 10), (.gzip, -2), (.zstd, 1000), (.brotli, 12), (.brotli, -1)])
    func invalidLevelsThrow(codec: CompressionCodec, level: Int) {
        let error = #expect(throws: ParquetError.self) { try S.compress(codec, [1, 2, 3], level: level) }
        #expect(error?.code == .invalidArgument)
    }

    @Test(arguments: CompressionCodec.allCases.filter { $0 != .lzo })
    func compressionAppendsAfterExistingBytes(codec: CompressionCodec) throws {
        let input = S.bytes(.doubles, count: 10_000)
        var output: [UInt8] = [0xAA, 0xBB]
        try input.withUnsafeBytes { try Codecs.compress(codec, $0, into: &output) }
        #expect(Array(output.prefix(2)) == [0xAA, 0xBB])
        #expect(try S.decompress(codec, Array(output.dropFirst(2)), size: input.count) == input)
    }

    @Test(arguments: CompressionCodec.allCases)
    func emptyPageForEmptyOutputIsAccepted(codec: CompressionCodec) throws {
        if codec == .lzo {
            #expect(throws: ParquetError.self) { try S.decompress(codec, [], size: 0) }
        } else {
            #expect(try S.decompress(codec, [], size: 0) == [])
        }
    }

    @Test func uncompressedIsACopy() throws {
        let input = S.bytes(.random, count: 1000)
        #expect(try S.compress(.uncompressed, input) == input)
        #expect(try S.decompress(.uncompressed, input, size: 1000) == input)
    }

    @Test func lzoIsUnsupported() {
        let decompressError = #expect(throws: ParquetError.self) { try S.decompress(.lzo, [1, 2, 3], size: 3) }
        #expect(decompressError?.code == .unsupported)
        #expect(decompressError?.message.contains("LZO") == true)
        let compressError = #expect(throws: ParquetError.self) { try S.compress(.lzo, [1, 2, 3]) }
        #expect(compressError?.code == .unsupported)
    }

    /// A missing library gives an error naming the codec and the files tried.
    @Test func unavailableLibraryErrorsNameCodecAndFile() throws {
        guard case .failure(let failure) = DynamicLibrary.open(["libspecimen-missing.so.9", "libspecimen-missing.so"]) else {
            Issue.record("a missing library loaded")
            return
        }
        let error = Codecs.unavailable(.zstd, failure)
        #expect(error.code == .codecUnavailable)
        #expect(error.message.contains("ZSTD"))
        #expect(error.message.contains("libspecimen-missing.so.9"))
        #expect(error.description.contains("Install"))
    }

    @Test func librariesExportWhatWeCall() throws {
        // The Results hold the loaded functions; a missing symbol would be a failure naming it.
        if case .failure(let failure) = Zstd.api { Issue.record("\(failure)") }
        if case .failure(let failure) = LZ4.api { Issue.record("\(failure)") }
        if case .success(let lz4) = LZ4.api { #expect(lz4.frame != nil) }
        if case .failure(let failure) = Brotli.decoder { Issue.record("\(failure)") }
        if case .failure(let failure) = Brotli.encoder { Issue.record("\(failure)") }
    }
}
