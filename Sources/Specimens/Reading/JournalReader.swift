import MessagePack

/// Reads a journal (see `Journal`) back into rows, stopping cleanly at the first torn or
/// corrupt frame.
struct JournalReader {
    /// What a journal held up to its first bad frame.
    struct Contents {
        var rows = MetricBuffers()
        /// The header record, if present.
        var header: MessagePackValue?
        /// Update records (notes, tags), in order.
        var updates: [MessagePackValue] = []
        /// How far `metrics.jsonl` was ingested into this journal (the last lines record).
        var lines: LinesProgress?
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
        var scratch = MessagePackBuffer(capacity: 64)
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
                var reader = MessagePackReader(payload)
                while !reader.isAtEnd {
                    do {
                        switch try JournalRecord.read(from: &reader) {
                        case .row(let step, let time, let values):
                            pairs.removeAll(keepingCapacity: true)
                            for (column, value) in values {
                                guard let name = names[column] else { throw JournalRecord.Malformed() }
                                pairs.append((name, value))
                            }
                            do {
                                try contents.rows.append(step: step, time: time, values: pairs, journal: &scratch, encode: false)
                            } catch {
                                contents.warnings.append("\(name): a row at step \(step) was skipped: \(error)")
                            }
                        case .column(let number, let columnName):
                            names[number] = columnName
                        case .header(let value):
                            contents.header = value
                        case .update(let value):
                            contents.updates.append(value)
                        case .lines(let progress):
                            contents.lines = progress
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
}
