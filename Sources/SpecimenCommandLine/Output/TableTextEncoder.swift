import Parquet
import Specimens

/// Renders tables as the text `specimen export` writes, CSV or JSON lines, straight into bytes:
/// byte for byte what ``ExportCommand/csv(_:)`` and ``ExportCommand/jsonl(_:)`` give, without a
/// `String` or `Value` per cell for the common column types.
///
/// Each column is rendered on its own into one buffer (its cells back to back, with where each
/// ends), then the rows are assembled from the columns' cells. Integers, doubles, booleans,
/// timestamps and ASCII strings that need no quoting or escaping are written directly; any
/// other cell takes the `Value` path the in-memory export uses, so the text is the same.
///
/// ```swift
/// let encoder = TableTextEncoder(format: .csv, columns: stream.schema.names)
/// var bytes = encoder.header
/// bytes += encoder.encode(table)
/// ```
struct TableTextEncoder: Sendable {
    /// The output format: CSV (RFC 4180) or JSON lines.
    enum Format: Sendable { case csv, jsonl }

    /// The format written.
    let format: Format
    /// What comes before each column's cell: `,` (none for the first) in CSV, `{"name":` or
    /// `,"name":` in JSON lines.
    private let prefixes: [[UInt8]]

    /// An encoder for tables whose columns are `columns`, in order.
    init(format: Format, columns: [String]) {
        self.format = format
        prefixes = columns.enumerated().map { index, name in
            switch format {
            case .csv: return index == 0 ? [] : [UInt8(ascii: ",")]
            case .jsonl:
                var json = JSONText()
                json.beginObject()
                json.key(name)
                let key = Array(json.text.utf8.dropFirst())   // `"name":`
                return [UInt8(ascii: index == 0 ? "{" : ",")] + key
            }
        }
        header = format == .csv ? Array((columns.map { Value.string($0).csvField }.joined(separator: ",") + "\n").utf8) : []
    }

    /// The text before the first row: the CSV header line; nothing for JSON lines.
    let header: [UInt8]

