/// Reads single values out of MessagePack bytes in place, without decoding the document: what
/// a query needs from 100,000 stored documents (a status, one param, one metric) costs a few
/// header reads and skips per document, and no allocation but for the values themselves.
///
/// Values are addressed by byte offset: ``header(_:)`` says what starts there, ``skip(_:depth:)``
/// where it ends, ``value(forKey:inMapAt:)`` and ``element(_:ofArrayAt:)`` walk into maps and
/// arrays. Every read is bounds-checked and nesting is capped: malformed bytes give nil, never
/// a trap. (``MessagePackReader`` checks a whole document at once and builds its values; the
/// scanner checks only what it reads.)
///
/// ```swift
/// bytes.withUnsafeBytes { raw in
///     let scanner = MessagePackScanner(raw)
///     if let params = scanner.value(forKey: "params", inMapAt: 0),
///        let lr = scanner.value(forKey: "lr", inMapAt: params) {
///         print(scanner.double(lr) ?? .nan)
///     }
/// }
/// ```
public struct MessagePackScanner {
    /// The bytes scanned; the scanner only borrows them.
    public let bytes: UnsafeRawBufferPointer
    /// How deep ``skip(_:depth:)`` follows nested arrays and maps before giving up.
    public static let maximumDepth = 64

    /// A scanner over `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The kinds of value, as their first byte says.
    public enum Kind: Sendable { case `nil`, bool, int, uint, float32, float64, string, binary, array, map, ext }

    /// What a value's first bytes say: its kind, its count (elements, pairs or bytes) and where
    /// its contents start.
    public struct Header: Sendable {
        /// The value's kind.
        public var kind: Kind
        /// Elements, pairs, or bytes of a str, bin or ext; for scalars the value's own width.
        public var count: Int
        /// Where the elements, bytes or scalar start.
        public var start: Int
        /// The extension type, for ext.
        public var extType: Int8 = 0
        /// The scalar itself for fixints, nil, bool.
        public var bits: UInt64 = 0
    }

    @inline(__always)
    private func u8(_ at: Int) -> UInt8? { at >= 0 && at < bytes.count ? bytes[at] : nil }

    /// A big-endian unsigned integer of `width` bytes at `at`.
    @inline(__always)
    private func big(_ at: Int, _ width: Int) -> UInt64? {
        guard at >= 0, width <= bytes.count, at <= bytes.count - width else { return nil }
        var value: UInt64 = 0
        for index in 0 ..< width { value = value << 8 | UInt64(bytes[at + index]) }
        return value
    }

    /// What starts at offset `at`, or nil when the bytes end first or hold 0xc1 there.
    public func header(_ at: Int) -> Header? {
        guard let b = u8(at) else { return nil }
        switch b {
        case 0x00 ... 0x7f: return Header(kind: .int, count: 0, start: at + 1, bits: UInt64(b))
        case 0x80 ... 0x8f: return Header(kind: .map, count: Int(b & 0x0f), start: at + 1)
        case 0x90 ... 0x9f: return Header(kind: .array, count: Int(b & 0x0f), start: at + 1)
        case 0xa0 ... 0xbf: return Header(kind: .string, count: Int(b & 0x1f), start: at + 1)
        case 0xc0: return Header(kind: .nil, count: 0, start: at + 1)
        case 0xc2, 0xc3: return Header(kind: .bool, count: 0, start: at + 1, bits: b == 0xc3 ? 1 : 0)
        case 0xc4, 0xc5, 0xc6:
            let width = 1 << Int(b - 0xc4)
            guard let length = big(at + 1, width) else { return nil }
            return Header(kind: .binary, count: Int(length), start: at + 1 + width)
        case 0xc7, 0xc8, 0xc9:
            let width = 1 << Int(b - 0xc7)
            guard let length = big(at + 1, width), let type = u8(at + 1 + width) else { return nil }
            return Header(kind: .ext, count: Int(length), start: at + 2 + width, extType: Int8(bitPattern: type))
        case 0xca: return Header(kind: .float32, count: 4, start: at + 1)
        case 0xcb: return Header(kind: .float64, count: 8, start: at + 1)
        case 0xcc ... 0xcf: return Header(kind: .uint, count: 1 << Int(b - 0xcc), start: at + 1)
        case 0xd0 ... 0xd3: return Header(kind: .int, count: 1 << Int(b - 0xd0), start: at + 1)
        case 0xd4 ... 0xd8:
            guard let type = u8(at + 1) else { return nil }
            return Header(kind: .ext, count: 1 << Int(b - 0xd4), start: at + 2, extType: Int8(bitPattern: type))
        case 0xd9, 0xda, 0xdb:
            let width = 1 << Int(b - 0xd9)
            guard let length = big(at + 1, width) else { return nil }
            return Header(kind: .string, count: Int(length), start: at + 1 + width)
        case 0xdc, 0xdd:
            let width = b == 0xdc ? 2 : 4
            guard let count = big(at + 1, width) else { return nil }
            return Header(kind: .array, count: Int(count), start: at + 1 + width)
        case 0xde, 0xdf:
            let width = b == 0xde ? 2 : 4
            guard let count = big(at + 1, width) else { return nil }
            return Header(kind: .map, count: Int(count), start: at + 1 + width)
        case 0xc1: return nil
        default: return Header(kind: .int, count: 0, start: at + 1, bits: UInt64(bitPattern: Int64(Int8(bitPattern: b))))
        }
    }

