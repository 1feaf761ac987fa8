import CZlib
import Parquet

/// A table in the canonical form the interop scripts print (`Tests/InteropScripts/parquet_dump.py`
/// documents it), so that a `Table` and what a Python library read can be compared exactly and
/// their differences shown as column, row, expected, actual.
///
/// ```
/// {"num_rows": N, "columns": [{"name": "...", "type": "timestamp[us, UTC]", "values": [...]}]}
/// ```
///
/// `type` is `ColumnType.description`, or `null` (no type information) or `unsupported:…`.
/// Values: null; bools; integers, timestamps (counts of the unit) and dates (days) as exact
/// JSON integers; strings; binary as lowercase hex; doubles and floats as text — "NaN",
/// "Infinity", "-Infinity", or a decimal that parses to the exact value (a float is written as
/// its exact value widened to a double). Reals are compared by parsing the text with
/// `Double(_:)` and comparing bit patterns (every NaN equals every NaN; -0.0 differs from 0.0),
/// so Python's `repr` and Swift's `description` never have to agree on formatting.
///
/// Large tables carry a digest per column instead of values (`CanonicalDigest`).
struct CanonicalTable: CustomStringConvertible {
    var rowCount: Int
    var columns: [CanonicalColumn]

    var description: String {
        "\(rowCount) rows: " + columns.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
    }
}

/// One column of a `CanonicalTable`.
struct CanonicalColumn {
    var name: String
    var type: String
    var content: Content

    enum Content {
        case values([CanonicalValue])
        case digest(CanonicalDigest)
    }
}

/// A summary of a large column: its null count and a crc32 over its values, computed the same
/// way as `parquet_dump.py`'s `digest`: one validity byte per row (1 value, 0 null); then per
/// row 1 byte for bools, 8 bytes little-endian for integers/dates/timestamps (two's complement;
/// uint64 by bit pattern), 8 bytes of the IEEE double for reals (floats widened; every NaN as
/// 0x7ff8000000000000), or an 8-byte length for strings/binary (nulls: zeros); then, for
/// strings and binary, the bytes of the non-null values back to back.
struct CanonicalDigest: Equatable, CustomStringConvertible {
    var nulls: Int
    /// nil for a column the digest does not cover (type `null` or `unsupported:…`).
    var crc32: UInt32?

    var description: String {
        "\(nulls) nulls, crc32 " + (crc32.map { "0x" + String($0, radix: 16) } ?? "none")
    }
}

/// One cell in canonical form.
enum CanonicalValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// An exact integer, as decimal text.
    case integer(String)
    /// A double (or a float widened exactly); compared bit for bit, all NaNs equal.
    case real(Double)
    /// A string, or binary as lowercase hex.
    case text(String)

    static func == (lhs: CanonicalValue, rhs: CanonicalValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.real(let a), .real(let b)): a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case (.text(let a), .text(let b)): a == b
        default: false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let v): v ? "true" : "false"
        case .integer(let v): v
        case .real(let v): CanonicalValue.text(of: v)
        case .text(let v): InteropJSON.quoted(v.count > 80 ? String(v.prefix(77)) + "..." : v)
        }
    }

    /// "NaN", "Infinity", "-Infinity" or Swift's shortest round-trip text.
    static func text(of real: Double) -> String {
        if real.isNaN { return "NaN" }
        if real.isInfinite { return real < 0 ? "-Infinity" : "Infinity" }
        return real.description
    }
}

/// Why a canonical table could not be built from JSON.
struct CanonicalTableError: Error, CustomStringConvertible {
    var description: String
}

// MARK: - From JSON

extension CanonicalTable {
    /// Parses the canonical JSON of one table. A `{"error": "..."}` object (a library failed to
    /// read the file) throws with that message.
    init(json: InteropJSON) throws {
        if let error = json["error"]?.stringValue { throw CanonicalTableError(description: error) }
        guard let rows = json["num_rows"]?.intValue, let columns = json["columns"]?.arrayValue else {
            throw CanonicalTableError(description: "not a canonical table: \(String(json.description.prefix(200)))")
        }
        rowCount = rows
        self.columns = try columns.map { try CanonicalColumn(json: $0) }
    }
}

extension CanonicalColumn {
    init(json: InteropJSON) throws {
        guard let name = json["name"]?.stringValue, let type = json["type"]?.stringValue else {
            throw CanonicalTableError(description: "a column without name or type: \(String(json.description.prefix(200)))")
        }
        self.name = name
        self.type = type
        if let values = json["values"]?.arrayValue {
            let isReal = type == "float" || type == "double" || type == "float16"
            content = .values(try values.map { try CanonicalValue(json: $0, real: isReal, column: name) })
        } else if let digest = json["digest"], let nulls = digest["nulls"]?.intValue {
            let crc: UInt32?
            if case .number(let text)? = digest["crc32"] {
                guard let value = UInt32(text) else { throw CanonicalTableError(description: "column '\(name)': bad crc32 \(text)") }
                crc = value
            } else {
                crc = nil
            }
            content = .digest(CanonicalDigest(nulls: nulls, crc32: crc))
        } else {
            throw CanonicalTableError(description: "column '\(name)' has neither values nor a digest")
        }
    }
}

