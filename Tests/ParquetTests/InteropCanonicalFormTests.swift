import Foundation
import Parquet
import Testing

/// The test support behind the interop suites: the exact JSON parser and the canonical table
/// comparison. No Python here; a comparison that let differences through would make every
/// interop test pass vacuously, so its strictness is tested on its own.
@Suite("Parquet interop support: canonical tables")
struct InteropCanonicalFormTests {
    @Test func jsonKeepsNumbersExactAndKeysInOrder() throws {
        let json = try InteropJSON.parse(#" {"b": [18446744073709551615, -9223372036854775808, 1e-05, null, true], "a": "\u00e9\ud83e\udd80\n\"x\"", "c": {}} "#)
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(json["b"] == .array([.number("18446744073709551615"), .number("-9223372036854775808"), .number("1e-05"), .null, .bool(true)]))
        #expect(json["a"]?.stringValue == "é🦀\n\"x\"")
        #expect(throws: InteropJSON.ParseError.self) { try InteropJSON.parse("[1, 2") }
        #expect(throws: InteropJSON.ParseError.self) { try InteropJSON.parse(#"{"a": 1} x"#) }
        #expect(throws: InteropJSON.ParseError.self) { try InteropJSON.parse(#""\ud83e""#) }
    }

    static let table: Table = {
        var uint64 = ColumnBuilder(name: "u", type: .uint64)
        uint64.append(Int64(bitPattern: UInt64.max))
        uint64.appendNull()
        uint64.append(Int64(0))
        return try! Table(columns: [
            Column(name: "f", floats: [0.1, .nan, -0.0]),
            Column(name: "d", doubles: [.infinity, nil, 5e-324]),
            Column(name: "s", strings: ["", "日本", nil]),
            Column(name: "b", binaries: [[0, 255], nil, []]),
            Column(name: "t", timestamps: [-1, 0, nil], unit: .nanoseconds, isAdjustedToUTC: true),
            uint64.finish(),
        ])
    }()

    /// The JSON parquet_dump.py prints for `table` (float 0.1 as its exact double value).
    static let json = #"""
    {"num_rows": 3, "columns": [
     {"name": "f", "type": "float", "values": ["0.10000000149011612", "NaN", "-0.0"]},
     {"name": "d", "type": "double", "values": ["Infinity", null, "5e-324"]},
     {"name": "s", "type": "string", "values": ["", "日本", null]},
     {"name": "b", "type": "binary", "values": ["00ff", null, ""]},
     {"name": "t", "type": "timestamp[ns, UTC]", "values": [-1, 0, null]},
     {"name": "u", "type": "uint64", "values": [18446744073709551615, null, 0]}]}
    """#

    @Test func tableAndPythonJSONAgree() throws {
        let expected = try CanonicalTable(json: InteropJSON.parse(Self.json))
        let differences = CanonicalTable.differences(expected: expected, actual: CanonicalTable(Self.table))
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test func everyKindOfDifferenceIsReported() throws {
        var json = Self.json
        json = json.replacingOccurrences(of: #""-0.0"]"#, with: #""0.0"]"#)  // sign of zero
        json = json.replacingOccurrences(of: #""0.10000000149011612""#, with: #""0.1""#)  // float not widened exactly
        json = json.replacingOccurrences(of: #""timestamp[ns, UTC]""#, with: #""timestamp[ns]""#)
        json = json.replacingOccurrences(of: "18446744073709551615", with: "18446744073709551614")
        json = json.replacingOccurrences(of: #"[-1, 0, null]"#, with: #"[-1, null, null]"#)
        let expected = try CanonicalTable(json: InteropJSON.parse(json))
        let differences = CanonicalTable.differences(expected: expected, actual: CanonicalTable(Self.table))
        #expect(differences.contains("column 'f' row 2: expected 0.0, actual -0.0"))
        #expect(differences.contains("column 'f' row 0: expected 0.1, actual 0.10000000149011612"))
        #expect(differences.contains("column 't': type expected timestamp[ns], actual timestamp[ns, UTC]"))
        #expect(differences.contains("column 'u' row 0: expected 18446744073709551614, actual 18446744073709551615"))
        #expect(differences.contains("column 't' row 1: expected null, actual 0"))
        #expect(differences.count == 5, "\(differences)")
    }

    @Test func digestsSeeNullsValuesAndNaNPayloads() throws {
        let base = CanonicalTable(Self.table, digest: true)
        #expect(CanonicalTable.differences(expected: base, actual: CanonicalTable(Self.table, digest: true)).isEmpty)
        // Another NaN payload digests alike; a null where a value was, or a changed value, does not.
        let otherNaN = try Table(columns: [Column(name: "f", floats: [0.1, Float(nan: 7, signaling: false), -0.0])])
        #expect(CanonicalColumn.digest(of: otherNaN.columns[0]) == CanonicalColumn.digest(of: Self.table.columns[0]))
        let nulled = try Table(columns: [Column(name: "s", strings: ["", nil, nil])])
        #expect(CanonicalColumn.digest(of: nulled.columns[0]) != CanonicalColumn.digest(of: Self.table.columns[2]))
        let changed = try Table(columns: [Column(name: "b", binaries: [[0, 254], nil, []])])
        #expect(CanonicalColumn.digest(of: changed.columns[0]) != CanonicalColumn.digest(of: Self.table.columns[3]))
        // Moving a byte from one value to the next keeps the data but not the lengths.
        let shifted = try Table(columns: [Column(name: "b", binaries: [[0], nil, [255]])])
        #expect(CanonicalColumn.digest(of: shifted.columns[0]) != CanonicalColumn.digest(of: Self.table.columns[3]))
    }

    @Test func libraryErrorsBecomeFailures() throws {
        #expect(throws: CanonicalTableError.self) { try CanonicalTable(json: InteropJSON.parse(#"{"error": "OSError: boom"}"#)) }
    }
}
