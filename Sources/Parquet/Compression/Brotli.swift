/// BROTLI through libbrotlidec and libbrotlienc, loaded at run time (`libbrotlidec.so.1`,
/// `libbrotlienc.so.1`), each on its own so reading works where only the decoder is installed.
///
/// A Parquet BROTLI page is one brotli stream (RFC 7932). Compression uses quality 5 unless
/// told otherwise: brotli's own default, 11, is many times slower for a few percent on metric
/// pages, and 5 still beats GZIP's default in both size and speed. The window is brotli's
/// default (2^22 bytes), the mode generic.
enum Brotli {
    /// The quality `compress` uses when none is given.
    static let defaultQuality = 5
    /// The window size, as log2 (`BROTLI_DEFAULT_WINDOW`).
    static let window: Int32 = 22

    /// `BrotliDecoderDecompress(encoded_size, encoded, &decoded_size, decoded)`; 1 is success.
    typealias Decompress = @convention(c) (Int, UnsafeRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?) -> Int32
    /// `BrotliEncoderCompress(quality, lgwin, mode, input_size, input, &encoded_size, encoded)`.
    typealias Compress = @convention(c) (Int32, Int32, Int32, Int, UnsafeRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?) -> Int32
    /// `BrotliEncoderMaxCompressedSize(input_size)`; 0 when too large.
    typealias MaxCompressedSize = @convention(c) (Int) -> Int

    /// The encoder's functions.
    struct Encoder: Sendable {
        let compress: Compress
        let maxCompressedSize: MaxCompressedSize
    }

    /// `BrotliDecoderDecompress`, loaded once on first use; never unloaded.
    static let decoder: Result<Decompress, DynamicLibrary.LoadFailure> = {
        DynamicLibrary.open(DynamicLibrary.candidates("brotlidec", version: 1)).flatMap { library in
            Result { () throws(DynamicLibrary.LoadFailure) in
                try library.require("BrotliDecoderDecompress", as: Decompress.self)
            }
        }
    }()

    /// The encoder's functions, loaded once on first use; never unloaded.
    static let encoder: Result<Encoder, DynamicLibrary.LoadFailure> = {
        DynamicLibrary.open(DynamicLibrary.candidates("brotlienc", version: 1)).flatMap { library in
            Result { () throws(DynamicLibrary.LoadFailure) in
                try Encoder(
                    compress: library.require("BrotliEncoderCompress", as: Compress.self),
                    maxCompressedSize: library.require("BrotliEncoderMaxCompressedSize", as: MaxCompressedSize.self))
            }
        }
    }()

    /// Whether both libraries loaded.
    static var isAvailable: Bool {
        if case .success = decoder, case .success = encoder { return true }
        return false
    }

    /// Decompresses the brotli stream `input` into exactly `output.count` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let decompress: Decompress
        switch decoder {
        case .success(let function): decompress = function
        case .failure(let failure): throw Codecs.unavailable(.brotli, failure)
        }
        var placeholder: UInt8 = 0
        var size = output.count
        let result = withUnsafeMutableBytes(of: &placeholder) { empty in
            decompress(input.count, input.baseAddress ?? UnsafeRawPointer(empty.baseAddress), &size, output.baseAddress ?? empty.baseAddress)
        }
        guard result == 1 else {
            throw Codecs.corrupt(.brotli, "the stream is malformed, truncated, or decompresses to more than the \(output.count) bytes the page header gives")
        }
        guard size == output.count else {
            throw Codecs.corrupt(.brotli, "the stream decompresses to \(size) bytes but the page header says \(output.count)")
        }
    }

    /// Appends one brotli stream holding `input` to `output`, at `quality` 0…11 (default 5).
    static func compress(_ input: UnsafeRawBufferPointer, quality: Int?, into output: inout [UInt8]) throws {
        let brotli: Encoder
        switch encoder {
        case .success(let functions): brotli = functions
        case .failure(let failure): throw Codecs.unavailable(.brotli, failure)
        }
        let quality = quality ?? defaultQuality
        guard (0 ... 11).contains(quality) else {
            throw Codecs.invalidArgument(.brotli, "quality \(quality) is not between 0 and 11")
        }
        let bound = brotli.maxCompressedSize(input.count)
        guard bound > 0 else {
            throw Codecs.invalidArgument(.brotli, "\(input.count) bytes is more than brotli can compress at once")
        }
        var placeholder: UInt8 = 0
        try withUnsafeBytes(of: &placeholder) { empty in
            try Codecs.append(to: &output, capacity: bound) { destination in
                var size = bound
                let result = brotli.compress(Int32(quality), window, 0, input.count, input.baseAddress ?? empty.baseAddress, &size, destination)
                guard result == 1 else { throw ParquetError(.io, "BrotliEncoderCompress failed for \(input.count) bytes") }
                return size
            }
        }
    }
}
