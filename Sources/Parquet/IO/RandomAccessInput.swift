/// Where a Parquet file's bytes come from, for ``ParquetReader/init(input:options:)``: a
/// local file, bytes in memory, or any storage that can read a byte range (an object store's
/// range GET). The reader asks for the footer first, then one byte range per column chunk it
/// decodes, so a remote file costs two requests plus one per chunk read.
///
/// The reader never trusts an input: a read that returns fewer or more bytes than asked for is
/// reported as a damaged or changed file, not used.
public protocol RandomAccessInput: Sendable {
    /// The file's name (a path, a URL, an object key) for error messages.
    var name: String { get }
    /// The file's size in bytes.
    var size: Int { get }
    /// The `count` bytes at `offset` (both within ``size``).
    func read(offset: Int, count: Int) throws -> [UInt8]
}

extension InputFile: RandomAccessInput {
    /// The file's path.
    package var name: String { path }
}

/// An input that checks every read's length, so a misbehaving input cannot make the reader
/// index past the bytes it was given.
struct CheckedInput: Sendable {
    let input: any RandomAccessInput

    var name: String { input.name }
    var size: Int { input.size }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "a read of \(count) bytes at \(offset) reaches past the end of the \(size)-byte file",
                               location: .init(file: name, offset: offset))
        }
        let bytes = try input.read(offset: offset, count: count)
        guard bytes.count == count else {
            throw ParquetError(.io, "asked for \(count) bytes at \(offset) but got \(bytes.count) (the file may have changed while it was read)",
                               location: .init(file: name, offset: offset))
        }
        return bytes
    }
}
