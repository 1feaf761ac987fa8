/// Snappy decompression in pure Swift: the raw block format of google/snappy
/// `format_description.txt`, which is what Parquet's SNAPPY codec stores (no framing).
///
/// ```
/// block    = varint(uncompressed length, ≤ 2^32 - 1) element*
/// element  = tag byte [extra bytes] [literal bytes]; the tag's low 2 bits give the kind:
///
///   7 6 5 4 3 2 1 0
///  ┌───────────┬───┐
///  │     n     │0 0│ literal: n < 60 → length n + 1, the bytes follow;
///  └───────────┴───┘          n = 60…63 → the next 1…4 bytes hold length - 1 (LE)
///  ┌─────┬─────┬───┐
///  │ o10 │ l-4 │0 1│ copy, length 4…11, offset = o10 << 8 | next byte      (0…2047)
///  ├─────┴─────┼───┤
///  │   l - 1   │1 0│ copy, length 1…64, offset = next 2 bytes (LE u16)
///  ├───────────┼───┤
///  │   l - 1   │1 1│ copy, length 1…64, offset = next 4 bytes (LE u32)
///  └───────────┴───┘
/// ```
/// A copy repeats `length` bytes starting `offset` bytes back in the output; when
/// `length > offset` the copy overlaps itself and repeats a pattern.
///
/// The decoder checks every length and offset before use: it never reads past the input or
/// writes past the output, and data that is corrupt or decodes to another size throws.
enum Snappy {
    /// The uncompressed length a block declares in its preamble, and the preamble's size.
    static func preamble(_ input: UnsafeRawBufferPointer) throws -> (length: Int, size: Int) {
        var value: UInt64 = 0
        var index = 0
        while index < 5 {
            guard index < input.count else {
                throw Codecs.corrupt(.snappy, "the length preamble is truncated", offset: index)
            }
            let byte = input[index]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            index += 1
            if byte & 0x80 == 0 {
                guard value <= UInt64(UInt32.max) else { break }
                return (Int(value), index)
            }
        }
        throw Codecs.corrupt(.snappy, "the length preamble is longer than 32 bits", offset: 0)
    }

