#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
/// whatever the run's length. ``next()`` decodes one batch and returns, so a caller can decode
/// the next batch on another thread while it writes the last one (``RunSealer``).
///
/// Rows whose values are all numbers of number columns — a float64 or an integer of a double
/// column, an integer of an int64 column — in the form the logging path and ingestion write (a
/// column number below 128, then the value), take a fast path: their values are loaded
/// straight into the columns without building a ``MetricValue``.
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
    /// The run's `metrics.jsonl`, whose lines the journal's lines-batch records refer to (nil:
    /// such records' rows are missing, with a warning).
    private let lines: JournalTail.LinesSource?
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
    /// Per column, its type: double columns (kept in `doubles` rather than in `columns`) and
    /// int64 columns are the fast path's.
    private var types: [MetricType?] = []
    private var doubles: DoubleColumns?
    /// The fast path's row: each value's column and bits.
    private var fastColumns: [Int] = []
    private var fastBits: [UInt64] = []
    /// Per column, the serial of the last row that named it (duplicates within one row).
    private var seen: [Int] = []
    private var serial = 0
    private var frames = 0
    // The lines of the last lines-batch record, parsed from `metrics.jsonl` (the parser keeps
    // their keys from batch to batch); each layout's columns; the next of their rows to take,
    // the record's arrival time and the step of the next row without one.
    private var parsed = ParsedLines()
    private var layoutColumns: [[Int]] = []
    private var lineRow = 0
    private var lineArrival: Int64 = 0
    private var lineStep: Int64 = 0

    // Where reading stands: the window read last, the file offset of its first byte, the next
    // frame header in it, and the frame being decoded (`frameEnd` 0: none) with the offset of
    // its next record.
    private var started = false
    private var reserved = false
    private var finished = false
    private var size = 0
    private var bytes: [UInt8] = []
    private var windowOffset = 0
    private var at = 0
    private var frameStart = 0
    private var frameEnd = 0
    private var recordOffset = 0

    /// Reads the journal at `path` in `storage`; `linesFolder`: the run folder in `storage`
    /// whose `metrics.jsonl` lines-batch records refer to.
    init(path: String, name: String, storage: any StorageBackend, schema: [(name: String, type: MetricType?)], batchRows: Int,
         linesFolder: String? = nil) {
        self.path = path
        self.name = name
        self.storage = storage
        lines = linesFolder.map { JournalTail.linesSource(folder: $0, storage: storage) }
        self.schema = schema
        self.batchRows = Swift.max(1, batchRows)
    }

    /// Reads the whole journal, calling `body` with each batch of rows as it fills (and the
    /// last, partial one). Throws what `body` throws, or when the journal cannot be read.
    mutating func forEach(_ body: (Table) throws -> Void) throws {
        while let batch = try next() { try body(batch) }
    }

    /// Decodes the next batch of rows: `batchRows` of them, fewer for the last batch; nil once
    /// the journal is read to its end (or its first bad frame). Throws when the journal cannot
    /// be read.
    mutating func next() throws -> Table? {
        if !started { try start() }
        if !reserved {
            reserved = true
            steps.reserveCapacity(batchRows)
            times.reserveCapacity(batchRows)
            for index in columns.indices where types[index] != .double { columns[index].reserveCapacity(batchRows) }
        }
        while !finished {
            if lineRow < parsed.rows.count {
                takeLines()
                if steps.count >= batchRows { return emit() }
                continue
            }
            if frameEnd > 0 {
                let full = try bytes.withUnsafeBytes { raw in
                    try decodeFrame(UnsafeRawBufferPointer(rebasing: raw[frameStart ..< frameEnd]))
                }
                if full { return emit() }
            } else if try !nextFrame() {
                finished = true
            }
        }
        return steps.isEmpty ? nil : emit()
    }

    private mutating func start() throws {
        started = true
        columns = schema.map { MetricColumnBuffer(name: $0.name, type: $0.type) }
        types = schema.map(\.type)
        doubles = DoubleColumns(isDouble: types.map { $0 == .double }, capacity: batchRows)
        seen = Array(repeating: 0, count: columns.count)
        guard let size = storage.entry(path)?.size else {
            throw SpecimenError(.notFound, "\(name) is missing, so the run's rows cannot be sealed", path: path)
        }
        self.size = size
    }

    /// Moves to the next intact frame, reading windows as needed; false at the journal's end
    /// (a short or corrupt frame, or no more bytes).
    private mutating func nextFrame() throws -> Bool {
        var want = window
        while true {
            if at < bytes.count, bytes.count - at >= 8 {
                let found: Bool? = bytes.withUnsafeBytes { raw in
                    let length = Int(raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian)
                    let checksum = raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self).littleEndian
                    guard length > 0, length <= Journal.maximumFrame, windowOffset + at + 8 + length <= size else { return false }
                    guard length <= raw.count - at - 8 else { want = Swift.max(window, 8 + length); return nil }
                    let payload = UnsafeRawBufferPointer(rebasing: raw[(at + 8) ..< (at + 8 + length)])
                    guard Journal.crc(payload) == checksum else { return false }
                    return true
                }
                if found == false { return false }
                if found == true {
                    let length = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
                    frameStart = at + 8
                    frameEnd = at + 8 + length
                    recordOffset = 0
                    at = frameEnd
                    frames += 1
                    return true
                }
            }
            // The next frame is not whole in this window: read from its header on (a frame
            // found above fits in the file, so the new window holds it whole).
            let offset = windowOffset + at
            guard size - offset >= 8 else { return false }
            let wanted = Swift.min(size - offset, want)
            guard try readWindow(at: offset, count: wanted) else { return false }   // the file shrank: its end is here
            windowOffset = offset
            at = 0
        }
    }

    /// Reads `count` bytes at `offset` into `bytes`; false when the file holds fewer. On the
    /// local disk the same buffer is read into every time (no new pages to fault in and zero).
    private mutating func readWindow(at offset: Int, count: Int) throws -> Bool {
        guard storage is LocalStorage else {
            bytes = try storage.read(path, range: offset ..< offset + count)
            return bytes.count == count
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
        defer { close(fd) }
        if bytes.count < count {
            bytes.append(contentsOf: repeatElement(0, count: count - bytes.count))
        } else if bytes.count > count {
            bytes.removeLast(bytes.count - count)
        }
        var total = 0
        let path = self.path
        try bytes.withUnsafeMutableBytes { buffer in
            while total < count {
                let n = pread(fd, buffer.baseAddress! + total, count - total, off_t(offset + total))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SpecimenError.system("read", path, errno: errno)
                }
                if n == 0 { break }
                total += n
            }
        }
        return total == count
    }

    /// Applies the records of the current frame from `recordOffset` on; true when the batch
    /// filled (the frame may hold more records: `recordOffset` says where they start).
    private mutating func decodeFrame(_ payload: UnsafeRawBufferPointer) throws -> Bool {
        var cursor = JournalCursor(payload)
        cursor.skip(recordOffset)
        defer { recordOffset = cursor.offset }
        while !cursor.isAtEnd {
            cursor.skip(fastRows(payload, from: cursor.offset) - cursor.offset)
            if steps.count >= batchRows || cursor.isAtEnd { break }
            do {
                if try cursor.isRow() {
                    try row(&cursor)
                } else {
                    var reader = MessagePackReader(UnsafeRawBufferPointer(rebasing: payload[cursor.offset...]))
                    let record = try JournalRecord.read(from: &reader)
                    cursor.skip(reader.offset)
                    switch record {
                    case .column(let number, let columnName): define(number, columnName)
                    case .linesBatch(let from, let to, let arrival):
                        loadLines(from: from, to: to, arrival: arrival)
                        takeLines()
                    default: break
                    }
                }
            } catch {
                warnings.append("\(name): frame \(frames) holds a record that cannot be read; the rest of that frame was skipped")
                frameEnd = 0
                return steps.count >= batchRows
            }
            if steps.count >= batchRows { break }
        }
        if cursor.isAtEnd { frameEnd = 0 }
        return steps.count >= batchRows
    }

    /// Decodes a row record (the cursor is past its array header and kind) into the batch.
    private mutating func row(_ cursor: inout JournalCursor) throws {
        let count = cursor.rowValueCount
        let step = try cursor.int()
        let time = try cursor.int()
        serial &+= 2   // past any serial the fast path gave this row when it gave up on it
        rowColumns.removeAll(keepingCapacity: true)
        rowValues.removeAll(keepingCapacity: true)
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
        appendRow(step: step, time: time)
    }

    /// Appends the row whose values are in `rowValues`, for the columns in `rowColumns` (each
    /// checked: known, once, a value it can take), to the batch.
    private mutating func appendRow(step: Int64, time: Int64) {
        let row = steps.count
        let doubles = self.doubles!
        rowColumns.withUnsafeBufferPointer { indices in
            rowValues.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { types in
                    columns.withUnsafeMutableBufferPointer { columns in
                        for i in 0 ..< indices.count {
                            let column = indices[i]
                            guard types[column] == .double else {
                                columns[column].pad(to: row)
                                columns[column].append(values[i])
                                continue
                            }
                            switch values[i] {   // a double column takes doubles, ints and nulls (checked above)
                            case .double(let v): doubles.append(column, v, row: row)
                            case .int(let v): doubles.append(column, Double(v), row: row)
                            default: doubles.pad(column, to: row + 1)
                            }
                        }
                    }
                }
            }
        }
        steps.append(step)
        times.append(time)
    }

    /// The fast path: decodes the row records from `start` on while each is a row whose values
    /// are all numbers of known number columns (a float64 or an integer of a double column, an
    /// integer of an int64 column), each named once, each after a column number below 128, and
    /// the batch has room; returns the offset of the first record it left for the general path
    /// (`start` when none). The column pointers are taken once for the whole run of rows, not
    /// once per row.
    private mutating func fastRows(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        var steps: [Int64] = [], times: [Int64] = [], seen: [Int] = [], columns: [MetricColumnBuffer] = []
        var fastColumns: [Int] = [], fastBits: [UInt64] = []
        // Moved out of `self` (no copies) for the loop, and back after it.
        swap(&steps, &self.steps)
        swap(&times, &self.times)
        swap(&seen, &self.seen)
        swap(&columns, &self.columns)
        swap(&fastColumns, &self.fastColumns)
        swap(&fastBits, &self.fastBits)
        defer {
            swap(&steps, &self.steps)
            swap(&times, &self.times)
            swap(&seen, &self.seen)
            swap(&columns, &self.columns)
            swap(&fastColumns, &self.fastColumns)
            swap(&fastBits, &self.fastBits)
        }
        let width = types.count
        let doubles = self.doubles!
        let stores = doubles.storage, counts = doubles.counts, hasNulls = doubles.hasNulls
        if fastColumns.count < width {
            fastColumns = Array(repeating: 0, count: width)
            fastBits = Array(repeating: 0, count: width)
        }
        var serial = self.serial
        defer { self.serial = serial }
        let limit = batchRows
        var at = start
        numbers.withUnsafeBufferPointer { numbers in
            types.withUnsafeBufferPointer { types in
                seen.withUnsafeMutableBufferPointer { seen in
                    fastColumns.withUnsafeMutableBufferPointer { fastColumns in
                        fastBits.withUnsafeMutableBufferPointer { fastBits in
                            while at < raw.count, steps.count < limit {
                                // [0, step, time, (column, number) × n]
                                var p = at
                                let first = raw[p]
                                let count: Int
                                if first & 0xf0 == 0x90 {
                                    count = Int(first & 0x0f)
                                    p &+= 1
                                } else if first == 0xdc, raw.count - p >= 3 {
                                    count = Int(raw[p + 1]) << 8 | Int(raw[p + 2])
                                    p &+= 3
                                } else {
                                    return
                                }
                                let n = (count - 3) / 2
                                guard count >= 5, count & 1 == 1, n <= width, p < raw.count, raw[p] == 0 else { return }
                                p &+= 1
                                guard let step = Self.fastInt(raw, &p), let time = Self.fastInt(raw, &p) else { return }
                                serial &+= 1
                                for i in 0 ..< n {
                                    guard raw.count - p >= 2 else { return }
                                    let number = Int(raw[p])
                                    guard number < 0x80, number < numbers.count else { return }
                                    let column = numbers[number]
                                    guard column >= 0, seen[column] != serial else { return }
                                    // The value's bits: a double column's as a Double, an int64 column's as an Int64.
                                    let type = types[column]
                                    if type == .double && raw[p + 1] == 0xcb {
                                        guard raw.count - p >= 10 else { return }
                                        fastBits[i] = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: p + 2, as: UInt64.self))
                                        p &+= 10
                                    } else if type == .double || type == .int64 {
                                        p &+= 1
                                        guard let value = Self.fastInt(raw, &p) else { return }
                                        fastBits[i] = type == .double ? Double(value).bitPattern : UInt64(bitPattern: value)
                                    } else {
                                        return
                                    }
                                    seen[column] = serial
                                    fastColumns[i] = column
                                }
                                let row = steps.count
                                for i in 0 ..< n {
                                    let column = fastColumns[i]
                                    guard types[column] == .double else {
                                        columns[column].appendInt(Int64(bitPattern: fastBits[i]), row: row)
                                        continue
                                    }
                                    let value = Double(bitPattern: fastBits[i])
                                    if counts[column] == row && !hasNulls[column] {
                                        stores[column].unsafelyUnwrapped[row] = value
                                        counts[column] = row &+ 1
                                    } else {
                                        doubles.append(column, value, row: row)
                                    }
                                }
                                steps.append(step)
                                times.append(time)
                                at = p
                            }
                        }
                    }
                }
            }
        }
        return at
    }

    /// An integer in one of MessagePack's integer forms at `p` (moved past it), or nil (another
    /// form, or too few bytes: the general path decides).
    @inline(__always)
    private static func fastInt(_ raw: UnsafeRawBufferPointer, _ p: inout Int) -> Int64? {
        guard p < raw.count else { return nil }
        let byte = raw[p]
        if byte < 0x80 { p &+= 1; return Int64(byte) }
        if byte >= 0xe0 { p &+= 1; return Int64(Int8(bitPattern: byte)) }
        let size: Int
        switch byte {
        case 0xcc, 0xd0: size = 1
        case 0xcd, 0xd1: size = 2
        case 0xce, 0xd2: size = 4
        case 0xcf, 0xd3: size = 8
        default: return nil
        }
        guard raw.count - p > size else { return nil }
        var bits: UInt64 = 0
        for k in 1 ... size { bits = bits << 8 | UInt64(raw[p + k]) }
        let value: Int64
        if byte >= 0xd0 {
            let shift = UInt64(64 - 8 * size)
            value = Int64(bitPattern: bits << shift) >> Int64(shift)   // sign-extended
        } else {
            guard bits <= UInt64(Int64.max) else { return nil }
            value = Int64(bits)
        }
        p &+= 1 + size
        return value
    }

    /// Parses the lines of `metrics.jsonl` between `from` and `to` (a lines-batch record) for
    /// ``takeLines()``; when they cannot be read, their rows are missing, with a warning.
    private mutating func loadLines(from: LinesProgress, to: LinesProgress, arrival: Int64) {
        lineRow = 0
        if let warning = JournalTail.parseLinesBatch(from: from, to: to, name: name, source: lines, into: &parsed) {
            warnings.append(warning)
            return
        }
        layoutColumns = parsed.layouts.map { names in names.map { name in schema.firstIndex { $0.name == name } ?? -1 } }
        lineArrival = arrival
        lineStep = from.nextStep
    }

    /// Takes the parsed lines' rows into the batch, in order, until it is full or they are all
    /// in. A row that does not fit the columns is one the writer refused (and warned of) when
    /// it ingested the line: skipped again, without a step, as then.
    private mutating func takeLines() {
        let rows = parsed.rows, values = parsed.values
        while lineRow < rows.count, steps.count < batchRows {
            let row = rows[lineRow]
            let start = lineRow == 0 ? 0 : rows[lineRow - 1].valueEnd
            lineRow += 1
            let indices = layoutColumns[Int(row.layout)]
            rowColumns.removeAll(keepingCapacity: true)
            rowValues.removeAll(keepingCapacity: true)
            var fits = true
            for (offset, column) in indices.enumerated() {
                let value = values[start + offset]
                guard column >= 0, MetricBuffers.clash(columns[column].type, value) == nil else { fits = false; break }
                rowColumns.append(column)
                rowValues.append(value)
            }
            guard fits else { continue }
            let step = row.hasStep ? row.step : lineStep
            lineStep = step &+ 1
            appendRow(step: step, time: row.hasTime ? row.time : lineArrival)
        }
    }

    /// Records a column's journal number.
    private mutating func define(_ number: Int64, _ columnName: String) {
        guard number >= 0, number < 1 << 24 else { return }
        let index = schema.firstIndex { $0.name == columnName } ?? -1
        if index < 0 { warnings.append("\(name): column '\(columnName)' is not among the run's columns; its values were skipped") }
        if Int(number) >= numbers.count { numbers.append(contentsOf: repeatElement(-1, count: Int(number) + 1 - numbers.count)) }
        numbers[Int(number)] = index
    }

    /// The batch as a table; the next one starts empty.
    private mutating func emit() -> Table {
        let count = steps.count
        var table = Table(rowCount: count)
        try? table.append(Column(name: "step", type: .int64, values: .int64(steps)))
        try? table.append(Column(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true), values: .int64(times)))
        for index in columns.indices {
            try? table.append(types[index] == .double ? doubles!.column(index, name: schema[index].name, rows: count) : columns[index].column(rows: count))
        }
        rows += count
        steps = []
        times = []
        for index in columns.indices { columns[index] = MetricColumnBuffer(name: schema[index].name, type: schema[index].type) }
        reserved = false   // the next call reserves the next batch's room
        return table
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
