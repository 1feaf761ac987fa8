import CZlib

/// CRC-32 (the zlib/IEEE polynomial) of page bytes, as Parquet page headers record it.
package enum CRC32 {
    /// The checksum of `bytes`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt = crc32(0, nil, 0)
        var remaining = bytes
        while !remaining.isEmpty {
            let chunk = min(remaining.count, Int(UInt32.max))
            crc = crc32(crc, remaining.baseAddress!.assumingMemoryBound(to: UInt8.self), uInt(chunk))
            remaining = UnsafeRawBufferPointer(rebasing: remaining[chunk...])
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