    /// Decompresses the raw snappy block `input` into `output`, which must be exactly the size
    /// the block declares.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let (declared, preambleSize) = try preamble(input)
        guard declared == output.count else {
            throw Codecs.corrupt(.snappy, "the block declares \(declared) uncompressed bytes but the page header says \(output.count)", offset: 0)
        }
        guard let source = input.baseAddress, let destination = output.baseAddress, declared > 0 else {
            guard preambleSize == input.count else {
                throw Codecs.corrupt(.snappy, "\(input.count - preambleSize) bytes follow an empty block", offset: preambleSize)
            }
            return
        }
        let produced = decode(source, preambleSize, input.count, destination, output.count)
        guard produced.error == nil else {
            throw Codecs.corrupt(.snappy, produced.error!.message(produced: produced.outputIndex, expected: output.count), offset: produced.inputIndex)
        }
    }

    /// What went wrong in `decode`, turned into text only when it is thrown.
    enum DecodeError {
        case truncatedTag, literalPastInput, literalPastOutput, zeroOffset, offsetBeforeStart(Int), copyPastOutput, shortOutput

        /// The error's text, given the output index reached and the size expected.
        func message(produced: Int, expected: Int) -> String {
            switch self {
            case .truncatedTag: "an element's tag is cut off by the end of the data"
            case .literalPastInput: "a literal runs past the end of the data"
            case .literalPastOutput: "a literal runs past the declared length \(expected) at output byte \(produced)"
            case .zeroOffset: "a copy has offset 0"
            case .offsetBeforeStart(let offset): "a copy's offset \(offset) points before the start of the output (at output byte \(produced))"
            case .copyPastOutput: "a copy runs past the declared length \(expected) at output byte \(produced)"
            case .shortOutput: "the data ends after \(produced) of the declared \(expected) bytes"
            }
        }
    }

    /// The elements decode in two ways: `decodeFast` while there is ample room (at least 5
    /// input bytes, so a tag's 1–4 trailing bytes can be read as one 32-bit word, and 80 output
    /// bytes, so copies of up to 64 bytes can be done in whole 8-byte words), and
    /// `decodeElement`, one element with every check, where it stops (long literals, the last
    /// bytes). Returns where decoding stopped and the error, if any.
    @inline(__always)
    private static func decode(
        _ source: UnsafeRawPointer, _ start: Int, _ inputEnd: Int,
        _ destination: UnsafeMutableRawPointer, _ outputEnd: Int
    ) -> (inputIndex: Int, outputIndex: Int, error: DecodeError?) {
        var ip = start
        var op = 0
        while true {
            let fast = decodeFast(source, ip, op, inputEnd, destination, outputEnd)
            if fast.error != nil { return fast }
            (ip, op) = (fast.inputIndex, fast.outputIndex)
            if ip >= inputEnd { break }
            let careful = decodeElement(source, ip, op, inputEnd, destination, outputEnd)
            if careful.error != nil { return careful }
            (ip, op) = (careful.inputIndex, careful.outputIndex)
            if ip >= inputEnd { break }
        }
        return op == outputEnd ? (ip, op, nil) : (ip, op, .shortOutput)
    }

    /// Decodes the one element at `source[ip]`, checking every read and write against
    /// `inputEnd`/`outputEnd` before it happens.
    private static func decodeElement(
        _ source: UnsafeRawPointer, _ start: Int, _ produced: Int, _ inputEnd: Int,
        _ destination: UnsafeMutableRawPointer, _ outputEnd: Int
    ) -> (inputIndex: Int, outputIndex: Int, error: DecodeError?) {
        var ip = start
        let op = produced
        let tagOffset = ip
        let tag = source.load(fromByteOffset: ip, as: UInt8.self)
        ip &+= 1
        if tag & 3 == 0 {
            // Literal.
            var length = Int(tag >> 2) &+ 1
            if length > 60 {
                let extra = length &- 60  // 1…4 bytes of length - 1
                guard inputEnd &- ip >= extra else { return (tagOffset, op, .truncatedTag) }
                var value = 0
                for i in 0 ..< extra {
                    value |= Int(source.load(fromByteOffset: ip &+ i, as: UInt8.self)) << (8 &* i)
                }
                ip &+= extra
                length = value &+ 1
            }
            guard inputEnd &- ip >= length else { return (tagOffset, op, .literalPastInput) }
            guard outputEnd &- op >= length else { return (tagOffset, op, .literalPastOutput) }
            (destination + op).copyMemory(from: source + ip, byteCount: length)
            return (ip &+ length, op &+ length, nil)
        }
        // Copy.
        let length: Int
        let offset: Int
        switch tag & 3 {
        case 1:
            guard ip < inputEnd else { return (tagOffset, op, .truncatedTag) }
            length = 4 &+ Int((tag >> 2) & 7)
            offset = Int(tag >> 5) << 8 | Int(source.load(fromByteOffset: ip, as: UInt8.self))
            ip &+= 1
        case 2:
            guard inputEnd &- ip >= 2 else { return (tagOffset, op, .truncatedTag) }
            length = 1 &+ Int(tag >> 2)
            offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
            ip &+= 2
        default:
            guard inputEnd &- ip >= 4 else { return (tagOffset, op, .truncatedTag) }
            length = 1 &+ Int(tag >> 2)
            offset = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
            ip &+= 4
        }
        guard offset != 0 else { return (tagOffset, op, .zeroOffset) }
        guard offset <= op else { return (tagOffset, op, .offsetBeforeStart(offset)) }
        guard outputEnd &- op >= length else { return (tagOffset, op, .copyPastOutput) }
        copyMatch(destination, at: op, offset: offset, length: length, outputEnd: outputEnd)
        return (ip, op &+ length, nil)
    }

    /// The main loop, for the bulk of a block: runs while at least 5 input bytes and 80 output
    /// bytes remain, and stops at a long literal (`decodeElement` takes it), when room runs
    /// short, or at an error.
    ///
    /// Copies are decoded without branching on their kind: the tag gives the trailer size
    /// (1, 2 or 4 bytes), which is masked out of one 32-bit load.
    @inline(__always)
    private static func decodeFast(
        _ source: UnsafeRawPointer, _ start: Int, _ produced: Int, _ inputEnd: Int,
        _ destination: UnsafeMutableRawPointer, _ outputEnd: Int
    ) -> (inputIndex: Int, outputIndex: Int, error: DecodeError?) {
        var ip = start
        var op = produced
        while inputEnd &- ip >= 5 && outputEnd &- op >= 80 {
            let tagOffset = ip
            let tag = Int(source.load(fromByteOffset: ip, as: UInt8.self))
            ip &+= 1
            if tag & 3 == 0 {
                let length = tag >> 2 &+ 1
                if length <= 60 && inputEnd &- ip >= 64 {
                    // 64 bytes whatever the length: no branch on it, and the room is there.
                    copy64(from: source + ip, to: destination + op)
                    ip &+= length
                    op &+= length
                    continue
                }
                if length <= 16 && inputEnd &- ip >= 16 {
                    copy16(from: source + ip, to: destination + op)
                    ip &+= length
                    op &+= length
                    continue
                }
                if length > 60 { return (tagOffset, op, nil) }  // long literals: the careful loop
                guard inputEnd &- ip >= length else { return (tagOffset, op, .literalPastInput) }
                // length <= 60 < 80: fits in the output.
                (destination + op).copyMemory(from: source + ip, byteCount: length)
                ip &+= length
                op &+= length
                continue
            }
            // kind 1: 1 trailing byte, length 4…11, offset high bits in the tag;
            // kinds 2 and 3: 2 or 4 trailing bytes, length 1…64.
            let kind = tag & 3
            let trailerSize = 1 &<< (kind &- 1)
            let trailer = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: ip, as: UInt32.self)) & (UInt32.max &>> UInt32(32 &- 8 &* trailerSize)))
            ip &+= trailerSize
            let isShort = kind == 1
            let length = isShort ? 4 &+ (tag >> 2 & 7) : 1 &+ tag >> 2
            let offset = isShort ? (tag >> 5) << 8 | trailer : trailer
            // One unsigned comparison rejects both offset 0 and an offset before the start.
            guard UInt(bitPattern: offset &- 1) < UInt(bitPattern: op) else {
                return (tagOffset, op, offset == 0 ? .zeroOffset : .offsetBeforeStart(offset))
            }
            // length <= 64 and 80 bytes of room: whole 8-byte words may be written.
            var from = op &- offset
            var to = op
            let end = op &+ length
            if offset >= length {
                // No overlap: copy 64 bytes (all loads before all stores), whatever the length.
                copy64(from: destination + from, to: destination + to)
            } else if offset >= 8 {
                // Each word reads only bytes already final, even when the copy overlaps itself.
                destination.storeBytes(of: destination.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                destination.storeBytes(of: destination.loadUnaligned(fromByteOffset: from &+ 8, as: UInt64.self), toByteOffset: to &+ 8, as: UInt64.self)
                if length > 16 {
                    from &+= 16
                    to &+= 16
                    while to < end {
                        destination.storeBytes(of: destination.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                        from &+= 8
                        to &+= 8
                    }
                }
            } else {
                // A pattern shorter than a word: each word copy extends it and doubles the gap.
                while to &- from < 8 {
                    destination.storeBytes(of: destination.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                    to &+= to &- from
                }
                while to < end {
                    destination.storeBytes(of: destination.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                    from &+= 8
                    to &+= 8
                }
            }
            op = end
        }
        return (ip, op, nil)
    }

    /// Copies 64 bytes as four unaligned 16-byte vectors, loading all before storing any, so the
    /// first `d` bytes are right even when the destination starts `d` bytes after the source.
    @inline(__always)
    private static func copy64(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        let a = source.loadUnaligned(as: SIMD16<UInt8>.self)
        let b = source.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
        let c = source.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self)
        let d = source.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: a, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: b, toByteOffset: 16, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: c, toByteOffset: 32, as: SIMD16<UInt8>.self)
        destination.storeBytes(of: d, toByteOffset: 48, as: SIMD16<UInt8>.self)
    }

    /// Copies 16 bytes as two unaligned 8-byte words (source and destination don't overlap).
    @inline(__always)
    private static func copy16(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        let a = source.loadUnaligned(as: UInt64.self)
        let b = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: a, as: UInt64.self)
        destination.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
    }

    /// Repeats `length` bytes from `offset` bytes back at output index `op`.
    /// The caller has checked `0 < offset <= op` and `op + length <= outputEnd`.
    @inline(__always)
    private static func copyMatch(_ base: UnsafeMutableRawPointer, at op: Int, offset: Int, length: Int, outputEnd: Int) {
        var to = op
        var from = op &- offset
        let end = op &+ length
        if outputEnd &- end >= 16 {
            // Room for over-writing up to 16 bytes past the copy: work in 8-byte words. While the
            // gap is under 8 bytes, each word copy extends the repeated pattern and the gap doubles.
            while to &- from < 8 {
                base.storeBytes(of: base.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                to &+= to &- from
                if to >= end { return }
            }
            // Each word now reads only bytes that are already final.
            while to < end {
                base.storeBytes(of: base.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
                to &+= 8
                from &+= 8
            }
        } else if offset >= length {
            (base + to).copyMemory(from: base + from, byteCount: length)
        } else {
            while to < end {
                base.storeBytes(of: base.load(fromByteOffset: from, as: UInt8.self), toByteOffset: to, as: UInt8.self)
                to &+= 1
                from &+= 1
            }
        }
    }
}
