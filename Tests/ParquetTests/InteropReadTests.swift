import Foundation
import InteropSupport
import Parquet
import Testing

/// Files written by the real Python writers (pyarrow, pandas, polars, DuckDB, fastparquet) read
/// back by `ParquetReader` equal, type for type and value for value, to what pyarrow reads from
/// them. `Tests/InteropScripts/parquet_fixtures.py` writes the files and the expected tables; its
/// docstring says how (pyarrow's reading cast to the types the Parquet schema declares, since
/// pyarrow restores a few Arrow-only types from its ARROW:schema metadata that our reader, like
/// any other Parquet reader, cannot see).
///
/// These tests fail, never skip, when Python or a library is missing.
@Suite("Parquet interop: reading what the Python libraries wrote")
struct InteropReadTests {
    /// Every fixture `parquet_fixtures.py` writes, in its order (a test checks the two agree).
    static let fixtureNames = [
        "pyarrow_default", "pyarrow_zstd", "pyarrow_gzip", "pyarrow_uncompressed",
        "pyarrow_page_v2", "pyarrow_page_v2_zstd", "pyarrow_no_dictionary", "pyarrow_format_1_0",
        "pyarrow_int96", "pyarrow_required", "pyarrow_row_groups", "pyarrow_dictionary_fallback",
        "pyarrow_empty", "pyarrow_all_null",
        "pandas_named_index", "pandas_default_index", "fastparquet_default",
        "polars_default", "duckdb_default", "duckdb_v2",
    ]

    /// Generated on first use; a static `let` is initialised once even when tests run in parallel.
    static let fixtures = Result.capturing { try FixtureFiles(script: "parquet_fixtures.py") }

    @Test("the fixture script writes exactly the fixtures listed here")
    func manifestMatches() throws {
        let fixtures = try Self.fixtures.get()
        #expect(fixtures.names == Self.fixtureNames)
    }

    @Test("reads the fixture as pyarrow does", arguments: fixtureNames)
    func readsFixture(_ name: String) throws {
        let fixtures = try Self.fixtures.get()
        let expected = try fixtures.expected(name)
        let path = fixtures.path(name)
        let reader: ParquetReader
        do {
            reader = try ParquetReader(path: path)
        } catch {
            Issue.record("\(fixtures.summary(name))\nParquetReader(path:) threw: \(error)")
            return
        }
        #expect(reader.rowCount == expected.rowCount, "\(name): rowCount")
        let table: Table
        do {
            table = try reader.read()
        } catch {
            // Say which columns fail and whether the others read right.
            var lines = ["\(fixtures.summary(name))", "ParquetReader.read() threw: \(error)", "column by column:"]
            for column in expected.columns {
                do {
                    let single = try reader.read(columns: [column.name])
                    var subset = expected
                    subset.columns = [column]
                    let differences = Self.differences(expected: subset, table: single, path: path)
                    lines.append("  \(column.name) (\(column.type)): " + (differences.isEmpty ? "reads right" : differences.joined(separator: "; ")))
                } catch {
                    lines.append("  \(column.name) (\(column.type)): throws: \(error)")
                }
            }
            Issue.record("\(lines.joined(separator: "\n"))")
            return
        }
        let differences = Self.differences(expected: expected, table: table, path: path)
        #expect(differences.isEmpty, "\(fixtures.summary(name))\n\(differences.joined(separator: "\n"))")
    }

    @Test("a projection reads the named columns, in the order asked for",
          arguments: ["pyarrow_default", "pandas_named_index", "polars_default", "duckdb_v2"])
    func readsProjection(_ name: String) throws {
        let fixtures = try Self.fixtures.get()
        let expected = try fixtures.expected(name)
        let wanted = [expected.columns.last!.name, expected.columns[expected.columns.count / 2].name, expected.columns.first!.name]
        let table = try ParquetReader(path: fixtures.path(name)).read(columns: wanted)
        var subset = expected
        subset.columns = wanted.map { column in expected.columns.first { $0.name == column }! }
        let differences = Self.differences(expected: subset, table: table, path: fixtures.path(name))
        #expect(differences.isEmpty, "\(fixtures.summary(name)) columns \(wanted)\n\(differences.joined(separator: "\n"))")
    }

    /// The differences between the expected canonical table and `table`. When a digest differs,
    /// pyarrow is asked again for the values of that file so the message shows the rows.
    static func differences(expected: CanonicalTable, table: Table, path: String) -> [String] {
        let actual = CanonicalTable(table, digest: expected.hasDigests)
        var differences = CanonicalTable.differences(expected: expected, actual: actual)
        if !differences.isEmpty && expected.hasDigests {
            do {
                let names = CanonicalTable.differingColumns(expected: expected, actual: actual)
                    .filter { name in actual.columns.contains { $0.name == name } }
                let detailed = try ParquetDump.run([path], libraries: [.pyarrow], digestAbove: nil, asStored: true, columns: names)
                if let values = try detailed[path]?.tables[.pyarrow]?.get() {
                    differences += ["values:"] + CanonicalTable.differences(expected: values, actual: CanonicalTable(table).selecting(names))
                }
            } catch {
                differences.append("(could not fetch the values to show the rows: \(error))")
            }
        }
        return differences
    }
}
