/// LZ4 through liblz4, loaded at run time (`liblz4.so.1`; no headers needed).
///
/// Parquet has two LZ4 codecs:
/// * **LZ4_RAW** (7): the page is one raw LZ4 block, with no framing.
/// * **LZ4** (5, deprecated): what writers stored varies. Readers try, in order (as Arrow does,
///   plus the frame format):
///   ```
///   Hadoop framing, repeated:  ┌──────────────────────┬────────────────────┬───────────────┐
///                              │ uncompressed (BE u32)│ compressed (BE u32)│ raw LZ4 block │ …
///                              └──────────────────────┴────────────────────┴───────────────┘
///   LZ4 frame format:          magic 04 22 4D 18, frame descriptor, blocks, end mark (LZ4F_*)
///   a raw LZ4 block
///   ```
///   We write LZ4 pages with Hadoop framing, one block, as Arrow does.
enum LZ4 {
    /// The largest input LZ4 compresses in one block (`LZ4_MAX_INPUT_SIZE`).
    static let maxInputSize = 0x7E00_0000
    /// The magic number that starts an LZ4 frame, read little-endian.
    static let frameMagic: UInt32 = 0x184D_2204
    /// `LZ4F_VERSION`, passed to `LZ4F_createDecompressionContext`.
    static let frameVersion: UInt32 = 100

