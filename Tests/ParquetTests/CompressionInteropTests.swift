import InteropSupport
import Testing
@testable import Parquet

/// Both directions against cramjam (the Rust snap, flate2, zstd, lz4 and brotli crates) through
/// `Tests/InteropScripts/codec_cramjam.py`. These tests fail, never skip, when Python or cramjam
/// is missing.
@Suite("Compression interop with cramjam")
struct CompressionInteropTests {
    typealias S = CompressionSamples

    /// One request to the script (see its docstring for the wire format).
    struct Request {
        var compress: Bool
        var codec: String
        var size: Int
        var payload: [UInt8]
    }

    /// Runs every request in one Python process and returns the replies in order.
    static func cramjam(_ requests: [Request]) throws -> [[UInt8]] {
        var input: [UInt8] = []
        func u64(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { input += $0 } }
        for request in requests {
            input.append(request.compress ? 0 : 1)
            input.append(UInt8(request.codec.utf8.count))
            input += Array(request.codec.utf8)
            u64(request.size)
            u64(request.payload.count)
            input += request.payload
        }
        let output = try Python.run("codec_cramjam.py", input: input)
        var replies: [[UInt8]] = []
        var index = 0
        while index < output.count {
            try #require(output.count - index >= 8)
            var length = 0
            for i in 0 ..< 8 { length |= Int(output[index + i]) << (8 * i) }
            index += 8
            try #require(output.count - index >= length)
            replies.append(Array(output[index ..< index + length]))
            index += length
        }
        try #require(replies.count == requests.count)
        return replies
    }

    /// The samples exchanged: empty, tiny, fragment edges, and a megabyte of each metric kind.
    static let samples: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("1 byte", [42]),
        ("random 70000", S.bytes(.random, count: 70_000)),
        ("runs 65537", S.bytes(.runs, count: 65_537)),
        ("strings 1 MiB", S.bytes(.strings, count: 1 << 20)),
        ("doubles 1 MiB", S.bytes(.doubles, count: 1 << 20)),
        ("steps 1 MiB", S.bytes(.steps, count: 1 << 20)),
        // Incompressible (the encoder's skipping scan), edge sizes around the 15-byte margin
        // and a fragment's end, and data that turns from noise to repeats and back.
        ("random 1 MiB", S.bytes(.random, count: 1 << 20, seed: 3)),
        ("random 31", S.bytes(.random, count: 31)),
        ("steps 33", S.bytes(.steps, count: 33)),
        ("steps 65551", S.bytes(.steps, count: 65_551)),
        ("mixed", S.bytes(.random, count: 100_000, seed: 4) + S.bytes(.runs, count: 30_000) + S.bytes(.doubles, count: 70_000) + S.bytes(.random, count: 17, seed: 5)),
    ]

    @Test func cramjamCompressesWeDecompress() throws {
        let peers: [(name: String, codec: CompressionCodec)] = [
            ("snappy", .snappy), ("gzip", .gzip), ("gzip2", .gzip), ("zstd", .zstd), ("lz4_raw", .lz4Raw),
            ("lz4_frame", .lz4), ("lz4_hadoop", .lz4), ("brotli", .brotli),
        ]
        var requests: [Request] = []
        for peer in peers {
            for sample in Self.samples {
                requests.append(Request(compress: true, codec: peer.name, size: sample.bytes.count, payload: sample.bytes))
            }
        }
        let replies = try Self.cramjam(requests)
        var index = 0
        for peer in peers {
            for sample in Self.samples {
                let compressed = replies[index]
                index += 1
                let restored = try S.decompress(peer.codec, compressed, size: sample.bytes.count)
                #expect(restored == sample.bytes, "\(peer.name), \(sample.name)")
            }
        }
    }

    @Test func weCompressCramjamDecompresses() throws {
        let peers: [(name: String, codec: CompressionCodec)] = [
            ("snappy", .snappy), ("gzip", .gzip), ("zstd", .zstd), ("lz4_raw", .lz4Raw), ("lz4_raw", .lz4), ("brotli", .brotli),
        ]
        var requests: [Request] = []
        for peer in peers {
            for sample in Self.samples {
                var compressed = try S.compress(peer.codec, sample.bytes)
                if peer.codec == .lz4 {
                    // Our deprecated-LZ4 pages are one Hadoop-framed block: check the frame, send the block.
                    #expect(compressed.count >= 8)
                    compressed.removeFirst(8)
                }
                requests.append(Request(compress: false, codec: peer.name, size: sample.bytes.count, payload: compressed))
            }
        }
        let replies = try Self.cramjam(requests)
        var index = 0
        for peer in peers {
            for sample in Self.samples {
                #expect(replies[index] == sample.bytes, "\(peer.codec) via \(peer.name), \(sample.name)")
                index += 1
            }
        }
    }

    /// Our snappy encoder compresses metric data about as well as the reference implementation.
    @Test func snappySizeMatchesCramjam() throws {
        let samples = Self.samples.filter { $0.bytes.count >= 65_536 }
        let replies = try Self.cramjam(samples.map { Request(compress: true, codec: "snappy", size: $0.bytes.count, payload: $0.bytes) })
        for (sample, theirs) in zip(samples, replies) {
            let ours = try S.compress(.snappy, sample.bytes)
            let ratio = Double(ours.count) / Double(theirs.count)
            #expect(ratio < 1.05, "\(sample.name): ours \(ours.count) bytes, cramjam \(theirs.count)")
        }
    }
}
