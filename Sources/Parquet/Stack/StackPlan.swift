import Parallel

/// The first step of every way of stacking (``TableStacker/read(_:options:)``,
/// ``TableStacker/stack(_:constants:options:)`` and ``StackStream``): the files' footers read
/// and checked, and the union of their columns, which fixes the stacked schema before any data
/// is decoded.
enum StackPlan {
    /// A file whose footer was read: where its rows go and which columns it has.
    struct Part: Sendable {
        /// The file.
        let file: StackFile
        /// Its position in the files given.
        let index: Int
        /// Its row count, by the footer.
        let rows: Int
        /// Where its rows start in the stacked table.
        let firstRow: Int
        /// Its columns, without the constant column.
        let columns: [Schema.Field]
        /// Columns whose every row is null by the footer's statistics: they hold no value whose
        /// type could clash, so they do not take part in the stacked column's type.
        let allNull: Set<String>
    }

    /// Reads the footers of `files` in parallel and runs the check; returns the readable files
    /// as parts in order, with their row offsets, and the others as failures.
    static func read(_ files: [StackFile], options: StackOptions, read: ReadOptions) -> (parts: [Part], failures: [StackResult.Failure]) {
        let results = Slots<StackOutcome<(rows: Int, columns: [Schema.Field], allNull: Set<String>)>>(count: files.count)
        Parallel.forEach(files.count) { index in
            do {
                let reader = try ParquetReader(path: files[index].path, options: read)
                try options.check?(reader, files[index])
                let columns = reader.schema.fields.filter { $0.name != options.constantColumn }
                results.set(index, .read((reader.rowCount, columns, allNullColumns(reader))))
            } catch {
                results.set(index, .failed(error))
            }
        }
        var parts: [Part] = []
        var failures: [StackResult.Failure] = []
        var firstRow = 0
        for (index, outcome) in results.values.enumerated() {
            switch outcome {
            case .read(let footer)?:
                parts.append(Part(file: files[index], index: index, rows: footer.rows, firstRow: firstRow, columns: footer.columns, allNull: footer.allNull))
                firstRow += footer.rows
            case .failed(let error)?: failures.append(StackResult.Failure(index: index, error: error))
            case nil: break
            }
        }
        return (parts, failures)
    }

    /// The names of the columns of a file whose footer statistics count every row as null.
    private static func allNullColumns(_ reader: ParquetReader) -> Set<String> {
        guard reader.rowCount > 0 else { return [] }
        var nulls: [String: Int64] = [:]
        for group in reader.metadata.rowGroups {
            for chunk in group.columns {
                guard let metadata = chunk.metaData, metadata.pathInSchema.count == 1 else { continue }
                guard let count = metadata.statistics?.nullCount else {
                    nulls[metadata.pathInSchema[0]] = -.max   // unknown: never all null
                    continue
                }
                nulls[metadata.pathInSchema[0], default: 0] += count
            }
        }
        return Set(nulls.filter { $0.value == Int64(reader.rowCount) }.keys)
    }

    /// The union of the parts' columns; throws ``StackClash`` (naming the file's index in the
    /// files given) when a column's types clash. All-null columns clash with nothing.
    static func layout(_ parts: [Part]) throws -> ColumnUnion {
        var union = ColumnUnion()
        for part in parts {
            for field in part.columns {
                if let known = union.add(field.name, field.type, allNull: part.allNull.contains(field.name)) {
                    throw StackClash(column: field.name, known: known, found: field.type, index: part.index)
                }
            }
        }
        return union
    }

    /// The union of the tables' columns but `constantColumn`; throws ``StackClash`` naming the
    /// table's index. All-null columns clash with nothing.
    static func layout(_ tables: [Table], constantColumn: String?) throws -> ColumnUnion {
        var union = ColumnUnion()
        for (index, table) in tables.enumerated() {
            for column in table.columns where column.name != constantColumn {
                if let known = union.add(column.name, column.type, allNull: column.isAllNull) {
                    throw StackClash(column: column.name, known: known, found: column.type, index: index)
                }
            }
        }
        return union
    }

    /// The stacked schema: the constant column first (a string), then the union's columns, every
    /// one nullable.
    static func schema(_ layout: ColumnUnion, constantColumn: String?) -> Schema {
        var fields: [Schema.Field] = []
        if let constantColumn { fields.append(Schema.Field(name: constantColumn, type: .string)) }
        for (name, type) in zip(layout.names, layout.types) { fields.append(Schema.Field(name: name, type: type)) }
        return Schema(fields: fields)
    }

    /// One file's table (its columns but the constant one) in the stacked layout: the constant
    /// column holding `constant` on every row (when `constantColumn` is set), then every union
    /// column, null where the table lacks it or holds only nulls, int64 widened to double and
    /// decimals rescaled where the layout says. Throws ``StackClash`` (with `index`) when a
    /// column's values clash with the layout's type (values where the footer's statistics
    /// promised only nulls), and the rescaling's error when a decimal does not fit.
    static func conform(_ table: Table, constant: String, constantColumn: String?, layout: ColumnUnion, index: Int) throws -> Table {
        var result = Table(rowCount: table.rowCount)
        if let constantColumn {
            try result.append(ConstantColumn.make(constantColumn, runs: [(constant, table.rowCount)], total: table.rowCount))
        }
        for (name, type) in zip(layout.names, layout.types) {
            guard let found = table[name], !found.isAllNull else {
                var builder = ColumnBuilder(name: name, type: type, capacity: table.rowCount)
                builder.appendNulls(table.rowCount)
                try result.append(builder.finish())
                continue
            }
            if found.type == type {
                try result.append(found)
                continue
            }
            guard ColumnType.common(type, found.type) == type else {
                throw StackClash(column: name, known: type, found: found.type, index: index)
            }
            if case .decimal = found.type {
                try result.append(try found.stackable(as: type))
                continue
            }
            guard widens(found.type.storage, to: type.storage) else {
                throw StackClash(column: name, known: type, found: found.type, index: index)
            }
            var builder = ColumnBuilder(name: name, type: type, capacity: table.rowCount)
            builder.appendUnchecked(found, rows: 0 ..< found.count)
            try result.append(builder.finish())
        }
        return result
    }

    /// Whether `ColumnBuilder.appendUnchecked` converts values stored as `from` to `to`.
    private static func widens(_ from: ColumnValues.Kind, to: ColumnValues.Kind) -> Bool {
        switch (from, to) {
        case (.int32, .int64), (.int32, .double), (.int64, .double): true
        default: from == to
        }
    }
}
