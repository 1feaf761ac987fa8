import MessagePack
import Parquet

/// A run's journal read back in batches of rows, for sealing a run whose rows left memory
/// (``MetricBuffers/isSpilled``) without holding them all at once.
///
/// The file is read window by window (`window` bytes, or one whole frame when it is larger);
/// its intact frames are decoded straight into typed columns that already have the run's final
/// schema (an int value in a column that ended up double is stored as that double, as the
/// promotion in memory does), and every `batchRows` rows are handed over as a table — `step`,
/// `time`, then the metric columns in the run's order — so memory stays near one batch
/// whatever the run's length.
///
/// The rules are ``JournalTail``'s: reading stops at the first frame that is short or fails its
/// checksum; a record that cannot be read skips the rest of its frame, and a row whose values
/// do not fit the columns is skipped, each with a warning.
struct JournalBatches {
    /// The journal's path in `storage`.
    let path: String
    /// Its name in warnings.
    let name: String
    let storage: any StorageBackend
    /// The metric columns, in order, with their final types (nil: only nulls).
    let schema: [(name: String, type: MetricType?)]
    /// Rows per batch.
    let batchRows: Int
    /// Bytes read from storage at a time (a larger frame is read whole).
    var window = 8 << 20

    /// Rows handed over so far.
    private(set) var rows = 0
    /// Problems met (torn frames excepted: those end the journal, as for every reader).
    private(set) var warnings: [String] = []

    // The batch being filled.
    private var columns: [MetricColumnBuffer] = []
    private var steps: [Int64] = []
    private var times: [Int64] = []
    // Journal column number → column index (−1: unknown), and the row being decoded.
    private var numbers: [Int] = []
    private var rowColumns: [Int] = []
    private var rowValues: [MetricValue] = []
    /// Per column, the serial of the last row that named it (duplicates within one row).
    private var seen: [Int] = []
    private var serial = 0
    private var frames = 0

    init(path: String, name: String, storage: any StorageBackend, schema: [(name: String, type: MetricType?)], batchRows: Int) {
        self.path = path
        self.name = name
        self.storage = storage
        self.schema = schema
        self.batchRows = Swift.max(1, batchRows)
    }

    /// Reads the whole journal, calling `body` with each batch of rows as it fills (and the
    /// last, partial one). Throws what `body` throws, or when the journal cannot be read.
    mutating func forEach(_ body: (Table) throws -> Void) throws {
        columns = schema.map { MetricColumnBuffer(name: $0.name, type: $0.type) }
        seen = Array(repeating: 0, count: columns.count)
        for index in columns.indices { columns[index].reserveCapacity(batchRows) }
        steps.reserveCapacity(batchRows)
        times.reserveCapacity(batchRows)
        guard let size = storage.entry(path)?.size else {
            throw SpecimenError(.notFound, "\(name) is missing, so the run's rows cannot be sealed", path: path)
        }
        var offset = 0
        var want = window
        reading: while size - offset >= 8 {
            let bytes = try storage.read(path, range: offset ..< Swift.min(size, offset + want))
            var at = 0
            var next = 0   // > 0: a frame of this many bytes continues past the window
            var end = false
            try bytes.withUnsafeBytes { raw in
                while raw.count - at >= 8 {
                    let length = Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                    let checksum = raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian
                    guard length > 0, length <= Journal.maximumFrame, offset + at + 8 + length <= size else { end = true; return }
                    guard length <= raw.count - at - 8 else { next = 8 + length; return }
                    let payload = UnsafeRawBufferPointer(rebasing: raw[(at + 8) ..< (at + 8 + length)])
                    guard Journal.crc(payload) == checksum else { end = true; return }
                    at += 8 + length
                    frames += 1
                    try frame(payload, body)
                }
                if raw.count - at > 0, raw.count - at < 8, offset + raw.count < size { next = 8 }
            }
            offset += at
            if end { break reading }
            if at == 0 {
                guard next > 0 else { break reading }
                want = Swift.max(window, next)   // one frame larger than the window: read it whole
            } else {
                want = window
            }
        }
        if !steps.isEmpty { try emit(body) }
    }

