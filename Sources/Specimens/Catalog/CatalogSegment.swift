import MessagePack

/// One immutable file of the catalog: entries of sealed runs, sorted by run ID, with an index
/// so a reader finds each entry without decoding any, and a checksum over everything.
///
/// ```
/// offset      size     field
/// 0           8        magic "SPCATLG3"
/// 8           8        checksum of bytes 16… (CatalogSegment.checksum), little-endian
/// 16          4        n: number of entries, little-endian
/// 20          4        0 (reserved)
/// 24          32 × n   index, per entry: run key u64 LE (RunID order, strictly increasing),
///                      offset u32 LE (from the payload's start), length u32 LE, then the
///                      offsets (u32 LE, from the entry's start) of its params, metrics,
///                      started and tags, strictly increasing; or four zeros
/// 24 + 32n    …        payload: each entry a MessagePack array (CatalogEntry)
/// ```
///
/// The field offsets let a query jump to the fields it tests (a metric without skipping the
/// params before it). A segment of an earlier version (`SPCATLG2`, without them) is not
/// damaged, only outdated: it is dropped without a note, and its runs catalogued again.
///
/// Segments are created with `LocalStorage.create` (temporary name, fsync, rename without
/// replacing) under a random name `<random>.segment`, and never changed afterwards.
enum CatalogSegment {
    static let magic: [UInt8] = Array("SPCATLG3".utf8)
    /// The magic of every version: "SPCATLG" and a digit.
    static let magicPrefix: [UInt8] = Array("SPCATLG".utf8)
    static let suffix = ".segment"
    static let headerSize = 24
    static let indexEntrySize = 32

    /// The file's bytes for `entries`, sorted by key, each an encoded `CatalogEntry`.
    static func encode(_ entries: [CatalogRecord]) -> [UInt8] {
        let payloadSize = entries.reduce(0) { $0 + $1.count }
        var bytes = magic + [UInt8](repeating: 0, count: 16)
        bytes.reserveCapacity(headerSize + indexEntrySize * entries.count + payloadSize)
        func append(_ value: UInt64, _ width: Int) {
            for index in 0 ..< width { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * index))) }
        }
        for index in 0 ..< 4 { bytes[16 + index] = UInt8(truncatingIfNeeded: entries.count >> (8 * index)) }
        var offset = 0
        for entry in entries {
            append(entry.key, 8); append(UInt64(offset), 4); append(UInt64(entry.count), 4)
            let fields = entry.fields
            append(UInt64(fields.params), 4); append(UInt64(fields.metrics), 4)
            append(UInt64(fields.started), 4); append(UInt64(fields.tags), 4)
            offset += entry.count
        }
        for entry in entries { entry.withBytes { bytes.append(contentsOf: $0) } }
        let sum = bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[16...])) }
        for index in 0 ..< 8 { bytes[8 + index] = UInt8(truncatingIfNeeded: sum >> UInt64(8 * index)) }
        return bytes
    }

    /// The entries of a segment file's bytes, or why it cannot be used.
    static func decode(_ storage: CatalogBytes) -> Result<[CatalogRecord], CatalogDamage> {
        let raw = storage.buffer
        guard raw.count >= headerSize, raw[0 ..< 8].elementsEqual(magic) else {
            if raw.count >= headerSize, raw[0 ..< 7].elementsEqual(magicPrefix), (UInt8(ascii: "0") ..< magic[7]).contains(raw[7]) {
                return .failure(CatalogDamage("it was written by an earlier version of Specimen", outdated: true))
            }
            return .failure(CatalogDamage("it does not start with the catalog's magic bytes"))
        }
        @inline(__always) func le(_ at: Int, _ width: Int) -> UInt64 {
            width == 8 ? UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                       : UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        }
        guard checksum(UnsafeRawBufferPointer(rebasing: raw[16...])) == le(8, 8) else {
            return .failure(CatalogDamage("its checksum does not match its contents (truncated or overwritten?)"))
        }
        let count = Int(le(16, 4))
        guard count <= (raw.count - headerSize) / indexEntrySize else { return .failure(CatalogDamage("its index is longer than the file")) }
        let payload = headerSize + indexEntrySize * count
        var records: [CatalogRecord] = []
        records.reserveCapacity(count)
        var previous: UInt64 = 0
        for index in 0 ..< count {
            let at = headerSize + indexEntrySize * index
            let key = le(at, 8), offset = Int(le(at + 8, 4)), length = Int(le(at + 12, 4))
            let fields = CatalogRecord.Fields(params: UInt32(le(at + 16, 4)), metrics: UInt32(le(at + 20, 4)),
                                              started: UInt32(le(at + 24, 4)), tags: UInt32(le(at + 28, 4)))
            guard fields == CatalogRecord.Fields() || (0 < fields.params && fields.params < fields.metrics && fields.metrics < fields.started
                                                       && fields.started < fields.tags && Int(fields.tags) < length) else {
                return .failure(CatalogDamage("entry \(index)'s field offsets are out of order"))
            }
            guard index == 0 || key > previous else { return .failure(CatalogDamage("its index is not in run order at entry \(index)")) }
            guard length > 0, offset <= raw.count - payload, length <= raw.count - payload - offset else {
                return .failure(CatalogDamage("entry \(index) lies outside the file"))
            }
            previous = key
            records.append(CatalogRecord(key: key, storage: storage, start: payload + offset, end: payload + offset + length, fields: fields))
        }
        return .success(records)
    }

    /// A 64-bit checksum (four multiply-rotate lanes over 8-byte words, then the tail): not
    /// cryptographic, but any truncation, overwrite or flipped byte changes it with near certainty,
    /// at several gigabytes a second.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime1: UInt64 = 0x9e37_79b1_85eb_ca87, prime2: UInt64 = 0xc2b2_ae3d_27d4_eb4f
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (prime1, prime2, 0x1656_67b1_9e37_79f9, 0x27d4_eb2f_1656_67c5)
        @inline(__always) func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = lane &+ word &* prime2
            return ((mixed << 31) | (mixed >> 33)) &* prime1
        }
        var index = 0
        let count = bytes.count
        while index + 32 <= count {
            lanes.0 = round(lanes.0, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            lanes.1 = round(lanes.1, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)))
            lanes.2 = round(lanes.2, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)))
            lanes.3 = round(lanes.3, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)))
            index += 32
        }
        var hash = round(round(round(round(UInt64(count), lanes.0), lanes.1), lanes.2), lanes.3)
        while index < count {
            hash = round(hash, UInt64(bytes[index]) &+ 1)
            index += 1
        }
        hash ^= hash >> 29
        return hash &* prime1
    }
}

/// Why a catalog segment cannot be used.
struct CatalogDamage: Error {
    var reason: String
    /// Not damaged but of an earlier version: dropped without a note.
    var outdated = false
    init(_ reason: String, outdated: Bool = false) {
        self.reason = reason
        self.outdated = outdated
    }
}
