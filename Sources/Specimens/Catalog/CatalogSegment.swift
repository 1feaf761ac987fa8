#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack

/// One immutable file of the catalog: entries of sealed runs, sorted by run ID, checksummed.
///
/// ```
/// offset  size  field
/// 0       8     magic "SPCATLG1"
/// 8       4     CRC-32 of the payload, little-endian
/// 12      4     payload length in bytes, little-endian (checked against the file's size)
/// 16      …     payload: a MessagePack array of `CatalogEntry` arrays
/// ```
///
/// Segments are created with `AtomicFile.create` (temporary name, fsync, rename without
/// replacing) under a random name `<random>.segment`, and never changed afterwards.
enum CatalogSegment {
    static let magic: [UInt8] = Array("SPCATLG1".utf8)
    static let suffix = ".segment"
    static let headerSize = 16

    /// The file's bytes for `entries`.
    static func encode(_ entries: [MessagePackValue]) -> [UInt8] {
        let payload = MessagePackValue.array(entries).encoded()
        var bytes = magic
        bytes.reserveCapacity(headerSize + payload.count)
        let crc = payload.withUnsafeBytes { Journal.crc($0) }
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        let length = UInt32(truncatingIfNeeded: payload.count)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        bytes += payload
        return bytes
    }

    /// The entries of a segment file's bytes with their run keys, or the reason it cannot be used.
    static func decode(_ bytes: [UInt8]) -> Result<[(key: UInt64, entry: MessagePackArray)], CatalogDamage> {
        guard bytes.count >= headerSize, Array(bytes[0 ..< 8]) == magic else { return .failure(CatalogDamage("it does not start with the catalog's magic bytes")) }
        func u32(_ at: Int) -> UInt32 { (0 ..< 4).reduce(0) { $0 | UInt32(bytes[at + $1]) << UInt32(8 * $1) } }
        let crc = u32(8), length = Int(u32(12))
        guard length == bytes.count - headerSize else {
            return .failure(CatalogDamage("it holds \(bytes.count - headerSize) payload bytes, its header says \(length) (truncated?)"))
        }
        let actual = bytes.withUnsafeBytes { Journal.crc(UnsafeRawBufferPointer(rebasing: $0[headerSize...])) }
        guard actual == crc else { return .failure(CatalogDamage("its checksum does not match its contents")) }
        let value: MessagePackValue
        do { value = try MessagePackValue(decoding: Array(bytes[headerSize...])) } catch {
            return .failure(CatalogDamage("its payload is not MessagePack (\(error))"))
        }
        guard let array = value.arrayValue else { return .failure(CatalogDamage("its payload is not an array")) }
        var entries: [(key: UInt64, entry: MessagePackArray)] = []
        entries.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            guard let key = CatalogEntry.key(of: element), let entry = element.arrayValue else {
                return .failure(CatalogDamage("entry \(index) is not a run's entry"))
            }
            entries.append((key, entry))
        }
        return .success(entries)
    }
}

/// Why a catalog segment cannot be used.
struct CatalogDamage: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
