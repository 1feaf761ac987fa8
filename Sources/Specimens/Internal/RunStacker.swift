import Parquet
import Parallel

/// Reads sealed runs' metrics for `readAllRuns` and stacks them into one table.
///
/// Faster than reading whole files and `Table.concatenate`: the `run_id` column is not decoded
/// (each file's footer names its run in `specimen.run_id`, checked against the folder; files
/// without that key have their first `run_id` value checked instead), and the stacked `run_id`
/// column is built in bulk from the run IDs. The other columns are appended as contiguous
/// ranges, one column per task, on every core.
enum RunStacker {
    /// Reader options for reading many runs at once on every core: each file on one thread.
    static let serialRead: ReadOptions = {
        var options = ReadOptions()
        options.threads = 1
        return options
    }()

    /// One run's metrics file, opened and checked to be the run's: its first column is a
    /// `run_id` string column, and its footer's `specimen.run_id` (or, in files without that
    /// key, the first `run_id` value) names the run.
    static func open(_ path: String, runID: RunID) throws -> ParquetReader {
        do {
            let reader = try ParquetReader(path: path, options: serialRead)
            guard let first = reader.schema.fields.first, first.name == "run_id", first.type == .string else {
                throw SpecimenError(.damaged, "\(path) does not start with a run_id string column, so it is not a Specimen metrics file", path: path)
            }
            if let named = reader.keyValueMetadata.first(where: { $0.key == "specimen.run_id" })?.value {
                guard named == runID.rawValue else {
                    throw SpecimenError(.damaged, "\(path) holds the metrics of run \(named), not of \(runID)", path: path)
                }
            } else if reader.rowCount > 0 {
                let head = try reader.read(columns: ["run_id"], limit: 1)
                if let value = head.columns.first?[0], value != .string(runID.rawValue) {
                    throw SpecimenError(.damaged, "\(path) holds the metrics of run \(value), not of \(runID)", path: path)
                }
            }
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

    private static func damaged(_ path: String, _ error: any Error) -> SpecimenError {
        SpecimenError(.damaged, "\(path) cannot be read as Parquet", path: path,
                      recovery: "Run `specimen verify` on the specimen to see whether the file changed since the run was sealed",
                      underlying: error)
    }

    /// `table` without its leading `run_id` column (for tables read whole, like a legacy run's).
    static func dropRunID(_ table: Table) throws -> Table {
        var result = Table(rowCount: table.rowCount)
        for column in table.columns where column.name != "run_id" { try result.append(column) }
        return result
    }

    /// Stacks the runs' tables under a bulk-built `run_id` column.
    static func stack(_ parts: [(id: RunID, table: Table)]) throws -> Table {
        var union = ColumnUnion()
        for part in parts {
            for column in part.table.columns {
                if let known = union.add(column.name, column.type, allNull: column.isAllNull) {
                    throw typeClash(column.name, known, column.type, run: part.id)
                }
            }
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        let names = union.names, columnTypes = union.types
        let columns = Slots<Column>(count: names.count + 1)
        Parallel.forEach(names.count + 1) { index in
            if index == 0 {
                columns.set(0, runIDColumn(parts.map { ($0.id, $0.table.rowCount) }, total: total))
                return
            }
            let name = names[index - 1]
            var builder = ColumnBuilder(name: name, type: columnTypes[index - 1], capacity: total)
            for part in parts {
                if let column = part.table[name], !column.isAllNull {
                    builder.appendUnchecked(column, rows: 0 ..< column.count)
                } else {
                    builder.appendNulls(part.table.rowCount)
                }
            }
            columns.set(index, builder.finish())
        }
        return try Table(columns: columns.values.compactMap { $0 })
    }

    /// The error for a column whose type in run `run` clashes with its type in earlier runs.
    static func typeClash(_ name: String, _ known: ColumnType, _ type: ColumnType, run: RunID) -> SpecimenError {
        SpecimenError(.typeMismatch, "column '\(name)' is \(known) in one run and \(type) in run \(run)",
                      recovery: "Read those runs one by one with readMetrics(run:)")
    }

    /// The stacked `run_id` column: each run's ID repeated over its rows.
    static func runIDColumn(_ parts: [(id: RunID, rows: Int)], total: Int) -> Column {
        var firstRow = 0, firstByte = 0
        var starts: [(row: Int, byte: Int)] = []
        for part in parts {
            starts.append((firstRow, firstByte))
            firstRow += part.rows
            firstByte += part.rows * part.id.rawValue.utf8.count
        }
        let byteCount = firstByte
        var bytes: [UInt8] = []
        let offsets = [Int](unsafeUninitializedCapacity: total + 1) { offsetBuffer, offsetsInitialized in
            bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { byteBuffer, bytesInitialized in
                HugePages.advise(UnsafeMutableRawPointer(offsetBuffer.baseAddress!), byteCount: (total + 1) * MemoryLayout<Int>.stride)
                if let base = byteBuffer.baseAddress { HugePages.advise(base, byteCount: byteCount) }
                offsetBuffer[0] = 0
                for (index, part) in parts.enumerated() {
                    writeRunID(part.id, rows: part.rows, firstRow: starts[index].row, firstByte: starts[index].byte,
                               offsets: offsetBuffer.baseAddress!, bytes: byteBuffer.baseAddress)
                }
                bytesInitialized = byteCount
            }
            offsetsInitialized = total + 1
        }
        return Column(unchecked: "run_id", type: .string, values: .bytes(ByteArrays(offsets: offsets, bytes: bytes)), validity: nil)
    }

    /// Writes one run's ID over its rows of a `run_id` column: the offsets after each of rows
    /// `firstRow...` (the column's leading 0 is the caller's) and the bytes from `firstByte`.
    static func writeRunID(_ id: RunID, rows: Int, firstRow: Int, firstByte: Int, offsets: UnsafeMutablePointer<Int>, bytes: UnsafeMutablePointer<UInt8>?) {
        let utf8 = Array(id.rawValue.utf8)
        for row in 0 ..< rows { (offsets + firstRow + row + 1).initialize(to: firstByte + (row + 1) * utf8.count) }
        guard let bytes, rows > 0, !utf8.isEmpty else { return }
        // Copy the ID once, then double the filled span until the run's rows are covered.
        let start = bytes + firstByte
        let size = rows * utf8.count
        utf8.withUnsafeBufferPointer { start.initialize(from: $0.baseAddress!, count: utf8.count) }
        var filled = utf8.count
        while filled < size {
            let chunk = Swift.min(filled, size - filled)
            (start + filled).initialize(from: start, count: chunk)
            filled += chunk
        }
    }
}