extension CanonicalValue {
    init(json: InteropJSON, real: Bool, column: String) throws {
        switch json {
        case .null: self = .null
        case .bool(let v): self = .bool(v)
        case .number(let text):
            if real || text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                guard let value = Double(text) else { throw CanonicalTableError(description: "column '\(column)': bad number \(text)") }
                self = .real(value)
            } else {
                self = .integer(text)
            }
        case .string(let text):
            guard real else { self = .text(text); return }
            switch text {
            case "NaN": self = .real(.nan)
            case "Infinity": self = .real(.infinity)
            case "-Infinity": self = .real(-.infinity)
            default:
                guard let value = Double(text) else { throw CanonicalTableError(description: "column '\(column)': bad real \(text)") }
                self = .real(value)
            }
        case .array, .object:
            throw CanonicalTableError(description: "column '\(column)': unexpected value \(String(json.description.prefix(100)))")
        }
    }
}

// MARK: - From a Table

extension CanonicalTable {
    /// The canonical form of `table`; with `digest`, every column is summarised by its digest.
    init(_ table: Table, digest: Bool = false) {
        rowCount = table.rowCount
        columns = table.columns.map { CanonicalColumn($0, digest: digest) }
    }

    /// Whether tables of `rowCount` rows are digested when the scripts use `--digest-above limit`.
    static func digests(rowCount: Int, above limit: Int?) -> Bool {
        guard let limit else { return false }
        return rowCount > limit
    }
}

extension CanonicalColumn {
    /// The canonical form of `column` (values, or with `digest` its digest).
    init(_ column: Column, digest: Bool = false) {
        name = column.name
        // Arrow's times have no time zone: a time's canonical type names its unit only.
        if case .time(let unit, _) = column.type { type = "time[\(unit.abbreviation)]" } else { type = column.type.description }
        content = digest ? .digest(CanonicalColumn.digest(of: column)) : .values(CanonicalColumn.values(of: column))
    }

    /// A column that carries no type information: `count` nulls of type `null`.
    static func untyped(name: String, count: Int, digest: Bool) -> CanonicalColumn {
        CanonicalColumn(name: name, type: "null",
                        content: digest ? .digest(CanonicalDigest(nulls: count, crc32: nil)) : .values(Array(repeating: .null, count: count)))
    }

    static func values(of column: Column) -> [CanonicalValue] {
        var result: [CanonicalValue] = []
        result.reserveCapacity(column.count)
        for row in 0 ..< column.count {
            if column.isNull(row) { result.append(.null); continue }
            switch column.type {
            case .decimal, .uuid:
                // Exact text: decimals in fixed point with `scale` digits, UUIDs as 8-4-4-4-12 hex.
                result.append(.text(column[row].description))
                continue
            default: break
            }
            switch column.values {
            case .bool(let v): result.append(.bool(v[row]))
            case .int32(let v):
                switch column.type {
                case .uint8, .uint16, .uint32: result.append(.integer(String(UInt32(bitPattern: v[row]))))
                default: result.append(.integer(String(v[row])))
                }
            case .int64(let v):
                result.append(.integer(column.type == .uint64 ? String(UInt64(bitPattern: v[row])) : String(v[row])))
            case .float(let v): result.append(.real(Double(v[row])))
            case .double(let v): result.append(.real(v[row]))
            case .bytes(let v):
                if column.type == .string {
                    result.append(.text(v.string(at: row)))
                } else {
                    result.append(.text(hex(v[row])))
                }
            }
        }
        return result
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digest of `column` (see `CanonicalDigest`).
    static func digest(of column: Column) -> CanonicalDigest {
        let count = column.count
        var validity = [UInt8](repeating: 1, count: count)
        if column.validity != nil {
            for row in 0 ..< count where column.isNull(row) { validity[row] = 0 }
        }
        var crc = crc32(0, nil, 0)
        crc = update(crc, validity)
        switch column.values {
        case .bool(let v):
            var payload = [UInt8](repeating: 0, count: count)
            for row in 0 ..< count where validity[row] == 1 && v[row] { payload[row] = 1 }
            crc = update(crc, payload)
        case .int32(let v):
            let unsigned = column.type == .uint8 || column.type == .uint16 || column.type == .uint32
            var payload = [Int64](repeating: 0, count: count)
            for row in 0 ..< count where validity[row] == 1 {
                payload[row] = (unsigned ? Int64(UInt32(bitPattern: v[row])) : Int64(v[row])).littleEndian
            }
            crc = update(crc, payload)
        case .int64(let v):
            var payload = v
            for row in 0 ..< count where validity[row] == 0 { payload[row] = 0 }
            if 1.littleEndian != 1 { payload = payload.map(\.littleEndian) }
            crc = update(crc, payload)
        case .float(let v):
            crc = update(crc, realBits(count: count, validity: validity) { Double(v[$0]) })
        case .double(let v):
            crc = update(crc, realBits(count: count, validity: validity) { v[$0] })
        case .bytes(let v):
            var lengths = [Int64](repeating: 0, count: count)
            var data: [UInt8] = []
            if column.validity == nil {
                for row in 0 ..< count { lengths[row] = Int64(v.length(at: row)).littleEndian }
                data = Array(v.bytes[v.offsets[0] ..< v.offsets[count]])
            } else {
                data.reserveCapacity(v.bytes.count)
                for row in 0 ..< count where validity[row] == 1 {
                    lengths[row] = Int64(v.length(at: row)).littleEndian
                    data.append(contentsOf: v[row])
                }
            }
            crc = update(crc, lengths)
            crc = update(crc, data)
        }
        return CanonicalDigest(nulls: column.nullCount, crc32: UInt32(truncatingIfNeeded: crc))
    }

    private static func realBits(count: Int, validity: [UInt8], _ value: (Int) -> Double) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: count)
        for row in 0 ..< count where validity[row] == 1 {
            let x = value(row)
            bits[row] = (x.isNaN ? 0x7FF8_0000_0000_0000 : x.bitPattern).littleEndian
        }
        return bits
    }

    private static func update<T>(_ crc: UInt, _ array: [T]) -> UInt {
        array.withUnsafeBytes { raw in
            var crc = crc
            var offset = 0
            // zlib's length is 32-bit: feed at most 1 GiB at a time.
            while offset < raw.count {
                let length = min(raw.count - offset, 1 << 30)
                crc = crc32(crc, raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(length))
                offset += length
            }
            return crc
        }
    }
}

