import CZlib

/// GZIP through the system zlib: RFC 1952 gzip members, as Parquet's GZIP codec stores them.
///
/// ```
/// page = member member* ;  member = 10-byte header [extra fields] deflate data CRC32 ISIZE
/// ```
/// Decompression accepts several concatenated members (one page may hold more than one, as
/// `concatenated_gzip_members.parquet` does) and, because zlib detects the wrapper, a zlib
/// stream too. Compression writes one gzip member.
///
/// zlib counts bytes in 32-bit `uInt`s, so buffers larger than 4 GiB are fed to it in pieces.
enum Zlib {
    /// `windowBits` for 32 KiB windows: `+ 16` writes a gzip wrapper, `+ 32` detects gzip or zlib.
    private static let windowBits: Int32 = 15

    /// Decompresses one or more gzip members (or a zlib stream) in `input` into exactly
    /// `output.count` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let inputBase = input.baseAddress, !input.isEmpty else {
            throw Codecs.corrupt(.gzip, "the page is empty, which is not a gzip member")
        }
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, windowBits + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw failure("inflateInit2", initStatus, nil) }
        defer { inflateEnd(&stream) }

        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { placeholder in
            // zlib rejects a null output pointer even with no room, so an empty output points here.
            let outputBase = output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? placeholder.baseAddress!
            var pendingInput = input.count  // bytes not yet handed to zlib
            var pendingOutput = output.count
            stream.next_in = UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: UInt8.self))
            stream.next_out = outputBase
            inflating: while true {
                hand(&pendingInput, to: &stream.avail_in)
                hand(&pendingOutput, to: &stream.avail_out)
                let status = inflate(&stream, Z_NO_FLUSH)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    if stream.avail_in == 0 && pendingInput == 0 { break inflating }
                    // Another member follows.
                    inflateReset(&stream)
                    continue
                case Z_BUF_ERROR:  // no progress possible
                    let consumed = input.count - pendingInput - Int(stream.avail_in)
                    if stream.avail_in == 0 && pendingInput == 0 {
                        throw Codecs.corrupt(.gzip, "the data ends in the middle of a member (after \(consumed) bytes)", offset: consumed)
                    }
                    throw Codecs.corrupt(.gzip, "the data decompresses to more than the \(output.count) bytes the page header gives", offset: consumed)
                case Z_NEED_DICT:
                    throw Codecs.corrupt(.gzip, "the stream needs a preset dictionary")
                case Z_DATA_ERROR:
                    let consumed = input.count - pendingInput - Int(stream.avail_in)
                    throw Codecs.corrupt(.gzip, stream.msg.map { String(cString: $0) } ?? "invalid deflate data", offset: consumed)
                default:
                    throw failure("inflate", status, stream.msg)
                }
            }
            let produced = output.count - pendingOutput - Int(stream.avail_out)
            guard produced == output.count else {
                throw Codecs.corrupt(.gzip, "the data decompresses to \(produced) bytes but the page header says \(output.count)")
            }
        }
    }

    /// Appends one gzip member holding `input` to `output`. `level`: 0…9, or zlib's default (6)
    /// when nil.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?, into output: inout [UInt8]) throws {
        let level = level ?? Int(Z_DEFAULT_COMPRESSION)
        guard level == Int(Z_DEFAULT_COMPRESSION) || (0 ... 9).contains(level) else {
            throw Codecs.invalidArgument(.gzip, "level \(level) is not between 0 and 9")
        }
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, Int32(level), Z_DEFLATED, windowBits + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw failure("deflateInit2", initStatus, nil) }
        defer { deflateEnd(&stream) }

        // deflateBound is enough for the whole member in one pass (zlib.h), so no growing.
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var placeholder: UInt8 = 0
        try withUnsafeMutablePointer(to: &placeholder) { empty in
            try Codecs.append(to: &output, capacity: bound) { destination in
                var pendingInput = input.count
                var pendingOutput = bound
                stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self)) } ?? empty
                stream.next_out = destination.assumingMemoryBound(to: UInt8.self)
                while true {
                    hand(&pendingInput, to: &stream.avail_in)
                    hand(&pendingOutput, to: &stream.avail_out)
                    let status = deflate(&stream, pendingInput == 0 ? Z_FINISH : Z_NO_FLUSH)
                    if status == Z_STREAM_END { break }
                    guard status == Z_OK, stream.avail_out > 0 || pendingOutput > 0 else {
                        throw failure("deflate", status, stream.msg)
                    }
                }
                return bound - pendingOutput - Int(stream.avail_out)
            }
        }
    }

    /// Moves up to 4 GiB - 1 of `pending` bytes into zlib's `available` counter once it is empty.
    @inline(__always)
    private static func hand(_ pending: inout Int, to available: inout uInt) {
        guard available == 0, pending > 0 else { return }
        let amount = min(pending, Int(uInt.max))
        available = uInt(amount)
        pending -= amount
    }

    /// An error for a zlib failure that is not about the data (memory, version, internal state).
    private static func failure(_ function: String, _ status: Int32, _ message: UnsafeMutablePointer<CChar>?) -> ParquetError {
        let text = message.map { String(cString: $0) } ?? (status == Z_MEM_ERROR ? "out of memory" : "status \(status)")
        return ParquetError(.io, "zlib \(function) failed: \(text)")
    }
}
