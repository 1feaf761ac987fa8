/// ZSTD through libzstd, loaded at run time (`libzstd.so.1`; no headers needed).
///
/// A Parquet ZSTD page is one or more zstd frames (RFC 8878), with or without a content size
/// in their headers. `ZSTD_decompress` decodes every frame into a buffer of exactly the page's
/// uncompressed size, so frames without a content size work and output can't exceed it.
/// Compression writes one frame at level 3 (zstd's default) unless told otherwise.
enum Zstd {
    /// zstd's default compression level.
    static let defaultLevel = 3

    /// The functions of libzstd this codec uses (`zstd.h` prototypes; `size_t` is `Int`).
    struct API: Sendable {
        typealias Compress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int
        typealias Decompress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
        typealias IsError = @convention(c) (Int) -> UInt32
        typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?
        typealias Bound = @convention(c) (Int) -> Int
        typealias Level = @convention(c) () -> Int32

        let compress: Compress
        let decompress: Decompress
        let isError: IsError
        let errorName: ErrorName
        let compressBound: Bound
        /// `ZSTD_minCLevel`/`ZSTD_maxCLevel` (zstd 1.4+); without them, levels 1…19 are allowed.
        let minLevel: Level?
        let maxLevel: Level?

        /// The levels this libzstd accepts.
        var levels: ClosedRange<Int> {
            guard let minLevel, let maxLevel else { return 1 ... 19 }
            return Int(minLevel()) ... Int(maxLevel())
        }

        /// The zstd error name for a return value, e.g. "Destination buffer is too small".
        func message(_ code: Int) -> String {
            errorName(code).map { String(cString: $0) } ?? "error \(code)"
        }
    }

    /// libzstd's functions, loaded once on first use; never unloaded.
    static let api: Result<API, DynamicLibrary.LoadFailure> = {
        DynamicLibrary.open(DynamicLibrary.candidates("zstd", version: 1)).flatMap { library in
            Result { () throws(DynamicLibrary.LoadFailure) in
                try API(
                    compress: library.require("ZSTD_compress", as: API.Compress.self),
                    decompress: library.require("ZSTD_decompress", as: API.Decompress.self),
                    isError: library.require("ZSTD_isError", as: API.IsError.self),
                    errorName: library.require("ZSTD_getErrorName", as: API.ErrorName.self),
                    compressBound: library.require("ZSTD_compressBound", as: API.Bound.self),
                    minLevel: library.symbol("ZSTD_minCLevel", as: API.Level.self),
                    maxLevel: library.symbol("ZSTD_maxCLevel", as: API.Level.self))
            }
        }
    }()

    /// Whether libzstd loaded.
    static var isAvailable: Bool {
        if case .success = api { return true }
        return false
    }

    private static func loaded() throws -> API {
        switch api {
        case .success(let api): return api
        case .failure(let failure): throw Codecs.unavailable(.zstd, failure)
        }
    }

    /// Decompresses the zstd frames in `input` into exactly `output.count` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let zstd = try loaded()
        var placeholder: UInt8 = 0
        let result = withUnsafeMutableBytes(of: &placeholder) { empty in
            zstd.decompress(output.baseAddress ?? empty.baseAddress, output.count, input.baseAddress, input.count)
        }
        if zstd.isError(result) != 0 {
            let name = zstd.message(result)
            if name.lowercased().contains("too small") {
                throw Codecs.corrupt(.zstd, "the data decompresses to more than the \(output.count) bytes the page header gives (\(name))")
            }
            throw Codecs.corrupt(.zstd, name)
        }
        guard result == output.count else {
            throw Codecs.corrupt(.zstd, "the data decompresses to \(result) bytes but the page header says \(output.count)")
        }
    }

    /// Appends one zstd frame holding `input` to `output`, at `level` (default 3; zstd's range,
    /// `ZSTD_minCLevel()`…`ZSTD_maxCLevel()`, negative levels being the fast ones).
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?, into output: inout [UInt8]) throws {
        let zstd = try loaded()
        let level = level ?? defaultLevel
        guard zstd.levels.contains(level) else {
            throw Codecs.invalidArgument(.zstd, "level \(level) is not between \(zstd.levels.lowerBound) and \(zstd.levels.upperBound)")
        }
        let bound = zstd.compressBound(input.count)
        guard zstd.isError(bound) == 0 else {
            throw Codecs.invalidArgument(.zstd, "\(input.count) bytes is more than zstd can compress at once")
        }
        try Codecs.append(to: &output, capacity: bound) { destination in
            let result = zstd.compress(destination, bound, input.baseAddress, input.count, Int32(level))
            guard zstd.isError(result) == 0 else {
                throw ParquetError(.io, "ZSTD_compress failed: \(zstd.message(result))")
            }
            return result
        }
    }
}
