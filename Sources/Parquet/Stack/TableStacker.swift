import Parallel

/// Stacks many Parquet files (or tables) of like columns into one table, optionally with a
/// constant string column that says which file each row came from.
///
/// ```swift
/// let files = runs.map { StackFile(path: $0.path + "/metrics.parquet", constant: $0.id) }
/// let result = try TableStacker.read(files, options: StackOptions(constantColumn: "run_id"))
/// print(result.table.rowCount, result.failures.count)
/// ```
///
/// Columns are unioned in first-seen order; a file without a column has nulls there; int64 and
/// double stack as double (``ColumnType/common(_:_:)``); a column whose every row is null takes
/// whatever type the other files give it. Any other clash throws ``StackClash``.
///
/// Reading is fast and lean: every footer is read first (row counts and types, in parallel),
/// which fixes where each file's rows go; then the fixed-width columns are allocated once and
/// each core decodes one file at a time straight into place, so no per-file table outlives its
/// copy. When a file fails after its footer was read (or holds values its statistics hid), the
/// files are read again one by one, which names the failing file.
public enum TableStacker {
    /// Reads and stacks `files`. Files that cannot be read (or fail ``StackOptions/check``)
    /// are left out and reported in ``StackResult/failures``; throws ``StackClash`` when two
    /// files' columns cannot be stacked.
    public static func read(_ files: [StackFile], options: StackOptions = StackOptions()) throws -> StackResult {
        FreedMemory.keep()   // each file's buffers serve the next
        var serial = options.readOptions
        serial.threads = 1
        let (parts, failures) = StackPlan.read(files, options: options, read: serial)
        if let layout = try? StackPlan.layout(parts), let table = StackGatherer.gather(parts, layout: layout, options: options, read: serial) {
            return StackResult(table: table, failures: failures)
        }
        return try readOneByOne(files, options: options, read: serial)
    }

    /// Stacks tables in memory, with the constant column `options.constantColumn` (when set)
    /// holding `constants[i]` on the rows of `tables[i]`. Throws ``StackClash``.
    public static func stack(_ tables: [Table], constants: [String] = [], options: StackOptions = StackOptions()) throws -> Table {
        let union = try StackPlan.layout(tables, constantColumn: options.constantColumn)
        let total = tables.reduce(0) { $0 + $1.rowCount }
        let names = union.names, columnTypes = union.types
        // Decimals of another scale or precision are rescaled to the stacked type first.
        let tables = try tables.map { table in
            guard table.columns.contains(where: { column in
                union.position(of: column.name).map { columnTypes[$0] != column.type && !column.isAllNull } ?? false
            }) else { return table }
            return try Table(columns: table.columns.map { column in
                guard let position = union.position(of: column.name), !column.isAllNull else { return column }
                return try column.stackable(as: columnTypes[position])
            })
        }
        let constant = options.constantColumn
        let columns = Slots<Column>(count: names.count + 1)
        Parallel.forEach(names.count + 1) { index in
            if index == 0 {
                if let constant {
                    let runs = tables.enumerated().map { (text: $0.offset < constants.count ? constants[$0.offset] : "", rows: $0.element.rowCount) }
                    columns.set(0, ConstantColumn.make(constant, runs: runs, total: total))
                }
                return
            }
            let name = names[index - 1]
            var builder = ColumnBuilder(name: name, type: columnTypes[index - 1], capacity: total)
            for table in tables {
                if let column = table[name], !column.isAllNull {
                    builder.appendUnchecked(column, rows: 0 ..< column.count)
                } else {
                    builder.appendNulls(table.rowCount)
                }
            }
            columns.set(index, builder.finish())
        }
        var table = Table(rowCount: total)
        for column in columns.values.compactMap({ $0 }) { try table.append(column) }
        return table
    }

    /// The slow path: every file read whole (in parallel), then stacked.
    private static func readOneByOne(_ files: [StackFile], options: StackOptions, read: ReadOptions) throws -> StackResult {
        let results = Slots<StackOutcome<Table>>(count: files.count)
        Parallel.forEach(files.count) { index in
            do {
                let reader = try ParquetReader(path: files[index].path, options: read)
                try options.check?(reader, files[index])
                results.set(index, .read(try reader.read(columns: reader.schema.fields.map(\.name).filter { $0 != options.constantColumn })))
            } catch {
                results.set(index, .failed(error))
            }
        }
        var tables: [Table] = [], constants: [String] = [], origins: [Int] = []
        var failures: [StackResult.Failure] = []
        for (index, outcome) in results.values.enumerated() {
            switch outcome {
            case .read(let table)?:
                tables.append(table)
                constants.append(files[index].constant)
                origins.append(index)
            case .failed(let error)?: failures.append(StackResult.Failure(index: index, error: error))
            case nil: break
            }
        }
        do {
            return StackResult(table: try stack(tables, constants: constants, options: options), failures: failures)
        } catch var clash as StackClash {
            clash.index = origins[clash.index]
            throw clash
        }
    }
}
