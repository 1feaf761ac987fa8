import Parquet

/// `metrics.parquet`: the one place the store calls the Parquet writer and reader.
enum MetricsFile {
    /// The column that names the run on every row, first in every metrics file.
    static let runIDColumn = "run_id"
    /// The footer key-value pair that names the run.
    static let runIDKey = "specimen.run_id"

    /// The file's bytes for `table` (which starts with `run_id`), with `specimen.run_id` in
    /// the key-value metadata.
    static func encode(_ table: Table, runID: RunID) throws -> [UInt8] {
        var options = ParquetWriter.Options()
        options.keyValueMetadata = [(key: runIDKey, value: runID.rawValue)]
        do {
            return try ParquetWriter.encode(table, options: options)
        } catch {
            throw SpecimenError(.metrics, "cannot encode the metrics of run \(runID)", underlying: error)
        }
    }

    /// Reads a sealed run's metrics from `storage`, checking that they belong to `runID`.
    static func read(_ path: String, runID: RunID, storage: any StorageBackend = LocalStorage.shared) throws -> Table {
        let table: Table
        do {
            let reader = try ParquetReader(input: storage.openInput(path))
            table = try reader.read()
        } catch {
            throw SpecimenError(.damaged, "\(path) cannot be read as Parquet", path: path,
                                recovery: "Run `specimen verify` on the specimen to see whether the file changed since the run was sealed",
                                underlying: error)
        }
        guard let first = table.columns.first, first.name == runIDColumn, first.type == .string else {
            throw SpecimenError(.damaged, "\(path) does not start with a run_id string column, so it is not a Specimen metrics file", path: path)
        }
        if table.rowCount > 0, !first.isNull(0), first[0] != .string(runID.rawValue) {
            throw SpecimenError(.damaged, "\(path) holds the metrics of run \(first[0]), not of \(runID)", path: path)
        }
        return table
    }

    /// A constant string column of `rows` copies of `text`, built without per-row work.
    static func constantColumn(_ name: String, _ text: String, rows: Int) -> Column {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * rows)
        var offsets: [Int] = [0]
        offsets.reserveCapacity(rows + 1)
        for _ in 0 ..< rows {
            bytes.append(contentsOf: utf8)
            offsets.append(bytes.count)
        }
        return (try? Column(name: name, type: .string, values: .bytes(ByteArrays(offsets: offsets, bytes: bytes))))
            ?? Column(name: name, strings: Array(repeating: text, count: rows))
    }

    /// `table` with a `run_id` column first.
    static func withRunID(_ table: Table, _ runID: RunID) -> Table {
        var result = Table(rowCount: table.rowCount)
        try? result.append(constantColumn(runIDColumn, runID.rawValue, rows: table.rowCount))
        for column in table.columns where column.name != "run_id" { try? result.append(column) }
        return result
    }
}
