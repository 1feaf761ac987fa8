/// Builds a dictionary of variable-length values (BYTE_ARRAY) for dictionary encoding.
///
/// Entries live back to back in one `ByteArrays`; an open-addressing hash table holds entry
/// numbers and each entry's hash, so a lookup hashes the value's bytes in place and compares
/// bytes only on a hash match. No `String` or `Array` is created per value.
///
/// ```swift
/// var dictionary = ByteArrayDictionaryBuilder()
/// dictionary.indices(for: column, into: &indices)
/// if dictionary.encodedByteSize > limit { /* fall back to PLAIN */ }
/// dictionary.encodeDictionaryPage(into: &dictionaryPage)   // u32 length + bytes per entry
/// ```
package struct ByteArrayDictionaryBuilder {
    /// The entries, in index order.
    package private(set) var values = ByteArrays()
    /// Each entry's hash, in index order.
    private var hashes: [UInt64] = []
    /// Entry number + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots: [UInt32]
    private var shift: UInt64
    /// The size of the PLAIN dictionary page body.
    package private(set) var encodedByteSize = 0

    /// Creates an empty dictionary with room for about `capacity` entries before it rehashes.
    package init(capacity: Int = 0) {
        var size = 64
        while size < capacity * 2 { size *= 2 }
        slots = [UInt32](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        hashes.reserveCapacity(capacity)
    }

    /// The number of entries.
    package var count: Int { values.count }

    /// The index of `value`, adding it as a new entry when it is not in the dictionary yet.
    package mutating func index(for value: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> shift)
        let found: UInt32? = values.offsets.withUnsafeBufferPointer { offsets in
            values.bytes.withUnsafeBytes { bytes in
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    let index = Int(entry) - 1
                    if hashes[index] == hash {
                        let start = offsets[index], length = offsets[index + 1] - start
                        if length == value.count, Self.equal(bytes.baseAddress.map { $0 + start }, value.baseAddress, length) {
                            return UInt32(index)
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if let found { return found }
        let index = UInt32(values.count)
        values.append(value)
        hashes.append(hash)
        encodedByteSize += 4 + value.count
        slots[slot] = index + 1
        if values.count * 2 > slots.count { grow() }
        return index
    }

    /// The index of value `position` of `source`, adding it when new.
    package mutating func index(of source: ByteArrays, at position: Int) -> UInt32 {
        source.withValue(at: position) { index(for: $0) }
    }

    /// Appends the index of every value of `source` to `indices`, adding new entries as needed.
    package mutating func indices(for source: ByteArrays, into indices: inout [UInt32]) {
        indices.reserveCapacity(indices.count + source.count)
        source.offsets.withUnsafeBufferPointer { offsets in
            source.bytes.withUnsafeBytes { bytes in
                for i in 0 ..< offsets.count - 1 {
                    indices.append(index(for: UnsafeRawBufferPointer(rebasing: bytes[offsets[i] ..< offsets[i + 1]])))
                }
            }
        }
    }

    /// Appends the dictionary page body (the entries, PLAIN: u32 length + bytes) to `output`.
    package func encodeDictionaryPage(into output: inout [UInt8]) {
        PlainEncoder.encodeByteArrays(values, into: &output)
    }

    /// Removes every entry, keeping the allocated capacity.
    package mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        encodedByteSize = 0
        for i in slots.indices { slots[i] = 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        shift -= 1
        let mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash >> shift)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    /// A 64-bit hash of `bytes`: 8 bytes at a time, multiply-rotate mixing, final avalanche.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0x2545_F491_4F6C_DD1D ^ UInt64(bytes.count)
        var position = 0
        let count = bytes.count
        while count - position >= 8 {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            hash = ((hash ^ word) &* multiplier).rotatedLeft(by: 29)
            position += 8
        }
        if position < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while position < count {
                tail |= UInt64(bytes[position]) << shift
                shift += 8
                position += 1
            }
            hash = ((hash ^ tail) &* multiplier).rotatedLeft(by: 29)
        }
        hash ^= hash >> 32
        hash = hash &* multiplier
        hash ^= hash >> 29
        return hash
    }

    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer?, _ b: UnsafeRawPointer?, _ length: Int) -> Bool {
        guard length > 0, let a, let b else { return true }
        var i = 0
        while length - i >= 8 {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < length {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }
}

private extension UInt64 {
    @inline(__always)
    func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
