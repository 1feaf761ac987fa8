/// Finds and decodes the footer (`FileMetaData`) of a Parquet file.
///
/// ```
/// offset 0          "PAR1"                      4 bytes
///                   column chunks ...
/// fileSize-8-len    FileMetaData (Thrift)       len bytes
/// fileSize-8        len                         u32, little-endian
/// fileSize-4        "PAR1"                      ("PARE": encrypted footer, unsupported)
/// ```
///
/// Reading takes two steps so callers can read only the bytes they need: `metadataRange`
/// checks the last 8 bytes and says where the metadata is, `decodeMetadata` decodes it.
/// `read(fileSize:readBytes:)` does both; `read(from:)` works on a whole file in memory.
package enum Footer {
    /// The magic at both ends of a plain Parquet file.
    package static let magic: [UInt8] = Array("PAR1".utf8)
    /// The trailing magic of a file with an encrypted footer.
    package static let encryptedMagic: [UInt8] = Array("PARE".utf8)
    /// The bytes after the metadata: its length (4) and the magic (4).
    package static let trailerSize = 8
    /// The smallest possible file: both magics and the length.
    package static let minimumFileSize = 12

    /// Checks the last 8 bytes of a file (`trailer`) and returns the byte range of the
    /// FileMetaData within the file.
    ///
    /// Throws `.corrupt` when the file is too small, the magic is wrong or the length points
    /// before the start, and `.unsupported` for an encrypted footer (`PARE`).
    package static func metadataRange(trailer: some Collection<UInt8>, fileSize: Int) throws -> Range<Int> {
        guard fileSize >= minimumFileSize else {
            throw ParquetError.corrupt("file is \(fileSize) bytes long, too small to be Parquet (at least \(minimumFileSize))", offset: 0)
        }
        let trailer = Array(trailer)
        guard trailer.count == trailerSize else {
            throw ParquetError(.invalidArgument, "the footer trailer must be the last \(trailerSize) bytes of the file, got \(trailer.count)")
        }
        let tail = Array(trailer[4 ..< 8])
        if tail == encryptedMagic {
            throw ParquetError(.unsupported, "encrypted footer (magic PARE): encrypted Parquet files are not supported", location: .init(offset: fileSize - 4))
        }
        guard tail == magic else {
            throw ParquetError.corrupt("file does not end with the Parquet magic PAR1 (found \(describe(tail)))", offset: fileSize - 4)
        }
        let length = Int(UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24)
        guard length <= fileSize - minimumFileSize else {
            throw ParquetError.corrupt(
                "footer length \(length) points before the start of the file (file is \(fileSize) bytes)",
                offset: fileSize - trailerSize
            )
        }
        let end = fileSize - trailerSize
        return (end - length) ..< end
    }

    /// Decodes FileMetaData from exactly the metadata bytes; `fileOffset` is where they start in
    /// the file, so that error offsets become file offsets.
    package static func decodeMetadata(_ bytes: UnsafeRawBufferPointer, fileOffset: Int = 0) throws -> FileMetaData {
        var reader = ThriftCompactReader(bytes)
        do {
            return try FileMetaData(from: &reader)
        } catch let error as ParquetError {
            throw error.shifted(by: fileOffset)
        }
    }

    /// Decodes FileMetaData from exactly the metadata bytes.
    package static func decodeMetadata(_ bytes: [UInt8], fileOffset: Int = 0) throws -> FileMetaData {
        try bytes.withUnsafeBytes { try decodeMetadata($0, fileOffset: fileOffset) }
    }

    /// Reads the footer of a file of `fileSize` bytes through `readBytes(offset, count)`, which
    /// must return exactly `count` bytes starting at `offset` (or throw). Also checks the
    /// leading magic.
    package static func read(fileSize: Int, readBytes: (_ offset: Int, _ count: Int) throws -> [UInt8]) throws -> FileMetaData {
        guard fileSize >= minimumFileSize else {
            throw ParquetError.corrupt("file is \(fileSize) bytes long, too small to be Parquet (at least \(minimumFileSize))", offset: 0)
        }
        let trailer = try readBytes(fileSize - trailerSize, trailerSize)
        let range = try metadataRange(trailer: trailer, fileSize: fileSize)
        let head = try readBytes(0, 4)
        guard head == magic else {
            throw ParquetError.corrupt("file does not start with the Parquet magic PAR1 (found \(describe(head)))", offset: 0)
        }
        let bytes = try readBytes(range.lowerBound, range.count)
        guard bytes.count == range.count else {
            throw ParquetError(.io, "read \(bytes.count) bytes of the footer, expected \(range.count)", location: .init(offset: range.lowerBound))
        }
        return try decodeMetadata(bytes, fileOffset: range.lowerBound)
    }

    /// Reads the footer of a whole file held in memory.
    package static func read(from file: UnsafeRawBufferPointer) throws -> FileMetaData {
        guard file.count >= minimumFileSize else {
            throw ParquetError.corrupt("file is \(file.count) bytes long, too small to be Parquet (at least \(minimumFileSize))", offset: 0)
        }
        guard file.prefix(4).elementsEqual(magic) else {
            throw ParquetError.corrupt("file does not start with the Parquet magic PAR1 (found \(describe(Array(file.prefix(4)))))", offset: 0)
        }
        let range = try metadataRange(trailer: file[(file.count - trailerSize)...], fileSize: file.count)
        return try decodeMetadata(UnsafeRawBufferPointer(rebasing: file[range]), fileOffset: range.lowerBound)
    }

    /// Reads the footer of a whole file held in memory.
    package static func read(from file: [UInt8]) throws -> FileMetaData {
        try file.withUnsafeBytes { try read(from: $0) }
    }

    /// Four bytes as text when printable, else as hex, for error messages.
    private static func describe(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: " ")
    }
}
