import Parquet

/// Reads one sealed run's metrics for `readAllRuns`, checked to be the run's; the stacking
/// itself is Parquet's ``TableStacker``.
///
/// The `run_id` column is not decoded: each file's footer names its run in `specimen.run_id`,
/// checked against the folder (files without that key have their first `run_id` value checked
/// instead), and the stacked `run_id` column is built in bulk from the run IDs.
enum RunStacker {
    /// Reader options for reading many runs at once on every core: each file on one thread.
    static let serialRead: ReadOptions = {
        var options = ReadOptions()
        options.threads = 1
        return options
    }()

    /// Checks that an open metrics file is run `runID`'s: its first column is a `run_id`
    /// string column, and its footer's `specimen.run_id` (or, in files without that key, the
    /// first `run_id` value) names the run.
    static func check(_ reader: ParquetReader, path: String, runID: String) throws {
        guard let first = reader.schema.fields.first, first.name == MetricsFile.runIDColumn, first.type == .string else {
            throw SpecimenError(.damaged, "\(path) does not start with a run_id string column, so it is not a Specimen metrics file", path: path)
        }
        if let named = reader.keyValueMetadata.first(where: { $0.key == MetricsFile.runIDKey })?.value {
            guard named == runID else {
                throw SpecimenError(.damaged, "\(path) holds the metrics of run \(named), not of \(runID)", path: path)
            }
        } else if reader.rowCount > 0 {
            let head = try reader.read(columns: [MetricsFile.runIDColumn], limit: 1)
            if let value = head.columns.first?[0], value != .string(runID) {
                throw SpecimenError(.damaged, "\(path) holds the metrics of run \(value), not of \(runID)", path: path)
            }
        }
    }

    /// One run's metrics file, opened and checked to be the run's.
    static func open(_ path: String, runID: RunID) throws -> ParquetReader {
        do {
            let reader = try ParquetReader(path: path, options: serialRead)
            try check(reader, path: path, runID: runID.rawValue)
            return reader
        } catch let error as SpecimenError {
            throw error
        } catch {
            throw damaged(path, error)
        }
    }

    /// One run's metrics without the `run_id` column.
    static func read(_ path: String, runID: RunID) throws -> Table {
        let reader = try open(path, runID: runID)
        do {
            return try reader.read(columns: reader.schema.fields.dropFirst().map(\.name))
        } catch {
            throw damaged(path, error)
        }
    }

    /// One run's metrics without the `run_id` column, from the file's bytes (read whole from
    /// object storage), checked to be the run's.
    static func read(bytes: [UInt8], path: String, runID: RunID) throws -> Table {
        do {
            let reader = try ParquetReader(bytes: bytes, name: path, options: serialRead)
            try check(reader, path: path, runID: runID.rawValue)
            return try reader.read(columns: reader.schema.fields.dropFirst().map(\.name))
        } catch let error as SpecimenError {
            throw error
        } catch {
            throw damaged(path, error)
        }
    }

    /// Why a run's metrics file was skipped, in the words `readRunsTable()` reports.
    static func reason(_ error: any Error & Sendable, path: String) -> String {
        (error as? SpecimenError ?? damaged(path, error)).message
    }

    private static func damaged(_ path: String, _ error: any Error & Sendable) -> SpecimenError {
        SpecimenError(.damaged, "\(path) cannot be read as Parquet", path: path,
                      recovery: "Run `specimen verify` on the specimen to see whether the file changed since the run was sealed",
                      underlying: error)
    }

    /// `table` without its leading `run_id` column (for tables read whole, like a legacy run's).
    static func dropRunID(_ table: Table) throws -> Table {
        var result = Table(rowCount: table.rowCount)
        for column in table.columns where column.name != MetricsFile.runIDColumn { try result.append(column) }
        return result
    }

    /// Stacks runs' tables (read without their `run_id` column) under a bulk-built `run_id`
    /// column; a type clash names the run.
    static func stack(_ parts: [(id: RunID, table: Table)]) throws -> Table {
        do {
            return try TableStacker.stack(parts.map(\.table), constants: parts.map(\.id.rawValue),
                                          options: StackOptions(constantColumn: MetricsFile.runIDColumn))
        } catch let clash as StackClash {
            throw typeClash(clash.column, clash.known, clash.found, run: parts[clash.index].id)
        }
    }

    /// The error for a column whose type in run `run` clashes with its type in earlier runs.
    static func typeClash(_ name: String, _ known: ColumnType, _ type: ColumnType, run: RunID) -> SpecimenError {
        SpecimenError(.typeMismatch, "column '\(name)' is \(known) in one run and \(type) in run \(run)",
                      recovery: "Read those runs one by one with readMetrics(run:)")
    }
}