    /// The functions of liblz4 this codec uses (`lz4.h`, `lz4frame.h`; `int` is `Int32`,
    /// `size_t` is `Int`).
    struct API: Sendable {
        typealias DecompressSafe = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
        typealias CompressDefault = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
        typealias CompressBound = @convention(c) (Int32) -> Int32
        typealias CreateContext = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UInt32) -> Int
        typealias FreeContext = @convention(c) (UnsafeMutableRawPointer?) -> Int
        typealias FrameDecompress = @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?,
            UnsafeRawPointer?, UnsafeMutablePointer<Int>?, UnsafeRawPointer?) -> Int
        typealias IsError = @convention(c) (Int) -> UInt32
        typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?

        let decompressSafe: DecompressSafe
        let compressDefault: CompressDefault
        let compressBound: CompressBound
        /// The frame API (`LZ4F_*`), when this liblz4 has it.
        let frame: Frame?

        /// The `LZ4F_*` decompression functions.
        struct Frame: Sendable {
            let createContext: CreateContext
            let freeContext: FreeContext
            let decompress: FrameDecompress
            let isError: IsError
            let errorName: ErrorName
        }
    }

    /// liblz4's functions, loaded once on first use; never unloaded.
    static let api: Result<API, DynamicLibrary.LoadFailure> = {
        DynamicLibrary.open(DynamicLibrary.candidates("lz4", version: 1)).flatMap { library in
            Result { () throws(DynamicLibrary.LoadFailure) in
                var frame: API.Frame?
                if let create = library.symbol("LZ4F_createDecompressionContext", as: API.CreateContext.self),
                   let free = library.symbol("LZ4F_freeDecompressionContext", as: API.FreeContext.self),
                   let decompress = library.symbol("LZ4F_decompress", as: API.FrameDecompress.self),
                   let isError = library.symbol("LZ4F_isError", as: API.IsError.self),
                   let errorName = library.symbol("LZ4F_getErrorName", as: API.ErrorName.self) {
                    frame = API.Frame(createContext: create, freeContext: free, decompress: decompress, isError: isError, errorName: errorName)
                }
                return try API(
                    decompressSafe: library.require("LZ4_decompress_safe", as: API.DecompressSafe.self),
                    compressDefault: library.require("LZ4_compress_default", as: API.CompressDefault.self),
                    compressBound: library.require("LZ4_compressBound", as: API.CompressBound.self),
                    frame: frame)
            }
        }
    }()

    /// Whether liblz4 loaded.
    static var isAvailable: Bool {
        if case .success = api { return true }
        return false
    }

    private static func loaded(_ codec: CompressionCodec) throws -> API {
        switch api {
        case .success(let api): return api
        case .failure(let failure): throw Codecs.unavailable(codec, failure)
        }
    }

    // MARK: - LZ4_RAW

    /// Decompresses one raw LZ4 block into exactly `output.count` bytes.
    static func decompressBlock(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        try decompressBlock(loaded(.lz4Raw), .lz4Raw, input, into: output)
    }

    private static func decompressBlock(_ lz4: API, _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let produced = rawBlock(lz4, input, into: output) else {
            throw Codecs.corrupt(codec, "the block is malformed or decompresses to more than the \(output.count) bytes the page header gives")
        }
        guard produced == output.count else {
            throw Codecs.corrupt(codec, "the block decompresses to \(produced) bytes but the page header says \(output.count)")
        }
    }

    /// Decodes a raw block; returns the bytes produced, or nil when the block is malformed,
    /// overflows `output`, or a size does not fit in 31 bits.
    private static func rawBlock(_ lz4: API, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard let inputCount = Int32(exactly: input.count), let outputCount = Int32(exactly: output.count) else { return nil }
        var placeholder: UInt8 = 0
        let result = withUnsafeMutableBytes(of: &placeholder) { empty in
            lz4.decompressSafe(input.baseAddress ?? UnsafeRawPointer(empty.baseAddress), output.baseAddress ?? empty.baseAddress, inputCount, outputCount)
        }
        return result < 0 ? nil : Int(result)
    }

    /// Appends one raw LZ4 block holding `input` to `output`.
    static func compressBlock(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        let lz4 = try loaded(.lz4Raw)
        try appendBlock(lz4, .lz4Raw, input, into: &output)
    }

    /// Appends a raw block and returns its size.
    @discardableResult
    private static func appendBlock(_ lz4: API, _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws -> Int {
        guard input.count <= maxInputSize else {
            throw Codecs.invalidArgument(codec, "\(input.count) bytes is more than one LZ4 block can hold (\(maxInputSize))")
        }
        let bound = Int(lz4.compressBound(Int32(input.count)))
        var written = 0
        var placeholder: UInt8 = 0
        try withUnsafeBytes(of: &placeholder) { empty in
            try Codecs.append(to: &output, capacity: bound) { destination in
                written = Int(lz4.compressDefault(input.baseAddress ?? empty.baseAddress, destination, Int32(input.count), Int32(bound)))
                guard written > 0 else { throw ParquetError(.io, "LZ4_compress_default failed for \(input.count) bytes") }
                return written
            }
        }
        return written
    }

    // MARK: - LZ4 (deprecated)

    /// Decompresses a deprecated-LZ4 page: Hadoop-framed blocks, else an LZ4 frame, else a raw
    /// block, into exactly `output.count` bytes.
    static func decompressLegacy(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let lz4 = try loaded(.lz4)
        if hadoop(lz4, input, into: output) { return }
        if input.count >= 4, UInt32(littleEndian: input.loadUnaligned(as: UInt32.self)) == frameMagic {
            do {
                try frame(lz4, input, into: output)
                return
            } catch {
                // A raw block may begin with the same four bytes, however unlikely; else report the frame's error.
                if let produced = rawBlock(lz4, input, into: output), produced == output.count { return }
                throw error
            }
        }
        try decompressBlock(lz4, .lz4, input, into: output)
    }

    /// Tries Hadoop framing (see the type's diagram); true when every block decoded and together
    /// they filled `output` exactly.
    private static func hadoop(_ lz4: API, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var ip = 0
        var op = 0
        while input.count - ip >= 8 {
            let expectedSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
            let blockSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: ip + 4, as: UInt32.self)))
            ip += 8
            guard blockSize <= input.count - ip, expectedSize <= output.count - op else { return false }
            let block = UnsafeRawBufferPointer(rebasing: input[ip ..< ip + blockSize])
            let target = UnsafeMutableRawBufferPointer(rebasing: output[op ..< op + expectedSize])
            guard rawBlock(lz4, block, into: target) == expectedSize else { return false }
            ip += blockSize
            op += expectedSize
        }
        return ip == input.count && op == output.count
    }

    /// Decodes one or more LZ4 frames with the `LZ4F_*` API.
    private static func frame(_ lz4: API, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let api = lz4.frame else {
            throw Codecs.unavailable(.lz4, DynamicLibrary.LoadFailure(tried: DynamicLibrary.candidates("lz4", version: 1), reason: "it has no LZ4F_decompress for LZ4 frames"))
        }
        var context: UnsafeMutableRawPointer?
        let created = api.createContext(&context, frameVersion)
        guard api.isError(created) == 0, let context else {
            throw ParquetError(.io, "LZ4F_createDecompressionContext failed: \(api.errorName(created).map { String(cString: $0) } ?? "error \(created)")")
        }
        defer { _ = api.freeContext(context) }
        var ip = 0
        var op = 0
        var placeholder: UInt8 = 0
        var hint = 1  // 0 once a frame ended exactly
        try withUnsafeMutableBytes(of: &placeholder) { empty in
            while ip < input.count {
                var sourceSize = input.count - ip
                var destinationSize = output.count - op
                let destination = output.baseAddress.map { $0 + op } ?? empty.baseAddress
                hint = api.decompress(context, destination, &destinationSize, input.baseAddress! + ip, &sourceSize, nil)
                if api.isError(hint) != 0 {
                    let name = api.errorName(hint).map { String(cString: $0) } ?? "error \(hint)"
                    throw Codecs.corrupt(.lz4, "the LZ4 frame is malformed: \(name)", offset: ip)
                }
                ip += sourceSize
                op += destinationSize
                if sourceSize == 0 && destinationSize == 0 {
                    throw Codecs.corrupt(.lz4, "the LZ4 frame decompresses to more than the \(output.count) bytes the page header gives", offset: ip)
                }
            }
        }
        guard hint == 0 else {
            throw Codecs.corrupt(.lz4, "the LZ4 frame is truncated after \(op) bytes of output", offset: input.count)
        }
        guard op == output.count else {
            throw Codecs.corrupt(.lz4, "the LZ4 frames decompress to \(op) bytes but the page header says \(output.count)")
        }
    }

    /// Appends a deprecated-LZ4 page holding `input`: one Hadoop-framed raw block.
    static func compressHadoop(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        let lz4 = try loaded(.lz4)
        let header = output.count
        output.append(contentsOf: repeatElement(0, count: 8))
        do {
            let size = try appendBlock(lz4, .lz4, input, into: &output)
            output.withUnsafeMutableBytes { buffer in
                buffer.storeBytes(of: UInt32(input.count).bigEndian, toByteOffset: header, as: UInt32.self)
                buffer.storeBytes(of: UInt32(size).bigEndian, toByteOffset: header + 4, as: UInt32.self)
            }
        } catch {
            output.removeLast(8)
            throw error
        }
    }
}