    /// The rows of `table` (whose columns are the encoder's) as text.
    func encode(_ table: Table) -> [UInt8] {
        let rows = table.rowCount, columns = table.columns.count
        guard rows > 0, columns > 0 else { return [] }
        // Every column's cells into one buffer, column after column; `ends[c * rows + r]` is
        // where column c's cell of row r ends.
        var sink = ByteSink()
        sink.bytes.reserveCapacity(rows * columns * 12)
        var ends: [Int] = []
        ends.reserveCapacity(rows * columns)
        for column in table.columns { render(column, into: &sink, ends: &ends) }
        let flatPrefixes = prefixes.flatMap { $0 }
        var prefixEnds: [Int] = []
        for prefix in prefixes { prefixEnds.append((prefixEnds.last ?? 0) + prefix.count) }
        let lineEnd = format == .jsonl ? 2 : 1
        let total = sink.bytes.count + rows * (flatPrefixes.count + lineEnd)
        let jsonl = format == .jsonl
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            var position = 0
            sink.bytes.withUnsafeBufferPointer { cells in
                ends.withUnsafeBufferPointer { ends in
                    flatPrefixes.withUnsafeBufferPointer { prefixBytes in
                        let target = out.baseAddress!
                        /// Copies `count` bytes; short cells byte by byte (a call to memmove
                        /// per cell costs more than the copy).
                        func put(_ source: UnsafePointer<UInt8>, _ count: Int) {
                            if count <= 32 {
                                for offset in 0 ..< count { target[position + offset] = source[offset] }
                            } else {
                                (target + position).initialize(from: source, count: count)
                            }
                            position += count
                        }
                        let cellBase = cells.baseAddress ?? UnsafePointer(target)
                        let prefixBase = prefixBytes.baseAddress ?? UnsafePointer(target)
                        for row in 0 ..< rows {
                            var prefixStart = 0
                            for column in 0 ..< columns {
                                put(prefixBase + prefixStart, prefixEnds[column] - prefixStart)
                                prefixStart = prefixEnds[column]
                                let slot = column * rows + row
                                let start = slot == 0 ? 0 : ends[slot - 1]
                                put(cellBase + start, ends[slot] - start)
                            }
                            if jsonl {
                                target[position] = UInt8(ascii: "}")
                                position += 1
                            }
                            target[position] = UInt8(ascii: "\n")
                            position += 1
                        }
                    }
                }
            }
            initialized = position
        }
    }

    /// Appends one column's cells to `sink` and where each ends to `ends`.
    private func render(_ column: Column, into sink: inout ByteSink, ends: inout [Int]) {
        let validity = column.validity
        let null: [UInt8] = format == .csv ? [] : Array("null".utf8)
        func each(_ body: (Int, inout ByteSink) -> Void) {
            for row in 0 ..< column.count {
                if let validity, !validity.isValid(row) {
                    sink.bytes.append(contentsOf: null)
                } else {
                    body(row, &sink)
                }
                ends.append(sink.bytes.count)
            }
        }
        switch (column.type, column.values) {
        case (.int64, .int64(let values)):
            each { row, sink in sink.appendDecimal(values[row]) }
        case (.double, .double(let values)):
            each { row, sink in
                if values[row].isFinite { values[row].write(to: &sink) } else { fallback(column, row, &sink) }
            }
        case (.bool, .bool(let values)):
            each { row, sink in sink.bytes.append(contentsOf: values[row] ? Self.trueText : Self.falseText) }
        case (.timestamp(let unit, let utc), .int64(let values)):
            var dates = DateCache()
            let quote = format == .jsonl
            each { row, sink in
                if quote { sink.bytes.append(UInt8(ascii: "\"")) }
                sink.appendTimestamp(values[row], unit: unit, utc: utc, dates: &dates)
                if quote { sink.bytes.append(UInt8(ascii: "\"")) }
            }
        case (.string, .bytes(let values)):
            let csv = format == .csv
            values.bytes.withUnsafeBufferPointer { buffer in
                each { row, sink in
                    let text = UnsafeBufferPointer(rebasing: buffer[values.offsets[row] ..< values.offsets[row + 1]])
                    if Self.isPlain(text, csv: csv) {
                        if !csv { sink.bytes.append(UInt8(ascii: "\"")) }
                        sink.bytes.append(contentsOf: text)
                        if !csv { sink.bytes.append(UInt8(ascii: "\"")) }
                    } else {
                        fallback(column, row, &sink)
                    }
                }
            }
        default:
            each { row, sink in fallback(column, row, &sink) }
        }
    }

    /// The cell as the in-memory export writes it, through `Value`.
    private func fallback(_ column: Column, _ row: Int, _ sink: inout ByteSink) {
        switch format {
        case .csv: sink.bytes.append(contentsOf: column[row].csvField.utf8)
        case .jsonl:
            var json = JSONText()
            column[row].append(to: &json)
            sink.bytes.append(contentsOf: json.bytes)
        }
    }

    /// Whether a string's bytes are written as they are: ASCII, and in CSV without a comma,
    /// quote or line break and not starting or ending with a space; in JSON without a quote,
    /// backslash or control character.
    private static func isPlain(_ text: UnsafeBufferPointer<UInt8>, csv: Bool) -> Bool {
        if csv, let first = text.first, let last = text.last, first == 0x20 || last == 0x20 { return false }
        for byte in text {
            if byte >= 0x80 || byte == UInt8(ascii: "\"") { return false }
            if csv {
                if byte == UInt8(ascii: ",") || byte == 10 || byte == 13 { return false }
            } else if byte < 0x20 || byte == UInt8(ascii: "\\") {
                return false
            }
        }
        return true
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)
}

/// The date part of the last timestamp written, reused while the day stays the same.
private struct DateCache {
    var days: Int64 = .min
    var text: [UInt8] = []
}

/// Bytes that numbers are written into without a `String` each: Swift's own shortest
/// round-trip text of a double (what `description` gives) arrives through `_writeASCII`.
private struct ByteSink: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    /// Appends `value` in decimal, as `String(value)` writes it.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, width: 1)
    }

    /// Appends `value` in decimal with at least `width` digits (zero-padded).
    mutating func appendDigits(_ value: UInt64, width: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            while count < width {
                buffer[23 - count] = UInt8(ascii: "0")
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends what `CivilTime.iso8601(value, unit:utc:)` gives: `2024-12-20T10:11:12.5Z`.
    mutating func appendTimestamp(_ value: Int64, unit: TimeUnit, utc: Bool, dates: inout DateCache) {
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            seconds -= 1
            fraction += perSecond
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        if days != dates.days {
            dates.days = days
            dates.text = Array(CivilTime.date(days).utf8)
        }
        bytes.append(contentsOf: dates.text)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(UInt64(secondOfDay / 3600), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay / 60 % 60), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay % 60), width: 2)
        if fraction != 0 {
            var digits = unit == .milliseconds ? 3 : unit == .microseconds ? 6 : 9
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            appendDigits(UInt64(fraction), width: digits)
        }
        if utc { bytes.append(UInt8(ascii: "Z")) }
    }
}
