/// Snappy compression in pure Swift, producing the raw block format `Snappy` decodes.
///
/// The algorithm is google/snappy's `CompressFragment`: the input is cut into 64 KiB
/// fragments; in each, a hash table (up to 2^14 entries, hash `(load32 * 0x1e35a7bd) >> shift`)
/// remembers the last position of every 4-byte sequence. The scan looks for a position whose
/// 4 bytes match the remembered one, emits the bytes before it as a literal and the match,
/// extended as far as it goes, as copies. After each match the next 16 positions are looked
/// up four per 8-byte load; then, while nothing matches, the scan skips ahead faster and
/// faster (one more byte per 32 misses), so incompressible data costs little. The last
/// 15 bytes of a fragment are always a literal, which keeps every 8-byte load inside it.
///
/// Output never exceeds `maxCompressedLength(n) = 32 + n + n / 6` bytes.
enum SnappyEncoder {
    /// The size of the fragments compressed independently.
    static let blockSize = 1 << 16
    /// The largest hash table, in entries.
    static let maxHashTableBits = 14
    /// The bytes at the end of a fragment that are never searched for matches.
    static let inputMargin = 15

    /// The most bytes `compress` can produce for `count` input bytes.
    static func maxCompressedLength(_ count: Int) -> Int { 32 + count + count / 6 }

    /// The room `compress(_:into:)` needs at its destination for `count` input bytes: the
    /// bound plus 16 bytes of slack, which let short literals be copied as two 8-byte words.
    static func destinationCapacity(_ count: Int) -> Int { maxCompressedLength(count) + 16 }

