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
        let options = writerOptions(runID: runID)
        do {
            return try ParquetWriter.encode(table, options: options)
        } catch {
            throw SpecimenError(.metrics, "cannot encode the metrics of run \(runID)", underlying: error)
        }
    }

    /// The writer's options for the metrics of `runID`: the defaults, with `specimen.run_id`
    /// in the key-value metadata.
    static func writerOptions(runID: RunID) -> ParquetWriter.Options {
        var options = ParquetWriter.Options()
        options.keyValueMetadata = [(key: runIDKey, value: runID.rawValue)]
        return options
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

    /// A constant string column of `rows` copies of `text`, built without per-row work: the
    /// bytes by doubling copies of the text, the offsets by arithmetic.
    static func constantColumn(_ name: String, _ text: String, rows: Int) -> Column {
        let utf8 = Array(text.utf8)
        let total = utf8.count * rows
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            guard total > 0, let base = buffer.baseAddress else { count = 0; return }
            utf8.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: utf8.count) }
            var filled = utf8.count
            while filled < total {
                let take = Swift.min(filled, total - filled)
                (base + filled).initialize(from: base, count: take)
                filled += take
            }
            count = total
        }
        let width = utf8.count
        let offsets = [Int](unsafeUninitializedCapacity: rows + 1) { buffer, count in
            for row in 0 ... rows { buffer[row] = row &* width }
            count = rows + 1
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
