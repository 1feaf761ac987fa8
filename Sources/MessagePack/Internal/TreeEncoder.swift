/// Writes a whole value tree in one pass: the hot path of ``MessagePackValue/encoded()``,
/// ``MessagePackWriter/write(_:)-(MessagePackValue)`` and ``MessagePackWriter/encodedSize(of:)``.
///
/// The tree is walked through pointers to its elements; the caller keeps the root alive, and the
/// root keeps every array, map and string below it alive, so the walk needs no retain or release.
/// Each value is first turned into a ``Piece`` (a trivial description of its bytes) by a short
/// function that only reads the value: the compiler can then borrow the value in place instead of
/// copying it, which would retain and release its payload. Scalars and short strings become at
/// most 16 bytes stored with two 8-byte stores; longer runs are copied; containers recurse. A
/// decoded array or map is written straight from its document's nodes and bytes, in the same
/// shortest forms, without making its elements.
struct TreeEncoder: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    /// Whether `base` was allocated here (and is freed on deinit), or lent by the caller.
    private(set) var ownsBuffer: Bool

    /// Creates an encoder that writes into `buffer` until it is full, then into a buffer of its own
    /// (``ownsBuffer`` tells which happened).
    init(writingInto buffer: UnsafeMutableRawBufferPointer) {
        if let start = buffer.baseAddress, buffer.count >= 64 {
            base = start
            capacity = buffer.count
            ownsBuffer = false
        } else {
            capacity = 256
            base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            ownsBuffer = true
        }
    }

    deinit {
        if ownsBuffer { base.deallocate() }
    }

    /// The bytes written so far.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    /// Encodes `value` into a new array.
    static func encode(_ value: borrowing MessagePackValue) -> [UInt8] {
        withEncoding(of: value) { [UInt8]($0) }
    }

    /// Calls `body` with the encoding of `value`, written into a 2 KiB buffer on the stack (or,
    /// for a larger value, a buffer of the encoder's own that grows by doubling).
    ///
    /// Copying the bytes into an array of the exact size costs less than allocating the array
    /// up front: `Array(unsafeUninitializedCapacity:)` is not specialized by the compiler and
    /// looks up its storage class's metadata on every call, and a spare-capacity array would
    /// keep its unused memory.
    static func withEncoding<R>(of value: borrowing MessagePackValue, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var scratch = StackScratch()
        return withUnsafeMutableBytes(of: &scratch) { buffer in
            var encoder = TreeEncoder(writingInto: buffer)
            withUnsafePointer(to: value) { encoder.write($0) }
            return body(encoder.bytes)
        }
    }

    /// 2 KiB of stack: room for a typical run manifest.
    private struct StackScratch {
        typealias Block = SIMD64<UInt8>
        var blocks: (Block, Block, Block, Block, Block, Block, Block, Block,
                     Block, Block, Block, Block, Block, Block, Block, Block,
                     Block, Block, Block, Block, Block, Block, Block, Block,
                     Block, Block, Block, Block, Block, Block, Block, Block) =
            (.zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero,
             .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero,
             .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero,
             .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    }

    // MARK: Pieces

    /// What one value writes: a few bytes, a header and a run of bytes, or a header and values.
    enum Piece {
        /// `count` (at most 16) bytes: the first eight in `low`, the rest in `high`, first byte lowest.
        case inline(low: UInt64, high: UInt64, count: Int)
        /// A header of `headerCount` (at most 8) bytes in `header`, then `count` bytes from `bytes`.
        case run(header: UInt64, headerCount: Int, bytes: UnsafeRawPointer?, count: Int)
        /// A header of `headerCount` bytes in `header`, then `count` values from `values`.
        case values(header: UInt64, headerCount: Int, values: UnsafePointer<MessagePackValue>?, count: Int)
        /// A header of `headerCount` bytes in `header`, then the `count` nodes of `document` from
        /// `first` on.
        case nodes(header: UInt64, headerCount: Int, document: DocumentContents, first: Int, count: Int)
        /// A str whose UTF-8 is not stored contiguously (a bridged string): written from a copy.
        case foreignString
    }

    /// The piece that `value` writes. Only reads the value and calls nothing opaque, so the
    /// payloads are borrowed rather than retained; the pointers in the piece stay valid while
    /// the root of the tree is alive.
    @inline(__always)
    static func piece(of value: UnsafePointer<MessagePackValue>) -> Piece {
        switch value.pointee {
        case .nil: return .inline(low: 0xc0, high: 0, count: 1)
        case .bool(let flag): return .inline(low: flag ? 0xc3 : 0xc2, high: 0, count: 1)
        case .int(let integer): return signed(integer)
        case .uint(let integer): return unsigned(integer)
        case .float32(let float): return float32(float.bitPattern)
        case .float64(let double): return formatted(0xcb, double.bitPattern)
        case .string(let text):
            let piece: Piece? = text.utf8.withContiguousStorageIfAvailable { utf8 in
                string(UnsafeRawPointer(utf8.baseAddress), length: utf8.count)
            }
            return piece ?? .foreignString
        case .binary(let data):
            return data.withUnsafeBytes { binary($0.baseAddress, length: $0.count) }
        case .array(let elements):
            switch elements.storage {
            case .values(let values):
                return values.withUnsafeBufferPointer { buffer in
                    let (header, headerCount) = containerHeader(buffer.count, fix: 0x90, sixteen: 0xdc, thirtyTwo: 0xdd)
                    return .values(header: header, headerCount: headerCount, values: buffer.baseAddress, count: buffer.count)
                }
            case .decoded(let document, let node):
                return piece(ofDecoded: node, in: document)
            }
        case .map(let map):
            switch map.storage {
            case .pairs(let pairs):
                // A homogeneous tuple is laid out as its elements: the pairs are one run of values,
                // key then value.
                return pairs.withUnsafeBufferPointer { buffer in
                    let (header, headerCount) = containerHeader(buffer.count, fix: 0x80, sixteen: 0xde, thirtyTwo: 0xdf)
                    let values = UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: MessagePackValue.self)
                    return .values(header: header, headerCount: headerCount, values: values, count: buffer.count * 2)
                }
            case .decoded(let document, let node):
                return piece(ofDecoded: node, in: document)
            }
        case let .ext(type, data):
            return data.withUnsafeBytes { ext(type, $0.baseAddress, length: $0.count) }
        case .timestamp(let timestamp):
            return timestampPiece(seconds: timestamp.seconds, nanoseconds: timestamp.nanoseconds)
        }
    }

    /// The nodes and bytes of a ``DecodedDocument``, which the root of the tree keeps alive.
    struct DocumentContents {
        var nodes: UnsafePointer<DecodedNode>
        var bytes: UnsafeRawPointer
    }

    /// The piece of the decoded container `node` of `document`. Kept out of line so that the
    /// writing loop of built values stays small enough for the leaf code to be inlined into it.
    @inline(never)
    private static func piece(ofDecoded node: Int, in document: DecodedDocument) -> Piece {
        document.withContents { nodes, bytes in piece(of: nodes[node], in: DocumentContents(nodes: nodes, bytes: bytes)) }
    }

    /// The piece that a decoded node of `document` writes.
    @inline(__always)
    static func piece(of node: DecodedNode, in document: DocumentContents) -> Piece {
        let bytes = document.bytes
        switch node.kind {
        case .nil: return .inline(low: 0xc0, high: 0, count: 1)
        case .bool: return .inline(low: node.payload != 0 ? 0xc3 : 0xc2, high: 0, count: 1)
        case .int: return signed(Int64(bitPattern: node.payload))
        case .uint: return unsigned(node.payload)
        case .float32: return float32(UInt32(truncatingIfNeeded: node.payload))
        case .float64: return formatted(0xcb, node.payload)
        case .string: return string(bytes + Int(truncatingIfNeeded: node.payload), length: Int(node.count))
        case .binary: return binary(bytes + Int(truncatingIfNeeded: node.payload), length: Int(node.count))
        case .ext: return ext(node.extType, bytes + Int(truncatingIfNeeded: node.payload), length: Int(node.count))
        case .timestamp: return timestampPiece(seconds: Int64(bitPattern: node.payload), nanoseconds: node.count)
        case .array:
            let (header, headerCount) = containerHeader(Int(node.count), fix: 0x90, sixteen: 0xdc, thirtyTwo: 0xdd)
            return .nodes(header: header, headerCount: headerCount, document: document, first: node.firstChild, count: Int(node.count))
        case .map:
            let (header, headerCount) = containerHeader(Int(node.count), fix: 0x80, sixteen: 0xde, thirtyTwo: 0xdf)
            return .nodes(header: header, headerCount: headerCount, document: document, first: node.firstChild, count: node.childCount)
        }
    }

    /// The shortest form of a signed integer: negative fixint or int 8/16/32/64 when negative.
    @inline(__always)
    private static func signed(_ integer: Int64) -> Piece {
        if integer >= 0 { return unsigned(UInt64(integer)) }
        let bits = UInt64(bitPattern: integer)
        if integer >= -32 { return .inline(low: bits & 0xff, high: 0, count: 1) }
        if integer >= -128 { return .inline(low: 0xd0 | (bits & 0xff) << 8, high: 0, count: 2) }
        if integer >= -32768 {
            return .inline(low: 0xd1 | UInt64(UInt16(truncatingIfNeeded: bits).byteSwapped) << 8, high: 0, count: 3)
        }
        if integer >= -2_147_483_648 {
            return .inline(low: 0xd2 | UInt64(UInt32(truncatingIfNeeded: bits).byteSwapped) << 8, high: 0, count: 5)
        }
        return formatted(0xd3, bits)
    }

    @inline(__always)
    private static func float32(_ bits: UInt32) -> Piece {
        .inline(low: 0xca | UInt64(bits.byteSwapped) << 8, high: 0, count: 5)
    }

    /// A str of the `length` bytes at `start`: inline when short, else a header and a run.
    @inline(__always)
    private static func string(_ start: UnsafeRawPointer?, length: Int) -> Piece {
        if length < 16 {
            let (low, high) = Self.load(start, length)
            return .inline(low: 0xa0 | UInt64(length) | low << 8, high: low >> 56 | high << 8, count: length + 1)
        }
        let (header, headerCount) = stringHeader(length)
        return .run(header: header, headerCount: headerCount, bytes: start, count: length)
    }

    /// A bin of the `length` bytes at `start`.
    @inline(__always)
    private static func binary(_ start: UnsafeRawPointer?, length: Int) -> Piece {
        let header: UInt64, headerCount: Int
        if length <= 0xff {
            header = 0xc4 | UInt64(length) << 8; headerCount = 2
        } else if length <= 0xffff {
            header = 0xc5 | UInt64(UInt16(truncatingIfNeeded: length).byteSwapped) << 8; headerCount = 3
        } else {
            header = 0xc6 | UInt64(length32(length).byteSwapped) << 8; headerCount = 5
        }
        return .run(header: header, headerCount: headerCount, bytes: start, count: length)
    }

    /// An extension of `type` with the `length` bytes at `start`.
    private static func ext(_ type: Int8, _ start: UnsafeRawPointer?, length: Int) -> Piece {
        let typeByte = UInt64(UInt8(bitPattern: type))
        let header: UInt64, headerCount: Int
        switch length {
        case 1: header = 0xd4 | typeByte << 8; headerCount = 2
        case 2: header = 0xd5 | typeByte << 8; headerCount = 2
        case 4: header = 0xd6 | typeByte << 8; headerCount = 2
        case 8: header = 0xd7 | typeByte << 8; headerCount = 2
        case 16: header = 0xd8 | typeByte << 8; headerCount = 2
        case ...0xff: header = 0xc7 | UInt64(length) << 8 | typeByte << 16; headerCount = 3
        case ...0xffff:
            header = 0xc8 | UInt64(UInt16(truncatingIfNeeded: length).byteSwapped) << 8 | typeByte << 24; headerCount = 4
        default:
            header = 0xc9 | UInt64(length32(length).byteSwapped) << 8 | typeByte << 40; headerCount = 6
        }
        return .run(header: header, headerCount: headerCount, bytes: start, count: length)
    }

    /// The shortest form of an unsigned integer: positive fixint or uint 8/16/32/64.
    @inline(__always)
    private static func unsigned(_ integer: UInt64) -> Piece {
        if integer < 0x80 { return .inline(low: integer, high: 0, count: 1) }
        if integer <= 0xff { return .inline(low: 0xcc | integer << 8, high: 0, count: 2) }
        if integer <= 0xffff {
            return .inline(low: 0xcd | UInt64(UInt16(truncatingIfNeeded: integer).byteSwapped) << 8, high: 0, count: 3)
        }
        if integer <= 0xffff_ffff {
            return .inline(low: 0xce | UInt64(UInt32(truncatingIfNeeded: integer).byteSwapped) << 8, high: 0, count: 5)
        }
        return formatted(0xcf, integer)
    }

    /// A format byte followed by 8 big-endian bytes.
    @inline(__always)
    private static func formatted(_ format: UInt64, _ bits: UInt64) -> Piece {
        let swapped = bits.byteSwapped
        return .inline(low: format | swapped << 8, high: swapped >> 56, count: 9)
    }

    /// ```
    /// timestamp 32: d6 ff | seconds u32                       0 ≤ s < 2^32, nanoseconds 0
    /// timestamp 64: d7 ff | nanoseconds << 34 | seconds u64   0 ≤ s < 2^34
    /// timestamp 96: c7 0c ff | nanoseconds u32 | seconds i64  any other instant
    /// ```
    private static func timestampPiece(seconds: Int64, nanoseconds: UInt32) -> Piece {
        if seconds >> 34 == 0 {
            if nanoseconds == 0 && seconds <= 0xffff_ffff {
                return .inline(low: 0xffd6 | UInt64(UInt32(truncatingIfNeeded: seconds).byteSwapped) << 16, high: 0, count: 6)
            }
            let packed = (UInt64(nanoseconds) << 34 | UInt64(seconds)).byteSwapped
            return .inline(low: 0xffd7 | packed << 16, high: packed >> 48, count: 10)
        }
        let secondBytes = UInt64(bitPattern: seconds).byteSwapped
        return .inline(low: 0xff0cc7 | UInt64(nanoseconds.byteSwapped) << 24 | secondBytes << 56,
                       high: secondBytes >> 8, count: 15)
    }

    /// The header of a str of `length` bytes (str 8, 16 or 32; fixstr is handled inline).
    @inline(__always)
    private static func stringHeader(_ length: Int) -> (UInt64, Int) {
        if length < 32 { return (0xa0 | UInt64(length), 1) }
        if length <= 0xff { return (0xd9 | UInt64(length) << 8, 2) }
        if length <= 0xffff { return (0xda | UInt64(UInt16(truncatingIfNeeded: length).byteSwapped) << 8, 3) }
        return (0xdb | UInt64(length32(length).byteSwapped) << 8, 5)
    }

    @inline(__always)
    private static func containerHeader(_ count: Int, fix: UInt64, sixteen: UInt64, thirtyTwo: UInt64) -> (UInt64, Int) {
        if count < 16 { return (fix | UInt64(count), 1) }
        if count <= 0xffff { return (sixteen | UInt64(UInt16(truncatingIfNeeded: count).byteSwapped) << 8, 3) }
        return (thirtyTwo | UInt64(length32(count).byteSwapped) << 8, 5)
    }

    /// Loads `count` (< 16) bytes from `start` as two little-endian words, zero above `count`,
    /// without reading past the bytes.
    ///
    /// A short String hands out its bytes from a 16-byte copy it has just stored as two words, so
    /// no load here straddles byte 8: a load that spans two recent stores cannot be forwarded
    /// from them and waits for both to reach the cache.
    @inline(__always)
    private static func load(_ start: UnsafeRawPointer?, _ count: Int) -> (UInt64, UInt64) {
        guard let start else { return (0, 0) }
        if count >= 8 {
            return (UInt64(littleEndian: start.loadUnaligned(as: UInt64.self)), loadWord(start + 8, count - 8))
        }
        return (loadWord(start, count), 0)
    }

    /// Loads `count` (< 8) bytes as a little-endian word, zero above `count`, with loads that
    /// overlap rather than reach past the bytes.
    @inline(__always)
    private static func loadWord(_ start: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 4 {
            let head = UInt64(UInt32(littleEndian: start.loadUnaligned(as: UInt32.self)))
            let tail = UInt64(UInt32(littleEndian: start.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return head | tail << UInt64(8 * (count - 4))
        }
        if count == 0 { return 0 }
        // 1 to 3 bytes: the first, the middle and the last (some of them the same byte).
        let first = UInt64(start.load(as: UInt8.self))
        let middle = UInt64(start.load(fromByteOffset: count / 2, as: UInt8.self))
        let last = UInt64(start.load(fromByteOffset: count - 1, as: UInt8.self))
        return first | middle << UInt64(8 * (count / 2)) | last << UInt64(8 * (count - 1))
    }

    // MARK: Sizes

    /// The number of bytes `value` takes in its shortest form.
    static func size(of value: UnsafePointer<MessagePackValue>) -> Int {
        switch piece(of: value) {
        case .inline(_, _, let count): return count
        case .run(_, let headerCount, _, let count): return headerCount + count
        case .values(_, let headerCount, let values, let count):
            var total = headerCount
            if let values {
                for index in 0 ..< count { total += size(of: values + index) }
            }
            return total
        case .nodes(_, let headerCount, let document, let first, let count):
            return headerCount + size(ofNodes: first ..< first + count, in: document)
        case .foreignString:
            guard case .string(var text) = value.pointee else { return 0 }
            text.makeContiguousUTF8()
            return withUnsafePointer(to: MessagePackValue.string(text)) { size(of: $0) }
        }
    }

    /// The number of bytes the decoded nodes at `indices` of `document` take.
    private static func size(ofNodes indices: Range<Int>, in document: DocumentContents) -> Int {
        var total = 0
        for index in indices {
            switch piece(of: document.nodes[index], in: document) {
            case .inline(_, _, let count): total += count
            case .run(_, let headerCount, _, let count): total += headerCount + count
            case .nodes(_, let headerCount, _, let first, let count): total += headerCount + size(ofNodes: first ..< first + count, in: document)
            case .values, .foreignString: break                // never made from a node
            }
        }
        return total
    }

    // MARK: Writing

    /// Writes `value` in its shortest form (the same bytes as ``MessagePackWriter``).
    mutating func write(_ value: UnsafePointer<MessagePackValue>) {
        write(Self.piece(of: value), of: value)
    }

    /// Writes the piece of `value` (nil for a decoded node). Leaves are written in place; only a
    /// container calls ``write(values:count:)`` or ``write(nodes:in:)``, which handle their leaves
    /// themselves, so a call is made per container rather than per value.
    @inline(__always)
    private mutating func write(_ piece: Piece, of value: UnsafePointer<MessagePackValue>?) {
        switch piece {
        case let .inline(low, high, count):
            let target = reserve(16)
            target.storeBytes(of: low.littleEndian, as: UInt64.self)
            target.storeBytes(of: high.littleEndian, toByteOffset: 8, as: UInt64.self)
            self.count &+= count
        case let .run(header, headerCount, bytes, count):
            let target = reserve(8)
            target.storeBytes(of: header.littleEndian, as: UInt64.self)
            self.count &+= headerCount
            if let bytes, count > 0 {
                reserve(count).copyMemory(from: bytes, byteCount: count)
                self.count &+= count
            }
        case let .values(header, headerCount, values, count):
            let target = reserve(8)
            target.storeBytes(of: header.littleEndian, as: UInt64.self)
            self.count &+= headerCount
            if let values { write(values: values, count: count) }
        case let .nodes(header, headerCount, document, first, count):
            let target = reserve(8)
            target.storeBytes(of: header.littleEndian, as: UInt64.self)
            self.count &+= headerCount
            write(nodes: first ..< first + count, in: document)
        case .foreignString:
            if let value { writeForeignString(value) }
        }
    }

    /// Writes the decoded nodes at `indices` of `document`. (Out of line, so that the loop over
    /// built values stays as small as it was before decoded containers existed.)
    @inline(never)
    private mutating func write(nodes indices: Range<Int>, in document: DocumentContents) {
        for index in indices {
            write(Self.piece(of: document.nodes[index], in: document), of: nil)
        }
    }

    /// Writes the `count` values from `values` (a container's elements, or a map's keys and values).
    private mutating func write(values: UnsafePointer<MessagePackValue>, count: Int) {
        for index in 0 ..< count {
            write(Self.piece(of: values + index), of: values + index)
        }
    }

    /// Writes a str whose UTF-8 is not contiguous (a bridged string) from a contiguous copy.
    private mutating func writeForeignString(_ value: UnsafePointer<MessagePackValue>) {
        guard case .string(var text) = value.pointee else { return }
        text.makeContiguousUTF8()
        withUnsafePointer(to: MessagePackValue.string(text)) { write($0) }
    }

    /// A length or count for a 32-bit field; MessagePack cannot hold more (a precondition).
    private static func length32(_ length: Int) -> UInt32 {
        guard let length = UInt32(exactly: length) else {
            preconditionFailure("MessagePack cannot hold a length or count of \(length): the limit is 2^32 - 1")
        }
        return length
    }

    // MARK: Stores

    /// The address of the next `size` bytes, growing the buffer when they do not fit; the caller
    /// advances `count` by what it actually wrote (which may be less than `size`).
    @inline(__always)
    private mutating func reserve(_ size: Int) -> UnsafeMutableRawPointer {
        if _slowPath(size > capacity &- count) { grow(toHold: size) }
        return base + count
    }

    private mutating func grow(toHold size: Int) {
        let (needed, overflow) = count.addingReportingOverflow(size)
        precondition(!overflow, "TreeEncoder: the encoding is larger than memory")
        let newCapacity = max(needed, capacity <= Int.max / 2 ? capacity * 2 : Int.max)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        if ownsBuffer { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBuffer = true
    }
}
