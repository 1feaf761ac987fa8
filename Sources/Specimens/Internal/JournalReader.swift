import MessagePack

/// Reads a journal (see `Journal`) back into rows, stopping cleanly at the first torn or
/// corrupt frame.
struct JournalReader {
    /// What a journal held up to its first bad frame.
    struct Contents {
        var rows = MetricBuffers()
        /// The header record (`[2, …]`), if present.
        var header: MessagePackValue?
        /// Metadata records (`[3, …]`) in order.
        var updates: [MessagePackValue] = []
        /// Frames read intact.
        var frames = 0
        /// Bytes after the last intact frame (a torn write, or damage).
        var trailingBytes = 0
        /// Problems met inside intact frames.
        var warnings: [String] = []
    }

    /// Replays `bytes` (a whole journal file named `name`).
    static func read(_ bytes: [UInt8], name: String) -> Contents {
        var contents = Contents()
        var names: [Int64: String] = [:]
        var pairs: [(key: String, value: MetricValue)] = []
        var scratch = ByteBuffer(capacity: 64)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            frames: while raw.count - offset >= 8 {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let checksum = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
                guard length > 0, length <= Journal.maximumFrame, length <= raw.count - offset - 8 else { break }
                let payload = UnsafeRawBufferPointer(rebasing: raw[(offset + 8) ..< (offset + 8 + length)])
                guard Journal.crc(payload) == checksum else { break }
                offset += 8 + length
                contents.frames += 1
                var cursor = Cursor(bytes: payload)
                while !cursor.isAtEnd {
                    do {
                        let count = try cursor.arrayHeader()
                        guard count >= 1 else { throw Cursor.Failure() }
                        let kind = try cursor.int()
                        switch kind {
                        case 0:
                            guard count >= 3, (count - 3) % 2 == 0 else { throw Cursor.Failure() }
                            let step = try cursor.int()
                            let time = try cursor.int()
                            pairs.removeAll(keepingCapacity: true)
                            for _ in 0 ..< (count - 3) / 2 {
                                let column = try cursor.int()
                                guard let name = names[column] else { throw Cursor.Failure() }
                                pairs.append((name, try cursor.metric()))
                            }
                            do {
                                try contents.rows.append(step: step, time: time, values: pairs, journal: &scratch, encode: false)
                            } catch {
                                contents.warnings.append("\(name): a row at step \(step) was skipped: \(error)")
                            }
                        case 1:
                            guard count == 3 else { throw Cursor.Failure() }
                            let column = try cursor.int()
                            names[column] = try cursor.string()
                        case 2, 3:
                            guard count == 2 else { throw Cursor.Failure() }
                            let value = try MessagePackValue(decoding: try cursor.binary())
                            if kind == 2 { contents.header = value } else { contents.updates.append(value) }
                        default:
                            throw Cursor.Failure()
                        }
                    } catch {
                        contents.warnings.append("\(name): frame \(contents.frames) holds a record that cannot be read; the rest of that frame was skipped")
                        continue frames
                    }
                }
            }
            contents.trailingBytes = raw.count - offset
        }
        return contents
    }

    /// A bounds-checked reader of the few MessagePack forms the journal uses.
    struct Cursor {
        struct Failure: Error {}
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var isAtEnd: Bool { offset >= bytes.count }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Failure() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func big<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard bytes.count - offset >= MemoryLayout<T>.size else { throw Failure() }
            defer { offset += MemoryLayout<T>.size }
            return T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }

        mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
            guard n >= 0, bytes.count - offset >= n else { throw Failure() }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + n])
        }

        mutating func arrayHeader() throws -> Int {
            let b = try byte()
            switch b {
            case 0x90 ... 0x9f: return Int(b & 0x0f)
            case 0xdc: return Int(try big(UInt16.self))
            case 0xdd: return Int(try big(UInt32.self))
            default: throw Failure()
            }
        }

        mutating func int() throws -> Int64 {
            let b = try byte()
            switch b {
            case 0x00 ... 0x7f: return Int64(b)
            case 0xe0 ... 0xff: return Int64(Int8(bitPattern: b))
            case 0xcc: return Int64(try byte())
            case 0xcd: return Int64(try big(UInt16.self))
            case 0xce: return Int64(try big(UInt32.self))
            case 0xcf:
                guard let v = Int64(exactly: try big(UInt64.self)) else { throw Failure() }
                return v
            case 0xd0: return Int64(Int8(bitPattern: try byte()))
            case 0xd1: return Int64(try big(Int16.self))
            case 0xd2: return Int64(try big(Int32.self))
            case 0xd3: return try big(Int64.self)
            default: throw Failure()
            }
        }

        mutating func stringLength(_ b: UInt8) throws -> Int? {
            switch b {
            case 0xa0 ... 0xbf: return Int(b & 0x1f)
            case 0xd9: return Int(try byte())
            case 0xda: return Int(try big(UInt16.self))
            case 0xdb: return Int(try big(UInt32.self))
            default: return nil
            }
        }

        mutating func string() throws -> String {
            guard let n = try stringLength(try byte()) else { throw Failure() }
            return String(decoding: try take(n), as: UTF8.self)
        }

        mutating func binary() throws -> [UInt8] {
            let n: Int
            switch try byte() {
            case 0xc4: n = Int(try byte())
            case 0xc5: n = Int(try big(UInt16.self))
            case 0xc6: n = Int(try big(UInt32.self))
            default: throw Failure()
            }
            return Array(try take(n))
        }

        mutating func metric() throws -> MetricValue {
            guard offset < bytes.count else { throw Failure() }
            let b = bytes[offset]
            switch b {
            case 0xcb: offset += 1; return .double(Double(bitPattern: try big(UInt64.self)))
            case 0xca: offset += 1; return .double(Double(Float(bitPattern: try big(UInt32.self))))
            case 0xc0: offset += 1; return .null
            case 0xc2: offset += 1; return .bool(false)
            case 0xc3: offset += 1; return .bool(true)
            case 0xc7:
                offset += 1
                guard try byte() == 12, try byte() == 0xff else { throw Failure() }
                let nanos = try big(UInt32.self)
                let seconds = try big(Int64.self)
                guard nanos < 1_000_000_000 else { throw Failure() }
                let (micros, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
                let (total, carry) = micros.addingReportingOverflow(Int64(nanos / 1000))
                guard !overflow, !carry else { throw Failure() }
                return .timestamp(microseconds: total)
            case 0xa0 ... 0xbf, 0xd9, 0xda, 0xdb:
                return .string(try string())
            default:
                return .int(try int())
            }
        }
    }
}
