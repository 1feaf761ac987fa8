/// Variable-length values (strings or binary) stored back to back in one buffer.
///
/// Value `i` is `bytes[offsets[i] ..< offsets[i + 1]]`; `offsets` always starts with 0 and has
/// `count + 1` entries. Appending copies bytes and never allocates per value, which is what lets
/// decoders and the logger fill string columns cheaply.
public struct ByteArrays: Sendable, Hashable {
    /// Start offsets into `bytes`, plus the end of the last value.
    public private(set) var offsets: [Int]
    /// The values' bytes, back to back.
    public private(set) var bytes: [UInt8]

    /// An empty collection.
    public init() {
        offsets = [0]
        bytes = []
    }

    /// Creates the collection from its parts; `offsets` must start at 0, never decrease, and
    /// end at `bytes.count`.
    public init(offsets: [Int], bytes: [UInt8]) {
        precondition(offsets.first == 0 && offsets.last == bytes.count, "ByteArrays: offsets do not match the bytes")
        self.offsets = offsets
        self.bytes = bytes
    }

    /// Creates the collection from strings, stored as UTF-8.
    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for string in strings { append(string) }
    }

    /// The number of values.
    @inlinable public var count: Int { offsets.count - 1 }

    /// The byte length of value `index`.
    @inlinable public func length(at index: Int) -> Int { offsets[index + 1] - offsets[index] }

    /// The bytes of value `index`.
    @inlinable public subscript(index: Int) -> ArraySlice<UInt8> { bytes[offsets[index] ..< offsets[index + 1]] }

    /// Value `index` decoded as UTF-8 (invalid sequences become U+FFFD).
    public func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[offsets[index] ..< offsets[index + 1]]), as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of value `index`, without copying.
    @inlinable public func withValue<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = offsets[index], end = offsets[index + 1]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start ..< end])) }
    }

    /// Reserves room for `values` more values holding `bytes` more bytes in all.
    public mutating func reserveCapacity(values: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(offsets.count + values)
        bytes.reserveCapacity(bytes.count + byteCount)
    }

    /// Appends one value.
    public mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// Appends one value.
    public mutating func append<C: Collection>(contentsOf value: C) where C.Element == UInt8 {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// Appends a string's UTF-8 bytes as one value.
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    /// Appends an empty value (the placeholder stored under a null).
    public mutating func appendEmpty() {
        offsets.append(bytes.count)
    }

    /// Appends every value of `other`.
    public mutating func append(contentsOf other: ByteArrays) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.reserveCapacity(offsets.count + other.count)
        for index in 1 ..< other.offsets.count { offsets.append(base + other.offsets[index]) }
    }

    /// Removes every value, keeping the allocated capacity.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        offsets.removeAll(keepingCapacity: keepingCapacity)
        offsets.append(0)
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }
}

extension ByteArrays {
    /// Appends a copy of value `index` of `other`.
    @inline(__always)
    public mutating func append(valueAt index: Int, of other: ByteArrays) {
        let start = other.offsets[index], end = other.offsets[index + 1]
        other.bytes.withUnsafeBufferPointer { source in
            append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: source[start ..< end])))
        }
    }
}

extension ByteArrays {
    /// Appends `source[indices[k]]` for every k, copying all bytes in one pass. Every index
    /// must be below `source.count`.
    package mutating func append(gathering indices: UnsafeBufferPointer<UInt32>, from source: ByteArrays) {
        var total = 0
        source.offsets.withUnsafeBufferPointer { offsets in
            for index in indices { total += offsets[Int(index) + 1] - offsets[Int(index)] }
        }
        var position = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: total))
        offsets.reserveCapacity(offsets.count + indices.count)
        bytes.withUnsafeMutableBytes { destination in
            source.bytes.withUnsafeBytes { data in
                source.offsets.withUnsafeBufferPointer { sourceOffsets in
                    for index in indices {
                        let start = sourceOffsets[Int(index)], length = sourceOffsets[Int(index) + 1] - start
                        if length > 0 {
                            (destination.baseAddress! + position).copyMemory(from: data.baseAddress! + start, byteCount: length)
                        }
                        position += length
                        offsets.append(position)
                    }
                }
            }
        }
    }
}
