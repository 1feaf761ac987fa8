/// Serializes the end of a Parquet file: FileMetaData, its length and the magic.
///
/// ```
/// <FileMetaData (Thrift compact)> <u32 little-endian: its length> "PAR1"
/// ```
/// The file's leading `"PAR1"` and the column chunks are written by the caller first.
package enum FooterWriter {
    /// Appends the footer for `metadata` to `bytes` and returns the metadata's length.
    ///
    /// Throws `.limitExceeded` if the metadata would not fit the 32-bit length field.
    @discardableResult
    package static func append(_ metadata: FileMetaData, to bytes: inout [UInt8]) throws -> Int {
        var writer = ThriftCompactWriter(capacity: 0)
        swap(&writer.bytes, &bytes)
        let start = writer.bytes.count
        metadata.write(to: &writer)
        swap(&writer.bytes, &bytes)
        let length = bytes.count - start
        guard let length32 = UInt32(exactly: length) else {
            bytes.removeSubrange(start...)
            throw ParquetError(.limitExceeded, "file metadata is \(length) bytes, more than the 4 GiB a Parquet footer can hold")
        }
        bytes.append(UInt8(truncatingIfNeeded: length32))
        bytes.append(UInt8(truncatingIfNeeded: length32 >> 8))
        bytes.append(UInt8(truncatingIfNeeded: length32 >> 16))
        bytes.append(UInt8(truncatingIfNeeded: length32 >> 24))
        bytes.append(contentsOf: Footer.magic)
        return length
    }

    /// The footer for `metadata`: metadata, length and magic.
    package static func serialize(_ metadata: FileMetaData) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        try append(metadata, to: &bytes)
        return bytes
    }
}