    /// Applies the records of one intact frame.
    private mutating func frame(_ payload: UnsafeRawBufferPointer, _ body: (Table) throws -> Void) throws {
        var cursor = JournalCursor(payload)
        while !cursor.isAtEnd {
            do {
                if try cursor.isRow() {
                    try row(&cursor)
                } else {
                    var reader = MessagePackReader(UnsafeRawBufferPointer(rebasing: payload[cursor.offset...]))
                    let record = try JournalRecord.read(from: &reader)
                    cursor.skip(reader.offset)
                    if case .column(let number, let columnName) = record { define(number, columnName) }
                }
            } catch {
                warnings.append("\(name): frame \(frames) holds a record that cannot be read; the rest of that frame was skipped")
                return
            }
            if steps.count >= batchRows { try emit(body) }
        }
    }

    /// Decodes a row record (the cursor is past its array header and kind) into the batch.
    private mutating func row(_ cursor: inout JournalCursor) throws {
        let count = cursor.rowValueCount
        let step = try cursor.int()
        let time = try cursor.int()
        rowColumns.removeAll(keepingCapacity: true)
        rowValues.removeAll(keepingCapacity: true)
        serial &+= 1
        var problem: String?
        for _ in 0 ..< count {
            let number = try cursor.int()
            let value = try cursor.metric()
            let column = number >= 0 && number < numbers.count ? numbers[Int(number)] : -1
            guard column >= 0 else { problem = problem ?? "names a column the journal never defined"; continue }
            if seen[column] == serial { problem = problem ?? "names column '\(schema[column].name)' twice" }
            seen[column] = serial
            if MetricBuffers.clash(columns[column].type, value) != nil {
                problem = problem ?? "holds a value that column '\(schema[column].name)' cannot take"
            }
            rowColumns.append(column)
            rowValues.append(value)
        }
        if let problem {
            warnings.append("\(name): a row at step \(step) \(problem); it was skipped")
            return
        }
        let row = steps.count
        rowColumns.withUnsafeBufferPointer { indices in
            rowValues.withUnsafeBufferPointer { values in
                columns.withUnsafeMutableBufferPointer { columns in
                    for i in 0 ..< indices.count {
                        let column = indices[i]
                        columns[column].pad(to: row)
                        columns[column].append(values[i])
                    }
                }
            }
        }
        steps.append(step)
        times.append(time)
    }

    /// Records a column's journal number.
    private mutating func define(_ number: Int64, _ columnName: String) {
        guard number >= 0, number < 1 << 24 else { return }
        let index = schema.firstIndex { $0.name == columnName } ?? -1
        if index < 0 { warnings.append("\(name): column '\(columnName)' is not among the run's columns; its values were skipped") }
        if Int(number) >= numbers.count { numbers.append(contentsOf: repeatElement(-1, count: Int(number) + 1 - numbers.count)) }
        numbers[Int(number)] = index
    }

    /// Hands the batch over as a table and starts the next one.
    private mutating func emit(_ body: (Table) throws -> Void) throws {
        let count = steps.count
        var table = Table(rowCount: count)
        try? table.append(Column(name: "step", type: .int64, values: .int64(steps)))
        try? table.append(Column(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true), values: .int64(times)))
        for column in columns { try? table.append(column.column(rows: count)) }
        rows += count
        steps.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        for index in columns.indices {
            columns[index] = MetricColumnBuffer(name: schema[index].name, type: schema[index].type)
            columns[index].reserveCapacity(batchRows)
        }
        try body(table)
    }
}

/// A cursor over one journal frame's records that reads the scalars of row records without
/// building values (the forms `MessagePackBuffer` writes, and every other valid form through
/// ``MessagePackReader``).
private struct JournalCursor {
    let raw: UnsafeRawBufferPointer
    private(set) var offset = 0
    /// The value count of the row record just entered by `isRow()`.
    private(set) var rowValueCount = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var isAtEnd: Bool { offset >= raw.count }

    /// Moves the cursor `count` bytes on.
    mutating func skip(_ count: Int) { offset += count }

