import MessagePack

/// The records of a run's hidden journal (see `Journal` for the framing): the one place where
/// they are written and read.
///
/// ```
/// [0, step, time_us, col, value, col, value, …]   a row (col: the column's number)
/// [1, col, name]                                   a column's first appearance
/// [2, bin(map)]                                    the run's header (params, command, …)
/// [3, bin(map)]                                    metadata set later (notes, tags)
/// [4, offset, lines, next_step]                    metrics.jsonl ingested up to here
/// [5, offset, lines, next_step,                     metrics.jsonl's lines from the first
///     to_offset, to_lines, to_next_step, arrival]   progress to the second, rows not journaled
/// values: int, float64, bool, str, nil, timestamp (ext −1)
/// ```
enum JournalRecord {
    /// A logged row.
    case row(step: Int64, time: Int64, values: [(column: Int64, value: MetricValue)])
    /// A column's number and name, before the first row that uses it.
    case column(number: Int64, name: String)
    /// The run's header.
    case header(MessagePackValue)
    /// Notes or tags set while the run was open.
    case update(MessagePackValue)
    /// How far `metrics.jsonl` has been ingested into this journal: the rows before it came
    /// from the file's first `offset` bytes (`lines` lines); readers take the rest from the file.
    case lines(LinesProgress)
    /// The lines of `metrics.jsonl` between two points of ingestion, which arrived at
    /// `arrival` (µs since 1970) and whose rows are not in the journal: readers parse them
    /// from the file, as the writer did (a row without `time` takes `arrival`), in this
    /// record's place among the journal's rows. `specimen run` writes these on the local disk,
    /// where the file outlives a crash (synced before the journal at every flush), so that
    /// its rows are not encoded, checksummed and written a second time.
    case linesBatch(from: LinesProgress, to: LinesProgress, arrival: Int64)

    /// The record kinds: the first element of each record.
    enum Kind {
        static let row: Int64 = 0
        static let column: Int64 = 1
        static let header: Int64 = 2
        static let update: Int64 = 3
        static let lines: Int64 = 4
        static let linesBatch: Int64 = 5
    }

    /// The keys of the header record's map.
    enum HeaderKey {
        /// The run's ID.
        static let runID = "run_id"
        /// Microseconds since 1970 when the run (or this process's part of it) started.
        static let startedAt = "started_at"
        /// The params.
        static let params = "params"
        /// The argv of the writing process.
        static let command = "command"
        /// Its pid.
        static let pid = "pid"
        /// Whether the process joined a run another process owns.
        static let joined = "joined"
        /// `{hostname, os, arch, cpus}`.
        static let host = RunManifest.Key.host
        /// Swift and package versions.
        static let runtime = RunManifest.Key.runtime
        /// `{commit, branch, dirty}`.
        static let git = RunManifest.Key.git
        /// `{path, sha256}` of the protocol.
        static let protocolFile = RunManifest.Key.protocolFile
    }

    /// The keys of an update record's map (the same as the manifest's).
    enum UpdateKey {
        /// Free text.
        static let notes = RunManifest.Key.notes
        /// A list of strs.
        static let tags = RunManifest.Key.tags
    }

    // MARK: Writing (the logging hot path: no allocation, no values built)

    /// Writes a column record.
    @inline(__always)
    static func writeColumn(number: Int, name: String, into buffer: inout MessagePackBuffer) {
        buffer.writeArrayHeader(count: 3)
        buffer.write(Kind.column)
        buffer.write(Int64(number))
        buffer.write(name)
    }

    /// Writes the start of a row record of `valueCount` values; `writeValue` writes each.
    @inline(__always)
    static func writeRowStart(valueCount: Int, step: Int64, time: Int64, into buffer: inout MessagePackBuffer) {
        buffer.writeArrayHeader(count: 3 + 2 * valueCount)
        buffer.write(Kind.row)
        buffer.write(step)
        buffer.write(time)
    }

    /// Writes one value of a row: its column's number, then the value.
    @inline(__always)
    static func writeValue(column: Int, _ value: MetricValue, into buffer: inout MessagePackBuffer) {
        buffer.write(Int64(column))
        switch value {
        case .double(let v): buffer.write(v)
        case .int(let v): buffer.write(v)
        case .bool(let v): buffer.write(v)
        case .string(let v): buffer.write(v)
        case .timestamp(let micros): buffer.write(MessagePackTimestamp(microseconds: micros))
        case .null: buffer.writeNil()
        }
    }

    /// Writes one double value of a row: its column's number, then the value (what
    /// `writeValue` writes for `.double`).
    @inline(__always)
    static func writeDouble(column: Int, _ value: Double, into buffer: inout MessagePackBuffer) {
        buffer.write(Int64(column))
        buffer.write(value)
    }