    /// Appends the snappy block for `input` to `output`. Throws `.invalidArgument` when
    /// `input` is 4 GiB or more, which the format cannot describe.
    static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        try checkSize(input.count)
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1 << maxHashTableBits) { table in
            Codecs.append(to: &output, capacity: destinationCapacity(input.count)) { destination in
                compress(input, into: destination, table: table.baseAddress!)
            }
        }
    }

    /// Writes the snappy block for `input` at the start of `destination`, which must hold at
    /// least `destinationCapacity(input.count)` bytes, and returns the bytes written: for a
    /// caller that compresses page after page into one buffer it keeps, without allocating.
    /// Throws `.invalidArgument` when `input` is 4 GiB or more or `destination` is too small.
    static func compress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        try checkSize(input.count)
        guard let base = destination.baseAddress, destination.count >= destinationCapacity(input.count) else {
            throw Codecs.invalidArgument(.snappy, "\(destination.count) bytes of room is less than the \(destinationCapacity(input.count)) that \(input.count) bytes may need")
        }
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1 << maxHashTableBits) { table in
            compress(input, into: base, table: table.baseAddress!)
        }
    }

    private static func checkSize(_ count: Int) throws {
        guard count <= Int(UInt32.max) else {
            throw Codecs.invalidArgument(.snappy, "\(count) bytes is more than a snappy block can hold (4 GiB - 1)")
        }
    }

    /// Writes the block for `input` at `destination`, which has room for
    /// `destinationCapacity(input.count)` bytes, and returns the bytes written.
    private static func compress(_ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, table: UnsafeMutablePointer<UInt16>) -> Int {
        var op = 0
        var length = UInt32(input.count)
        while length >= 0x80 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, toByteOffset: op, as: UInt8.self)
            length >>= 7
            op += 1
        }
        destination.storeBytes(of: UInt8(length), toByteOffset: op, as: UInt8.self)
        op += 1
        guard let source = input.baseAddress else { return op }
        var position = 0
        while position < input.count {
            let fragment = min(blockSize, input.count - position)
            // Table size: the next power of two ≥ the fragment, between 2^8 and 2^14 entries.
            var bits = 8
            while bits < maxHashTableBits && (1 << bits) < fragment { bits += 1 }
            table.update(repeating: 0, count: 1 << bits)
            op = compressFragment(source + position, fragment, destination, op, table, shift: UInt32(32 - bits))
            position += fragment
        }
        return op
    }

    @inline(__always)
    private static func load32(_ p: UnsafeRawPointer, _ i: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ p: UnsafeRawPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    @inline(__always)
    private static func hash(_ bytes: UInt32, _ shift: UInt32) -> Int {
        Int(truncatingIfNeeded: (bytes &* 0x1E35_A7BD) >> shift)
    }

    /// Compresses one fragment of at most 64 KiB (`source[0..<count]`), writing at
    /// `destination + op`; returns the new output index. Table entries are positions in the
    /// fragment, so they fit in 16 bits.
    ///
    /// As google/snappy since 1.1.9: the first 16 positions after a match are looked up from
    /// four 8-byte loads, without the skip bookkeeping, and a match among them is emitted
    /// behind a literal of at most 16 bytes copied as one 16-byte block; past them, lookups
    /// step further apart the longer nothing matches (one byte more per 32 misses), so
    /// incompressible input costs a few hundred lookups per fragment and one copy.
    private static func compressFragment(
        _ source: UnsafeRawPointer, _ count: Int,
        _ destination: UnsafeMutableRawPointer, _ start: Int,
        _ table: UnsafeMutablePointer<UInt16>, shift: UInt32
    ) -> Int {
        var op = start
        var nextEmit = 0
        if count >= inputMargin {
            let ipLimit = count - inputMargin
            var ip = 0
            scan: while true {
                // Bytes in [nextEmit, ip) become a literal once a match is found.
                nextEmit = ip
                ip &+= 1
                var data = load64(source, ip)
                var candidate = 0
                var skip: UInt32 = 32
                literal: do {
                    // Step 1a: the next 16 positions, four per 8-byte load.
                    if ipLimit &- ip >= 16 {
                        for j in 0 ..< 4 {
                            for k in 0 ..< 4 {
                                let i = 4 &* j &+ k
                                let dword = UInt32(truncatingIfNeeded: data)
                                let h = hash(dword, shift)
                                candidate = Int(table[h])
                                table[h] = UInt16(truncatingIfNeeded: ip &+ i)
                                if load32(source, candidate) == dword {
                                    // The literal [nextEmit, ip + i) is 1…16 bytes: copy 16.
                                    destination.storeBytes(of: UInt8(truncatingIfNeeded: i << 2), toByteOffset: op, as: UInt8.self)
                                    destination.storeBytes(of: source.loadUnaligned(fromByteOffset: nextEmit, as: UInt64.self), toByteOffset: op &+ 1, as: UInt64.self)
                                    destination.storeBytes(of: source.loadUnaligned(fromByteOffset: nextEmit &+ 8, as: UInt64.self), toByteOffset: op &+ 9, as: UInt64.self)
                                    ip &+= i
                                    op &+= i &+ 2
                                    break literal
                                }
                                data >>= 8
                            }
                            data = load64(source, ip &+ 4 &* j &+ 4)
                        }
                        ip &+= 16
                        skip &+= 16
                    }
                    // Step 1b: look up farther and farther apart while nothing matches.
                    while true {
                        let dword = UInt32(truncatingIfNeeded: data)
                        let h = hash(dword, shift)
                        let step = Int(skip >> 5)
                        skip &+= skip >> 5
                        let nextIP = ip &+ step
                        if nextIP > ipLimit { break scan }
                        candidate = Int(table[h])
                        table[h] = UInt16(truncatingIfNeeded: ip)
                        if dword == load32(source, candidate) { break }
                        data = UInt64(load32(source, nextIP))
                        ip = nextIP
                    }
                    // Step 2: the bytes before the match are a literal.
                    op = emitLiteral(source + nextEmit, ip &- nextEmit, destination, op, fast: true)
                }

                // Step 3: emit the match, and as long as the next position matches too, that.
                repeat {
                    let base = ip
                    let matched = 4 &+ matchLength(source, candidate &+ 4, ip &+ 4, count)
                    ip &+= matched
                    op = emitCopy(offset: base &- candidate, length: matched, destination, op)
                    if ip >= ipLimit {
                        nextEmit = ip
                        break scan
                    }
                    // Remember ip - 1 and look ip up.
                    table[hash(load32(source, ip &- 1), shift)] = UInt16(truncatingIfNeeded: ip &- 1)
                    data = load64(source, ip)
                    let h = hash(UInt32(truncatingIfNeeded: data), shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while UInt32(truncatingIfNeeded: data) == load32(source, candidate)
            }
        }
        if nextEmit < count {
            op = emitLiteral(source + nextEmit, count - nextEmit, destination, op, fast: false)
        }
        return op
    }

    /// How many bytes at `s2` equal those at `s1` (`s1 < s2`), not reading at or past `limit`.
    @inline(__always)
    private static func matchLength(_ source: UnsafeRawPointer, _ s1: Int, _ s2: Int, _ limit: Int) -> Int {
        var matched = 0
        while s2 &+ matched &+ 8 <= limit {
            let difference = load64(source, s1 &+ matched) ^ load64(source, s2 &+ matched)
            if difference != 0 { return matched &+ difference.trailingZeroBitCount >> 3 }
            matched &+= 8
        }
        while s2 &+ matched < limit
            && source.load(fromByteOffset: s1 &+ matched, as: UInt8.self) == source.load(fromByteOffset: s2 &+ matched, as: UInt8.self) {
            matched &+= 1
        }
        return matched
    }

    /// Writes a literal element: the tag (and 1–4 length bytes when `length > 60`), then the bytes.
    /// `fast`: 16 bytes may be read at `literal` (it lies before a fragment's input margin).
    @inline(__always)
    private static func emitLiteral(_ literal: UnsafeRawPointer, _ length: Int, _ destination: UnsafeMutableRawPointer, _ start: Int, fast: Bool) -> Int {
        var op = start
        let n = UInt32(truncatingIfNeeded: length &- 1)
        if n < 60 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: n << 2), toByteOffset: op, as: UInt8.self)
            op &+= 1
            if fast && length <= 16 {
                // Copy 16 bytes whatever the length: the caller guarantees 16 readable bytes, and
                // the output has 16 bytes of slack beyond the bound.
                destination.storeBytes(of: literal.loadUnaligned(as: UInt64.self), toByteOffset: op, as: UInt64.self)
                destination.storeBytes(of: literal.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: op &+ 8, as: UInt64.self)
                return op &+ length
            }
        } else {
            let extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4
            destination.storeBytes(of: UInt8(truncatingIfNeeded: (59 &+ extra) << 2), toByteOffset: op, as: UInt8.self)
            op &+= 1
            for i in 0 ..< extra {
                destination.storeBytes(of: UInt8(truncatingIfNeeded: n >> (8 * UInt32(i))), toByteOffset: op &+ i, as: UInt8.self)
            }
            op &+= extra
        }
        (destination + op).copyMemory(from: literal, byteCount: length)
        return op &+ length
    }

    /// Writes copies for a match of `length` bytes at `offset` (< 65536): pieces of 64 bytes,
    /// leaving at least 4 for the last; a 2-byte element when the piece is 4…11 bytes long and
    /// `offset < 2048`, else a 3-byte one.
    @inline(__always)
    private static func emitCopy(offset: Int, length: Int, _ destination: UnsafeMutableRawPointer, _ start: Int) -> Int {
        var op = start
        var remaining = length
        while remaining >= 68 {
            op = emitCopyUpTo64(offset: offset, length: 64, destination, op)
            remaining &-= 64
        }
        if remaining > 64 {
            op = emitCopyUpTo64(offset: offset, length: 60, destination, op)
            remaining &-= 60
        }
        return emitCopyUpTo64(offset: offset, length: remaining, destination, op)
    }

    @inline(__always)
    private static func emitCopyUpTo64(offset: Int, length: Int, _ destination: UnsafeMutableRawPointer, _ op: Int) -> Int {
        if length < 12 && offset < 2048 {
            let tag = 1 | (length &- 4) << 2 | (offset >> 8) << 5
            destination.storeBytes(of: UInt8(truncatingIfNeeded: tag), toByteOffset: op, as: UInt8.self)
            destination.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: op &+ 1, as: UInt8.self)
            return op &+ 2
        }
        destination.storeBytes(of: UInt8(truncatingIfNeeded: 2 | (length &- 1) << 2), toByteOffset: op, as: UInt8.self)
        destination.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: op &+ 1, as: UInt16.self)
        return op &+ 3
    }
}