    /// Whether the next record is a row; if so, enters it (past its header and kind) and sets
    /// `rowValueCount`; otherwise leaves the cursor where it was.
    mutating func isRow() throws -> Bool {
        var at = offset
        guard at < raw.count else { throw JournalRecord.Malformed() }
        let first = raw[at]
        let count: Int
        switch first {
        case 0x90 ... 0x9f: count = Int(first & 0x0f); at += 1
        case 0xdc:
            guard raw.count - at >= 3 else { throw JournalRecord.Malformed() }
            count = Int(raw[at + 1]) << 8 | Int(raw[at + 2]); at += 3
        case 0xdd:
            guard raw.count - at >= 5 else { throw JournalRecord.Malformed() }
            count = Int(raw[at + 1]) << 24 | Int(raw[at + 2]) << 16 | Int(raw[at + 3]) << 8 | Int(raw[at + 4]); at += 5
        default: throw JournalRecord.Malformed()
        }
        guard count >= 1, at < raw.count, raw[at] == UInt8(JournalRecord.Kind.row) else { return false }
        guard count >= 3, (count - 3) % 2 == 0, count <= raw.count - at else { throw JournalRecord.Malformed() }
        offset = at + 1
        rowValueCount = (count - 3) / 2
        return true
    }

    @inline(__always) private func bigEndian<T: FixedWidthInteger>(_: T.Type, at: Int) throws -> T {
        guard raw.count - at >= MemoryLayout<T>.size else { throw JournalRecord.Malformed() }
        return T(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self))
    }

    /// Reads an integer.
    mutating func int() throws -> Int64 {
        guard offset < raw.count else { throw JournalRecord.Malformed() }
        let byte = raw[offset]
        switch byte {
        case 0x00 ... 0x7f: offset += 1; return Int64(byte)
        case 0xe0 ... 0xff: offset += 1; return Int64(Int8(bitPattern: byte))
        case 0xcc: let v = try bigEndian(UInt8.self, at: offset + 1); offset += 2; return Int64(v)
        case 0xcd: let v = try bigEndian(UInt16.self, at: offset + 1); offset += 3; return Int64(v)
        case 0xce: let v = try bigEndian(UInt32.self, at: offset + 1); offset += 5; return Int64(v)
        case 0xcf:
            let v = try bigEndian(UInt64.self, at: offset + 1)
            guard v <= UInt64(Int64.max) else { throw JournalRecord.Malformed() }
            offset += 9; return Int64(v)
        case 0xd0: let v = try bigEndian(Int8.self, at: offset + 1); offset += 2; return Int64(v)
        case 0xd1: let v = try bigEndian(Int16.self, at: offset + 1); offset += 3; return Int64(v)
        case 0xd2: let v = try bigEndian(Int32.self, at: offset + 1); offset += 5; return Int64(v)
        case 0xd3: let v = try bigEndian(Int64.self, at: offset + 1); offset += 9; return v
        default:
            guard let v = try slowValue().intValue else { throw JournalRecord.Malformed() }
            return v
        }
    }

    /// Reads a row's value as `JournalRecord` does.
    mutating func metric() throws -> MetricValue {
        guard offset < raw.count else { throw JournalRecord.Malformed() }
        switch raw[offset] {
        case 0xcb:
            let bits = try bigEndian(UInt64.self, at: offset + 1)
            offset += 9
            return .double(Double(bitPattern: bits))
        case 0xc0: offset += 1; return .null
        case 0xc2: offset += 1; return .bool(false)
        case 0xc3: offset += 1; return .bool(true)
        case 0x00 ... 0x7f, 0xe0 ... 0xff, 0xcc ... 0xcf, 0xd0 ... 0xd3: return .int(try int())
        default:
            return try JournalRecord.metric(from: slowValue())
        }
    }

    /// Any value, through the general reader.
    private mutating func slowValue() throws -> MessagePackValue {
        var reader = MessagePackReader(UnsafeRawBufferPointer(rebasing: raw[offset...]))
        let value = try reader.readValue()
        offset += reader.offset
        return value
    }
}
