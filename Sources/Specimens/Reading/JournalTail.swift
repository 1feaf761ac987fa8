import MessagePack

/// A journal read as it grows: each `advance` decodes only the frames appended since the last
/// one, adding their rows and records to ``contents``. A live view of a running run reads
/// each row once instead of the whole journal at every refresh.
///
/// It keeps ``JournalReader``'s rule: reading stops at the first frame that is short or fails
/// its checksum. A short frame is usually one being written, so the next `advance` tries it
/// again from its start; the bytes from there on count as ``JournalReader/Contents/trailingBytes``.
///
/// ```swift
/// var tail = JournalTail()
/// try tail.advance(path: runFolder + "/.journal", name: ".journal")   // the whole journal
/// try tail.advance(path: runFolder + "/.journal", name: ".journal")   // only what was appended since
/// let rows = tail.contents.rows.table()
/// ```
struct JournalTail {
    /// Everything the intact frames read so far hold.
    private(set) var contents = JournalReader.Contents()
    /// Bytes of the file read as intact frames: where the next frame starts.
    private(set) var offset = 0
    /// The file's size when last read (−1: never read).
    private var seenSize = -1
    private var names: [Int64: String] = [:]
    private var pairs: [(key: String, value: MetricValue)] = []
    /// The lines of the last lines-batch record, parsed (the parser remembers their keys).
    private var lines = ParsedLines()
    /// Lines skipped when lines-batch records were replayed (the first few are warnings).
    private var skippedLines = 0

    /// Reads a range of bytes of the run's `metrics.jsonl` for lines-batch records; nil when
    /// they cannot be read.
    typealias LinesSource = (Range<Int>) -> [UInt8]?

    /// Parses into `parsed` (emptied first) the lines of `metrics.jsonl` between `from` and
    /// `to`, a lines-batch record of the journal `name`, read through `source`; returns the
    /// warning to keep when they cannot be read (`parsed` stays empty: their rows are missing).
    static func parseLinesBatch(from: LinesProgress, to: LinesProgress, name: String, source: LinesSource?,
                                into parsed: inout ParsedLines) -> String? {
        parsed.reset()
        guard to.offset > from.offset else { return nil }
        let range = Int(from.offset) ..< Int(to.offset)
        guard let bytes = source?(range), bytes.count == range.count else {
            return "\(name): the rows of \(RunFolder.metricsLines) lines \(from.lines + 1)–\(to.lines) (bytes \(range.lowerBound)–\(range.upperBound)) could not be read from that file; they are missing"
        }
        bytes.withUnsafeBufferPointer { parsed.parse($0.baseAddress!, 0, $0.count, final: true) }
        return nil
    }

    /// The source of lines-batch records' bytes for a journal in `folder` of `storage`: its
    /// `metrics.jsonl`, read only where the file is long enough (a damaged record claiming a
    /// huge range reads nothing).
    static func linesSource(folder: String, storage: any StorageBackend) -> LinesSource {
        let path = folder + "/" + RunFolder.metricsLines
        return { range in
            guard let size = storage.entry(path)?.size, range.upperBound <= size else { return nil }
            return try? storage.read(path, range: range)
        }
    }

    /// Reads what the journal at `path` in `storage` (named `name` in warnings) gained since the last call.
    /// A file that shrank (it was replaced) is read again from its start. Returns whether
    /// any frame was added; throws when the file cannot be read (what was read stays).
    @discardableResult
    mutating func advance(path: String, name: String, storage: any StorageBackend = LocalStorage.shared) throws -> Bool {
        guard let size = storage.entry(path)?.size else {
            throw SpecimenError(.notFound, "\(name) is missing", path: path)
        }
        if size < seenSize { self = JournalTail() }
        guard size != seenSize else { return false }
        let bytes = try storage.read(path, range: offset ..< Swift.max(offset, Swift.min(size, offset + Journal.maximumFrame + 8)))
        seenSize = offset + bytes.count
        let frames = contents.frames
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        bytes.withUnsafeBytes { consume($0, name: name, lines: Self.linesSource(folder: folder, storage: storage)) }
        return contents.frames > frames
    }

    /// Decodes the intact frames at the start of `raw` (the journal's bytes from `offset` on);
    /// the rows of lines-batch records are read through `lines` (without it, they are missing,
    /// with a warning).
    mutating func consume(_ raw: UnsafeRawBufferPointer, name: String, lines: LinesSource? = nil) {
        var at = 0
        var scratch = MessagePackBuffer(capacity: 64)   // unused: rows read back are not encoded again
        frames: while raw.count - at >= 8 {
            let length = Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
            let checksum = raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian
            guard length > 0, length <= Journal.maximumFrame, length <= raw.count - at - 8 else { break }
            let payload = UnsafeRawBufferPointer(rebasing: raw[(at + 8) ..< (at + 8 + length)])
            guard Journal.crc(payload) == checksum else { break }
            at += 8 + length
            contents.frames += 1
            var reader = MessagePackReader(payload)
            while !reader.isAtEnd {
                do {
                    try record(&reader, name: name, scratch: &scratch, lines: lines)
                } catch {
                    contents.warnings.append("\(name): frame \(contents.frames) holds a record that cannot be read; the rest of that frame was skipped")
                    continue frames
                }
            }
        }
        offset += at
        contents.trailingBytes = raw.count - at
    }

    /// Applies the next record of a frame.
    private mutating func record(_ reader: inout MessagePackReader, name: String, scratch: inout MessagePackBuffer,
                                 lines source: LinesSource?) throws {
        switch try JournalRecord.read(from: &reader) {
        case .row(let step, let time, let values):
            pairs.removeAll(keepingCapacity: true)
            for (column, value) in values {
                guard let columnName = names[column] else { throw JournalRecord.Malformed() }
                pairs.append((columnName, value))
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
        case .linesBatch(let from, let to, let arrival):
            contents.lines = to
            replay(from: from, to: to, arrival: arrival, name: name, source: source, scratch: &scratch)
        }
    }

    /// Appends the rows of `metrics.jsonl` between `from` and `to` (a lines-batch record), as
    /// the writer appended them: parsed from the file, `arrival` for rows without `time`.
    private mutating func replay(from: LinesProgress, to: LinesProgress, arrival: Int64, name: String, source: LinesSource?,
                                 scratch: inout MessagePackBuffer) {
        if let warning = Self.parseLinesBatch(from: from, to: to, name: name, source: source, into: &lines) {
            contents.warnings.append(warning)
            return
        }
        contents.rows.nextStep = from.nextStep
        var problems: [(line: Int64, message: String)] = []
        lines.append(to: &contents.rows, journal: &scratch, encode: false, arrival: arrival, firstLine: from.lines + 1, problems: &problems)
        for problem in problems {
            skippedLines += 1
            if skippedLines <= MetricsFollower.warningLimit {
                contents.warnings.append(MetricLines.warning(RunFolder.metricsLines, Int(problem.line), problem.message))
            } else if skippedLines == MetricsFollower.warningLimit + 1 {
                contents.warnings.append("\(RunFolder.metricsLines): more lines were skipped (the first \(MetricsFollower.warningLimit) are listed)")
            }
        }
    }
}
