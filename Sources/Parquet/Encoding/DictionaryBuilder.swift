/// Builds a dictionary of fixed-width values (INT32, INT64, FLOAT, DOUBLE) for dictionary
/// encoding, one value at a time.
///
/// Values are equal when their bits are equal (so 0.0 and -0.0 are two entries, and a NaN
/// matches only the same NaN). Lookups go through an open-addressing hash table of entry numbers;
/// nothing is allocated per value.
///
/// ```swift
/// var dictionary = DictionaryBuilder<Int64>()
/// for value in column { indices.append(dictionary.index(for: value)) }
/// if dictionary.encodedByteSize > limit { /* fall back to PLAIN */ }
/// dictionary.encodeDictionaryPage(into: &dictionaryPage)                 // PLAIN entries
/// RLEHybridEncoder.encodeDictionaryIndices(indices, dictionaryCount: dictionary.count, into: &dataPage)
/// ```
package struct DictionaryBuilder<Value: PlainFixedWidthValue> {
    /// The entries, in index order.
    package private(set) var values: [Value] = []
    /// Entry number + 1 per slot, 0 for an empty slot; the count is a power of two.
    private var slots: [UInt32]
    private var shift: UInt64

    /// Creates an empty dictionary with room for about `capacity` entries before it rehashes.
    package init(capacity: Int = 0) {
        var size = 64
        while size < capacity * 2 { size *= 2 }
        slots = [UInt32](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        values.reserveCapacity(capacity)
    }

    /// The number of entries.
    package var count: Int { values.count }

    /// The size of the dictionary page body: the entries PLAIN-encoded.
    package var encodedByteSize: Int { values.count * MemoryLayout<Value>.size }

    /// The index of `value`, adding it as a new entry when it is not in the dictionary yet.
    @inline(__always)
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package mutating func index(for value: Value) -> UInt32 {
        let key = value.bitPattern64
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if values[Int(entry) - 1].bitPattern64 == key { return entry - 1 }
            slot = (slot + 1) & mask
        }
        let index = UInt32(values.count)
        values.append(value)
        slots[slot] = index + 1
        if values.count * 2 > slots.count { grow() }
        return index
    }

    /// Appends the index of each of `values` to `indices`, adding new entries as needed; stops
    /// early, after the value that makes the dictionary hold more than `limit` entries, so
    /// that a caller which drops such a dictionary does not look up the rest.
    @specialized(where Value == Int32)
    @specialized(where Value == Int64)
    @specialized(where Value == Float)
    @specialized(where Value == Double)
    package mutating func indices(for values: UnsafeBufferPointer<Value>, into indices: inout [UInt32], stoppingAbove limit: Int = .max) {
        indices.reserveCapacity(indices.count + values.count)
        for value in values {
            indices.append(index(for: value))
            if count > limit { return }
        }
    }

    /// Appends the dictionary page body (the entries, PLAIN) to `output`.
    package func encodeDictionaryPage(into output: inout [UInt8]) {
        values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &output) }
    }

    /// Removes every entry, keeping the allocated capacity.
    package mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        shift -= 1
        let mask = size - 1
        for (index, value) in values.enumerated() {
            var slot = Int(truncatingIfNeeded: (value.bitPattern64 &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }
}