    /// The offset just after the value at `at`, or nil when it runs past the end.
    public func skip(_ at: Int, depth: Int = 0) -> Int? {
        guard depth < Self.maximumDepth else { return nil }
        // The common scalars (fixints, nil, bools, fixstrs, floats, sized ints) without building
        // a header: what queries skip most. Same answers as the general path below.
        if at >= 0 && at < bytes.count {
            let b = bytes[at]
            switch b {
            case 0x00 ... 0x7f, 0xc0, 0xc2, 0xc3, 0xe0 ... 0xff: return at + 1
            case 0xa0 ... 0xbf, 0xca ... 0xd3:
                let width: Int
                switch b {
                case 0xa0 ... 0xbf: width = Int(b & 0x1f)
                case 0xca: width = 4
                case 0xcb: width = 8
                case 0xcc ... 0xcf: width = 1 << Int(b - 0xcc)
                default: width = 1 << Int(b - 0xd0)
                }
                return width <= bytes.count - at - 1 ? at + 1 + width : nil
            default: break
            }
        }
        guard let h = header(at) else { return nil }
        switch h.kind {
        case .nil, .bool: return h.start
        case .int where h.count == 0: return h.start
        case .int, .uint, .float32, .float64, .string, .binary, .ext:
            guard h.count <= bytes.count - h.start else { return nil }
            return h.start + h.count
        case .array, .map:
            let children = h.kind == .map ? h.count * 2 : h.count
            guard children <= bytes.count - h.start else { return nil }   // each child takes a byte at least
            var next = h.start
            for _ in 0 ..< children {
                guard let after = skip(next, depth: depth + 1) else { return nil }
                next = after
            }
            return next
        }
    }

    /// Whether the value at `at` is nil.
    public func isNil(_ at: Int) -> Bool { u8(at) == 0xc0 }

    /// The offset of element `index` of the array at `at`, and the array's count.
    public func element(_ index: Int, ofArrayAt at: Int) -> Int? {
        guard let h = header(at), h.kind == .array, index >= 0, index < h.count else { return nil }
        var next = h.start
        for _ in 0 ..< index {
            guard let after = skip(next) else { return nil }
            next = after
        }
        return next
    }

    /// The number of elements of the array at `at`.
    public func arrayCount(_ at: Int) -> Int? {
        guard let h = header(at), h.kind == .array else { return nil }
        return h.count
    }

    /// The offset of the value of the first pair whose key is the str `key`, in the map at `at`.
    public func value(forKey key: String, inMapAt at: Int) -> Int? {
        guard let h = header(at), h.kind == .map else { return nil }
        var key = key
        return key.withUTF8 { wanted -> Int? in
            var next = h.start
            for _ in 0 ..< h.count {
                guard let k = header(next) else { return nil }
                if k.kind == .string, k.count == wanted.count, k.count <= bytes.count - k.start {
                    var same = true
                    for index in 0 ..< k.count where bytes[k.start + index] != wanted[index] { same = false; break }
                    if same { return k.start + k.count }
                }
                guard let afterKey = skip(next), let afterValue = skip(afterKey) else { return nil }
                next = afterValue
            }
            return nil
        }
    }

    /// The integer at `at` when it is one that fits in Int64.
    public func int(_ at: Int) -> Int64? {
        guard let h = header(at) else { return nil }
        switch h.kind {
        case .int where h.count == 0: return Int64(bitPattern: h.bits)
        case .int:
            guard let raw = big(h.start, h.count) else { return nil }
            let shift = UInt64(64 - 8 * h.count)
            return Int64(bitPattern: raw << shift) >> Int64(shift)
        case .uint:
            guard let raw = big(h.start, h.count) else { return nil }
            return Int64(exactly: raw)
        default: return nil
        }
    }

    /// The str at `at`.
    public func string(_ at: Int) -> String? {
        guard let h = header(at), h.kind == .string, h.count <= bytes.count - h.start else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[h.start ..< h.start + h.count]), as: UTF8.self)
    }

    /// The unsigned integer at `at` (an int or uint that is not negative).
    public func uint(_ at: Int) -> UInt64? {
        guard let h = header(at) else { return nil }
        switch h.kind {
        case .uint: return big(h.start, h.count)
        case .int: return int(at).flatMap { UInt64(exactly: $0) }
        default: return nil
        }
    }

    /// The float32 or float64 at `at`, as a Double.
    public func double(_ at: Int) -> Double? {
        guard let h = header(at) else { return nil }
        switch h.kind {
        case .float32: return big(h.start, 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .float64: return big(h.start, 8).map { Double(bitPattern: $0) }
        default: return nil
        }
    }

    /// The timestamp (extension −1 of 4, 8 or 12 bytes) at `at`; nil for anything else,
    /// including a timestamp whose nanoseconds are out of range.
    public func timestamp(_ at: Int) -> MessagePackTimestamp? {
        guard let h = header(at), h.kind == .ext, h.extType == -1, h.count <= bytes.count - h.start else { return nil }
        switch h.count {
        case 4:
            return big(h.start, 4).map { MessagePackTimestamp(seconds: Int64($0)) }
        case 8:
            guard let raw = big(h.start, 8) else { return nil }
            return MessagePackTimestamp(exactly: Int64(raw & 0x3_ffff_ffff), nanoseconds: UInt32(truncatingIfNeeded: raw >> 34))
        case 12:
            guard let n = big(h.start, 4), let s = big(h.start + 4, 8) else { return nil }
            return MessagePackTimestamp(exactly: Int64(bitPattern: s), nanoseconds: UInt32(truncatingIfNeeded: n))
        default:
            return nil
        }
    }
}