// MARK: - Comparing

extension CanonicalTable {
    /// Human-readable differences between `expected` and `actual`, empty when they are equal:
    /// row count, column names and order, types, then per column the first `limit` rows that
    /// differ (`column 'x' row 5: expected 1.5, actual 2.5`) and how many more.
    static func differences(expected: CanonicalTable, actual: CanonicalTable, limit: Int = 8) -> [String] {
        var lines: [String] = []
        if expected.rowCount != actual.rowCount {
            lines.append("row count: expected \(expected.rowCount), actual \(actual.rowCount)")
        }
        let expectedNames = expected.columns.map(\.name), actualNames = actual.columns.map(\.name)
        if expectedNames != actualNames {
            lines.append("columns: expected \(expectedNames), actual \(actualNames)")
        }
        for column in expected.columns {
            guard let other = actual.columns.first(where: { $0.name == column.name }) else { continue }
            if column.type != other.type {
                lines.append("column '\(column.name)': type expected \(column.type), actual \(other.type)")
            }
            switch (column.content, other.content) {
            case (.values(let a), .values(let b)):
                if a.count != b.count {
                    lines.append("column '\(column.name)': expected \(a.count) values, actual \(b.count)")
                }
                var shown = 0, more = 0
                for row in 0 ..< min(a.count, b.count) where a[row] != b[row] {
                    if shown < limit {
                        lines.append("column '\(column.name)' row \(row): expected \(a[row]), actual \(b[row])")
                        shown += 1
                    } else {
                        more += 1
                    }
                }
                if more > 0 { lines.append("column '\(column.name)': \(more) more rows differ") }
            case (.digest(let a), .digest(let b)):
                if a != b { lines.append("column '\(column.name)': digest expected \(a), actual \(b)") }
            default:
                lines.append("column '\(column.name)': one side has values, the other a digest")
            }
        }
        return lines
    }

    /// The names of `expected`'s columns that differ in `actual` (type or content) or are missing.
    static func differingColumns(expected: CanonicalTable, actual: CanonicalTable) -> [String] {
        expected.columns.compactMap { column in
            guard let other = actual.columns.first(where: { $0.name == column.name }) else { return column.name }
            var one = expected, two = actual
            one.columns = [column]
            two.columns = [other]
            two.rowCount = one.rowCount
            return differences(expected: one, actual: two).isEmpty ? nil : column.name
        }
    }

    /// This table with only the columns named `names` (in this table's order).
    func selecting(_ names: some Sequence<String>) -> CanonicalTable {
        let wanted = Set(names)
        return CanonicalTable(rowCount: rowCount, columns: columns.filter { wanted.contains($0.name) })
    }

    /// Whether any column is summarised by a digest (a mismatch is worth a rerun with values).
    var hasDigests: Bool {
        columns.contains { if case .digest = $0.content { true } else { false } }
    }
}
