/// A columnar table: named, typed, nullable columns of equal length.
///
/// `Table` is what the Parquet reader returns, what the writer takes, and what the store
/// hands out for a run's metrics.
///
/// ```swift
/// let table = try Table(columns: [
///     Column(name: "step", int64s: [0, 1, 2]),
///     Column(name: "loss", doubles: [0.9, 0.5, nil]),
/// ])
/// table["loss"]?[2]   // .null
/// table.row(1)        // [.int(1), .double(0.5)]
/// ```
public struct Table: Sendable, Equatable {
    /// The columns, in order.
    public private(set) var columns: [Column]
    /// The number of rows.
    public private(set) var rowCount: Int

    /// A table with no columns and no rows.
    public init() {
        columns = []
        rowCount = 0
    }

    /// A table of `columns`, which must have equal lengths and distinct names.
    public init(columns: [Column]) throws {
        var seen = Set<String>()
        for column in columns {
            guard seen.insert(column.name).inserted else {
                throw ParquetError(.invalidArgument, "the table has two columns named '\(column.name)'")
            }
            if let first = columns.first, column.count != first.count {
                throw ParquetError(.invalidArgument, "column '\(column.name)' has \(column.count) rows but '\(first.name)' has \(first.count)")
            }
        }
        self.columns = columns
        rowCount = columns.first?.count ?? 0
    }

    /// A table with `rowCount` rows and no columns yet (a zero-column table may still count rows).
    public init(rowCount: Int) {
        columns = []
        self.rowCount = rowCount
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column named `name`, if any.
    public subscript(name: String) -> Column? { columns.first { $0.name == name } }

    /// The index of the column named `name`, if any.
    public func columnIndex(named name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Row `index`, boxed, in column order.
    public func row(_ index: Int) -> [Value] { columns.map { $0[index] } }

    /// Appends a column with as many rows as the table (any count for a table without columns
    /// and rows); throws on a length mismatch or a duplicate name.
    public mutating func append(_ column: Column) throws {
        if columns.isEmpty && rowCount == 0 {
            columns = [column]
            rowCount = column.count
            return
        }
        guard column.count == rowCount else {
            throw ParquetError(.invalidArgument, "column '\(column.name)' has \(column.count) rows but the table has \(rowCount)")
        }
        guard self[column.name] == nil else {
            throw ParquetError(.invalidArgument, "the table already has a column named '\(column.name)'")
        }
        columns.append(column)
    }

    /// The columns named `names`, in that order; throws naming the first that is missing.
    public func selecting(_ names: [String]) throws -> Table {
        var selected = Table(rowCount: rowCount)
        for name in names {
            guard let column = self[name] else {
                throw ParquetError(.invalidArgument, "no column named '\(name)'; the columns are \(columnNames.joined(separator: ", "))")
            }
            try selected.append(column)
        }
        return selected
    }

    /// Rows `range` (clamped to the table) as a new table.
    public func slice(_ range: Range<Int>) -> Table {
        let clamped = range.clamped(to: 0 ..< rowCount)
        var table = Table(rowCount: clamped.count)
        table.columns = columns.map { $0.slice(clamped) }
        return table
    }

    /// Stacks tables vertically. Columns are the union of all tables' columns in first-seen
    /// order; a table without a column contributes nulls; a column that is an integer in one
    /// table and double in another becomes double. Any other type clash throws, naming the
    /// column and both types. A column whose every row is null holds no value that could
    /// clash: it takes the type of the other tables' column and contributes nulls.
    public static func concatenate(_ tables: [Table]) throws -> Table {
        var union = ColumnUnion()
        for table in tables {
            for column in table.columns {
                if let known = union.add(column.name, column.type, allNull: column.isAllNull) {
                    let reason = ColumnType.decimalClash(known, column.type).map { "; \($0)" } ?? ""
                    throw ParquetError(.invalidArgument, "column '\(column.name)' is \(known) in one table and \(column.type) in another\(reason)")
                }
            }
        }
        let total = tables.reduce(0) { $0 + $1.rowCount }
        var result = Table(rowCount: total)
        for (name, type) in zip(union.names, union.types) {
            var builder = ColumnBuilder(name: name, type: type, capacity: total)
            for table in tables {
                if let column = try table[name]?.stackable(as: type), !column.isAllNull {
                    builder.appendUnchecked(column, rows: 0 ..< column.count)
                } else {
                    builder.appendNulls(table.rowCount)
                }
            }
            result.columns.append(builder.finish())
        }
        return result
    }
}
