import Dispatch
import Parquet

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
        var order: [String] = []
        var types: [String: ColumnType] = [:]
        var typedByNullsOnly: Set<String> = []
        for part in parts {
            for column in part.table.columns {
                if let known = types[column.name] {
                    if column.isAllNull { continue }   // holds no value that could clash
                    if typedByNullsOnly.remove(column.name) != nil {
                        types[column.name] = column.type
                        continue
                    }
                    guard let common = ColumnType.common(known, column.type) else {
                        throw SpecimenError(.typeMismatch, "column '\(column.name)' is \(known) in one run and \(column.type) in run \(part.id)",
                                            recovery: "Read those runs one by one with readMetrics(run:)")
                    }
                    types[column.name] = common
                } else {
                    types[column.name] = column.type
                    order.append(column.name)
                    if column.isAllNull { typedByNullsOnly.insert(column.name) }
                }
            }
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        let names = order, columnTypes = types
        let columns = ResultSlots<Column>(count: order.count + 1)
        DispatchQueue.concurrentPerform(iterations: names.count + 1) { index in
            if index == 0 {
                columns.set(0, runIDColumn(parts.map { ($0.id, $0.table.rowCount) }, total: total))
                return
            }
            let name = names[index - 1]
            var builder = ColumnBuilder(name: name, type: columnTypes[name]!, capacity: total)
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

    /// The stacked `run_id` column: each run's ID repeated over its rows.
    static func runIDColumn(_ parts: [(id: RunID, rows: Int)], total: Int) -> Column {
        let byteCount = parts.reduce(0) { $0 + $1.rows * $1.id.rawValue.utf8.count }
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            if let base = buffer.baseAddress { RunGatherer.adviseHugePages(base, byteCount: byteCount) }
            var offset = 0
            for part in parts {
                let utf8 = Array(part.id.rawValue.utf8)
                let rows = part.rows
                guard rows > 0, !utf8.isEmpty else { continue }
                // Copy the ID once, then double the filled span until the run's rows are covered.
                let start = offset
                let size = rows * utf8.count
                utf8.withUnsafeBufferPointer { id in
                    UnsafeMutableRawPointer(buffer.baseAddress! + start).copyMemory(from: id.baseAddress!, byteCount: id.count)
                }
                var filled = utf8.count
                while filled < size {
                    let chunk = Swift.min(filled, size - filled)
                    UnsafeMutableRawPointer(buffer.baseAddress! + start + filled).copyMemory(from: buffer.baseAddress! + start, byteCount: chunk)
                    filled += chunk
                }
                offset += size
            }
            initialized = offset
        }
        let offsets = [Int](unsafeUninitializedCapacity: total + 1) { buffer, initialized in
            if let base = buffer.baseAddress { RunGatherer.adviseHugePages(UnsafeMutableRawPointer(base), byteCount: (total + 1) * 8) }
            var index = 0
            var position = 0
            buffer[0] = 0
            for part in parts {
                let length = part.id.rawValue.utf8.count
                for _ in 0 ..< part.rows {
                    position += length
                    index += 1
                    buffer[index] = position
                }
            }
            initialized = index + 1
        }
        return (try? Column(name: "run_id", type: .string, values: .bytes(ByteArrays(offsets: offsets, bytes: bytes))))
            ?? Column(name: "run_id", strings: [])
    }
}
