/// A named, typed, nullable column of a `Table`.
///
/// Values are kept unboxed in the storage of their type (`values`), with a validity bitmap
/// when any value is null. Read typed values through `values` (e.g. `case .double(let xs)`),
/// boxed ones through the subscript.
///
/// ```swift
/// let loss = Column(name: "loss", doubles: [0.9, nil, 0.4])
/// loss[1]          // .null
/// loss.nullCount   // 1
/// ```
public struct Column: Sendable {
    /// The column's name.
    public var name: String
    /// What the values mean.
    public let type: ColumnType
    /// The values, one per row; a null row holds a placeholder.
    public let values: ColumnValues
    /// Which rows hold values; nil when none is null.
    public let validity: Validity?

    /// Creates a column, checking that the storage fits the type and the bitmap the row count.
    public init(name: String, type: ColumnType, values: ColumnValues, validity: Validity? = nil) throws {
        guard values.kind == type.storage else {
            throw ParquetError(.invalidArgument, "column '\(name)' of type \(type) needs \(type.storage) storage, not \(values.kind)")
        }
        if let validity, validity.count != values.count {
            throw ParquetError(.invalidArgument, "column '\(name)' has \(values.count) values but a validity bitmap of \(validity.count) rows")
        }
        self.name = name
        self.type = type
        self.values = values
        self.validity = validity?.nullCount == 0 ? nil : validity
    }

    /// Creates a column whose storage is known to fit (used inside the module).
    package init(unchecked name: String, type: ColumnType, values: ColumnValues, validity: Validity?) {
        self.name = name
        self.type = type
        self.values = values
        self.validity = validity?.nullCount == 0 ? nil : validity
    }

    /// The number of rows.
    public var count: Int { values.count }

    /// The number of null rows.
    public var nullCount: Int { validity?.nullCount ?? 0 }

    /// Whether the column has rows and every one is null.
    public var isAllNull: Bool { count > 0 && nullCount == count }

    /// Whether row `index` is null.
    @inlinable public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity.isValid(index)
    }

    /// Row `index`, boxed.
    public subscript(index: Int) -> Value {
        if isNull(index) { return .null }
        switch values {
        case .bool(let v): return .bool(v[index])
        case .int32(let v):
            switch type {
            case .uint8, .uint16, .uint32: return .uint(UInt64(UInt32(bitPattern: v[index])))
            case .date: return .date(v[index])
            case .time(let unit, let utc): return .time(Int64(v[index]), unit, isAdjustedToUTC: utc)
            default: return .int(Int64(v[index]))
            }
        case .int64(let v):
            switch type {
            case .uint64: return .uint(UInt64(bitPattern: v[index]))
            case .timestamp(let unit, let utc): return .timestamp(v[index], unit, isAdjustedToUTC: utc)
            case .time(let unit, let utc): return .time(v[index], unit, isAdjustedToUTC: utc)
            case .decimal(let precision, let scale): return .decimal(ParquetDecimal(unscaled: v[index], precision: precision, scale: scale))
            default: return .int(v[index])
            }
        case .float(let v): return .float(v[index])
        case .double(let v): return .double(v[index])
        case .bytes(let v):
            switch type {
            case .string: return .string(v.string(at: index))
            case .uuid: return .uuid(Array(v[index]))
            case .decimal(let precision, let scale): return .decimal(ParquetDecimal(unscaledBigEndian: v[index], precision: precision, scale: scale))
            default: return .binary(Array(v[index]))
            }
        }
    }

    /// Every row, boxed.
    public var boxedValues: [Value] { (0 ..< count).map { self[$0] } }

    /// Rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        var builder = ColumnBuilder(name: name, type: type, capacity: range.count)
        builder.appendUnchecked(self, rows: range)
        return builder.finish()
    }
}

extension Column: Equatable {
    /// Columns are equal when name, type and nulls match and every non-null value is equal
    /// (NaN equals NaN; placeholders under nulls are ignored).
    public static func == (lhs: Column, rhs: Column) -> Bool {
        guard lhs.name == rhs.name, lhs.type == rhs.type, lhs.count == rhs.count, lhs.nullCount == rhs.nullCount else { return false }
        for index in 0 ..< lhs.count {
            let null = lhs.isNull(index)
            if null != rhs.isNull(index) { return false }
            if null { continue }
            switch (lhs.values, rhs.values) {
            case (.bool(let a), .bool(let b)): if a[index] != b[index] { return false }
            case (.int32(let a), .int32(let b)): if a[index] != b[index] { return false }
            case (.int64(let a), .int64(let b)): if a[index] != b[index] { return false }
            case (.float(let a), .float(let b)): if a[index] != b[index] && !(a[index].isNaN && b[index].isNaN) { return false }
            case (.double(let a), .double(let b)): if a[index] != b[index] && !(a[index].isNaN && b[index].isNaN) { return false }
            case (.bytes(let a), .bytes(let b)): if a[index] != b[index] { return false }
            default: return false
            }
        }
        return true
    }
}

extension Column {
    /// A column of optional booleans.
    public init(name: String, bools: [Bool?]) {
        self = Column.make(name, .bool, bools) { $0.append($1) }
    }

    /// A column of optional 32-bit integers.
    public init(name: String, int32s: [Int32?]) {
        self = Column.make(name, .int32, int32s) { $0.append($1) }
    }

    /// A column of optional 64-bit integers.
    public init(name: String, int64s: [Int64?]) {
        self = Column.make(name, .int64, int64s) { $0.append($1) }
    }

    /// A column of optional floats.
    public init(name: String, floats: [Float?]) {
        self = Column.make(name, .float, floats) { $0.append($1) }
    }

    /// A column of optional doubles.
    public init(name: String, doubles: [Double?]) {
        self = Column.make(name, .double, doubles) { $0.append($1) }
    }

    /// A column of optional strings.
    public init(name: String, strings: [String?]) {
        self = Column.make(name, .string, strings) { $0.append($1) }
    }

    /// A column of optional byte strings.
    public init(name: String, binaries: [[UInt8]?]) {
        self = Column.make(name, .binary, binaries) { $0.append(bytes: $1) }
    }

    /// A column of optional timestamps, counted in `unit` since the epoch.
    public init(name: String, timestamps: [Int64?], unit: TimeUnit, isAdjustedToUTC: Bool = true) {
        self = Column.make(name, .timestamp(unit, isAdjustedToUTC: isAdjustedToUTC), timestamps) { $0.append($1) }
    }

    /// A column of optional dates, as days since 1970-01-01.
    public init(name: String, dates: [Int32?]) {
        self = Column.make(name, .date, dates) { $0.append($1) }
    }

    private static func make<T>(_ name: String, _ type: ColumnType, _ items: [T?], _ append: (inout ColumnBuilder, T) -> Void) -> Column {
        var builder = ColumnBuilder(name: name, type: type, capacity: items.count)
        for item in items {
            if let item { append(&builder, item) } else { builder.appendNull() }
        }
        return builder.finish()
    }
}