    /// Writes a header (`kind` 2) or update (`kind` 3) record holding `map` as a bin.
    static func writeMapRecord(kind: Int64, _ map: MessagePackValue, into buffer: inout MessagePackBuffer) {
        buffer.writeArrayHeader(count: 2)
        buffer.write(kind)
        map.encoded().withUnsafeBytes { buffer.write(binary: $0) }
    }

    /// Writes a lines record: `metrics.jsonl` is ingested up to `progress`. It follows the
    /// rows it covers in the same frame, so a reader never sees those rows without it.
    static func writeLines(_ progress: LinesProgress, into buffer: inout MessagePackBuffer) {
        buffer.writeArrayHeader(count: 4)
        buffer.write(Kind.lines)
        buffer.write(progress.offset)
        buffer.write(progress.lines)
        buffer.write(progress.nextStep)
    }

    /// Writes a lines-batch record: `metrics.jsonl` is ingested from `from` to `to`, its rows
    /// left in the file (``linesBatch(from:to:arrival:)``).
    static func writeLinesBatch(from: LinesProgress, to: LinesProgress, arrival: Int64, into buffer: inout MessagePackBuffer) {
        buffer.writeArrayHeader(count: 8)
        buffer.write(Kind.linesBatch)
        for progress in [from, to] {
            buffer.write(progress.offset)
            buffer.write(progress.lines)
            buffer.write(progress.nextStep)
        }
        buffer.write(arrival)
    }

    // MARK: Reading

    /// Why a record cannot be read.
    struct Malformed: Error {}

    /// Reads the next record from `reader`; throws `Malformed` (or the reader's error) for a
    /// record of the wrong shape. `column` turns a column number into its name, when known.
    static func read(from reader: inout MessagePackReader) throws -> JournalRecord {
        let count = try reader.readArrayHeader()
        guard count >= 1 else { throw Malformed() }
        switch try int(&reader) {
        case Kind.row:
            guard count >= 3, (count - 3) % 2 == 0 else { throw Malformed() }
            let step = try int(&reader)
            let time = try int(&reader)
            var values: [(column: Int64, value: MetricValue)] = []
            values.reserveCapacity((count - 3) / 2)
            for _ in 0 ..< (count - 3) / 2 {
                let column = try int(&reader)
                values.append((column, try metric(&reader)))
            }
            return .row(step: step, time: time, values: values)
        case Kind.column:
            guard count == 3 else { throw Malformed() }
            let number = try int(&reader)
            guard let name = try reader.readValue().stringValue else { throw Malformed() }
            return .column(number: number, name: name)
        case let kind where kind == Kind.header || kind == Kind.update:
            guard count == 2, case .binary(let bytes) = try reader.readValue() else { throw Malformed() }
            let value = try MessagePackValue(decoding: bytes)
            return kind == Kind.header ? .header(value) : .update(value)
        case Kind.lines:
            guard count == 4 else { throw Malformed() }
            let offset = try int(&reader), lines = try int(&reader), nextStep = try int(&reader)
            guard offset >= 0, lines >= 0 else { throw Malformed() }
            return .lines(LinesProgress(offset: offset, lines: lines, nextStep: nextStep))
        case Kind.linesBatch:
            guard count == 8 else { throw Malformed() }
            var points: [LinesProgress] = []
            for _ in 0 ..< 2 {
                let offset = try int(&reader), lines = try int(&reader), nextStep = try int(&reader)
                guard offset >= 0, lines >= 0 else { throw Malformed() }
                points.append(LinesProgress(offset: offset, lines: lines, nextStep: nextStep))
            }
            let arrival = try int(&reader)
            guard points[0].offset <= points[1].offset, points[0].lines <= points[1].lines else { throw Malformed() }
            return .linesBatch(from: points[0], to: points[1], arrival: arrival)
        default:
            throw Malformed()
        }
    }

    private static func int(_ reader: inout MessagePackReader) throws -> Int64 {
        guard let value = try reader.readValue().intValue else { throw Malformed() }
        return value
    }

    private static func metric(_ reader: inout MessagePackReader) throws -> MetricValue {
        try metric(from: reader.readValue())
    }

    /// A journaled metric value: floats as doubles, integers of any width as ints, nil, bools,
    /// strs and timestamps as themselves; throws `Malformed` for any other kind (or a timestamp
    /// outside microseconds). The one mapping for the journal's readers.
    static func metric(from value: MessagePackValue) throws -> MetricValue {
        switch value {
        case .float64(let v): return .double(v)
        case .float32(let v): return .double(Double(v))
        case .nil: return .null
        case .bool(let v): return .bool(v)
        case .string(let v): return .string(v)
        case .timestamp(let t):
            guard let micros = t.microseconds else { throw Malformed() }
            return .timestamp(microseconds: micros)
        case let other:
            guard let v = other.intValue else { throw Malformed() }
            return .int(v)
        }
    }
}
