/// Page compression for every Parquet codec: the one entry point the reader and writer call.
///
/// | codec          | implementation                                   | `level` (default)        |
/// |----------------|--------------------------------------------------|--------------------------|
/// | UNCOMPRESSED   | a copy                                           | ignored                  |
/// | SNAPPY         | pure Swift, raw block format (`Snappy`)          | ignored                  |
/// | GZIP           | zlib, RFC 1952 members (`Zlib`)                  | 0…9 (zlib's default, 6)  |
/// | ZSTD           | libzstd at run time (`Zstd`)                     | zstd's range (3)         |
/// | LZ4_RAW        | liblz4 at run time, one raw block (`LZ4`)        | ignored                  |
/// | LZ4 (deprecated)| liblz4: Hadoop framing, LZ4 frame or raw block  | ignored                  |
/// | BROTLI         | libbrotlienc/libbrotlidec at run time (`Brotli`) | 0…11 (5)                 |
/// | LZO            | not supported                                    |                          |
///
/// Decompression always targets a buffer of exactly the page's uncompressed size, so a
/// decompression bomb cannot grow past it; data that decodes to any other size is an error.
///
/// ```swift
/// var compressed: [UInt8] = []
/// try page.withUnsafeBytes { try Codecs.compress(.snappy, $0, into: &compressed) }
/// var restored = [UInt8](repeating: 0, count: page.count)
/// try compressed.withUnsafeBytes { input in
///     try restored.withUnsafeMutableBytes { try Codecs.decompress(.snappy, input, into: $0) }
/// }
/// ```
package enum Codecs {
    /// Decompresses `input` into exactly `output.count` bytes; throws if the data is corrupt or does
    /// not decompress to exactly that size (a decompression bomb can't exceed output.count).
    ///
    /// Errors are `ParquetError`s: `.corrupt` for bad data, `.codecUnavailable` when the codec's
    /// library does not load, `.unsupported` for LZO. An empty input with an empty output is
    /// accepted for every codec but LZO: some writers store empty pages without calling the codec.
    package static func decompress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        if input.isEmpty && output.isEmpty && codec != .lzo { return }
        switch codec {
        case .uncompressed:
            guard input.count == output.count else {
                throw corrupt(codec, "the page holds \(input.count) bytes but its header says \(output.count)")
            }
            if let source = input.baseAddress, let destination = output.baseAddress {
                destination.copyMemory(from: source, byteCount: input.count)
            }
        case .snappy:
            try Snappy.decompress(input, into: output)
        case .gzip:
            try Zlib.decompress(input, into: output)
        case .zstd:
            try Zstd.decompress(input, into: output)
        case .lz4Raw:
            try LZ4.decompressBlock(input, into: output)
        case .lz4:
            try LZ4.decompressLegacy(input, into: output)
        case .brotli:
            try Brotli.decompress(input, into: output)
        case .lzo:
            throw lzoUnsupported
        }
    }

    /// Appends the compressed form of `input` to `output`.
    ///
    /// `level` is used by GZIP (0…9), ZSTD (zstd's levels, default 3) and BROTLI (quality 0…11,
    /// default 5); the other codecs ignore it. A level outside the codec's range throws
    /// `.invalidArgument`.
    package static func compress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, level: Int? = nil, into output: inout [UInt8]) throws {
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            try SnappyEncoder.compress(input, into: &output)
        case .gzip:
            try Zlib.compress(input, level: level, into: &output)
        case .zstd:
            try Zstd.compress(input, level: level, into: &output)
        case .lz4Raw:
            try LZ4.compressBlock(input, into: &output)
        case .lz4:
            try LZ4.compressHadoop(input, into: &output)
        case .brotli:
            try Brotli.compress(input, quality: level, into: &output)
        case .lzo:
            throw lzoUnsupported
        }
    }

    /// The room `compress(_:_:into:)` needs at its destination for `count` input bytes, for
    /// the codecs that compress into a buffer the caller keeps (UNCOMPRESSED, SNAPPY); nil for
    /// the others, which only append to an array.
    package static func inPlaceCapacity(_ codec: CompressionCodec, _ count: Int) -> Int? {
        switch codec {
        case .uncompressed: count
        case .snappy: SnappyEncoder.destinationCapacity(count)
        default: nil
        }
    }

    /// Compresses `input` into the start of `destination`, which holds at least
    /// `inPlaceCapacity(codec, input.count)` bytes, and returns the bytes written: page after
    /// page into one buffer, with no allocation. Throws `.invalidArgument` for a codec without
    /// `inPlaceCapacity` or a destination that is too small.
    package static func compress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        switch codec {
        case .uncompressed:
            guard destination.count >= input.count else {
                throw invalidArgument(codec, "\(destination.count) bytes of room is less than the \(input.count) to copy")
            }
            if let source = input.baseAddress, let target = destination.baseAddress {
                target.copyMemory(from: source, byteCount: input.count)
            }
            return input.count
        case .snappy:
            return try SnappyEncoder.compress(input, into: destination)
        default:
            throw invalidArgument(codec, "it compresses only into an array, not into a caller's buffer")
        }
    }

    /// Whether the codec can be used on this machine (its library loads).
    package static func isAvailable(_ codec: CompressionCodec) -> Bool {
        switch codec {
        case .uncompressed, .snappy, .gzip: true
        case .zstd: Zstd.isAvailable
        case .lz4, .lz4Raw: LZ4.isAvailable
        case .brotli: Brotli.isAvailable
        case .lzo: false
        }
    }

    // MARK: - Helpers shared by the codec implementations

    /// Appends up to `capacity` bytes that `body` writes to `output`; `body` gets a pointer to
    /// `capacity` writable bytes and returns how many it wrote (or throws, appending nothing).
    ///
    /// The bytes go to a new, uninitialised array first (no zero-filling of the worst case),
    /// which becomes `output` when that is empty and is appended to it otherwise.
    static func append(to output: inout [UInt8], capacity: Int, _ body: (UnsafeMutableRawPointer) throws -> Int) rethrows {
        let bytes = try [UInt8](unsafeUninitializedCapacity: max(capacity, 1)) { buffer, count in
            count = try body(UnsafeMutableRawPointer(buffer.baseAddress!))
            precondition(count <= capacity, "a codec wrote past its bound")
        }
        if output.isEmpty {
            output = bytes
        } else {
            output.append(contentsOf: bytes)
        }
    }

    // MARK: - Errors shared by the codec implementations

    /// A `.corrupt` error whose message starts with the codec's name.
    static func corrupt(_ codec: CompressionCodec, _ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError.corrupt("\(codec) data is corrupt: \(message)", offset: offset)
    }

    /// A `.codecUnavailable` error naming the codec and the library files tried.
    static func unavailable(_ codec: CompressionCodec, _ failure: DynamicLibrary.LoadFailure) -> ParquetError {
        ParquetError(.codecUnavailable, "the \(codec) codec is unavailable: \(failure)", underlying: failure)
    }

    /// An `.invalidArgument` error for a bad compression request.
    static func invalidArgument(_ codec: CompressionCodec, _ message: String) -> ParquetError {
        ParquetError(.invalidArgument, "cannot compress with \(codec): \(message)")
    }

    private static var lzoUnsupported: ParquetError {
        ParquetError.unsupported("the LZO codec is not supported (no common writer produces it)")
    }
}
