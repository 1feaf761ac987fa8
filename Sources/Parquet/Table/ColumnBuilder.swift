/// Builds a `Column` by appending values one at a time or in bulk, without boxing.
///
/// Typed appends must match the builder's storage (`append(_: Double)` on a double column);
/// a mismatch is a programming error and traps. `append(_: Value)` and
/// `append(_:rows:)` check and convert instead, and throw on a clash.
///
/// ```swift
/// var builder = ColumnBuilder(name: "loss", type: .double)
/// builder.append(0.5)
/// builder.appendNull()
/// let column = builder.finish()
/// ```
public struct ColumnBuilder: Sendable {
    /// The column's name.
    public let name: String
    /// The column's type.
    public let type: ColumnType
    /// The number of rows appended so far.
    public private(set) var count = 0

    private var bools: [Bool] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var bytes = ByteArrays()
    private var validity: Validity?

    /// A builder for a column of `type`, with room for `capacity` rows.
    public init(name: String, type: ColumnType, capacity: Int = 0) {
        self.name = name
        self.type = type
        reserveCapacity(capacity)
    }

    /// Reserves room for `n` more rows.
    public mutating func reserveCapacity(_ n: Int) {
        guard n > 0 else { return }
        switch type.storage {
        case .bool: bools.reserveCapacity(count + n)
        case .int32: int32s.reserveCapacity(count + n)
        case .int64: int64s.reserveCapacity(count + n)
        case .float: floats.reserveCapacity(count + n)
        case .double: doubles.reserveCapacity(count + n)
        case .bytes: bytes.reserveCapacity(values: n, bytes: 0)
        }
    }

    private mutating func markValid() {
        validity?.append(true)
        count += 1
    }

    /// Appends a boolean.
    public mutating func append(_ value: Bool) {
        precondition(type.storage == .bool, "ColumnBuilder: \(type) column '\(name)' given a Bool")
        bools.append(value)
        markValid()
    }

    /// Appends a 32-bit integer (or a date's day count, or an unsigned value's bit pattern).
    public mutating func append(_ value: Int32) {
        precondition(type.storage == .int32, "ColumnBuilder: \(type) column '\(name)' given an Int32")
        int32s.append(value)
        markValid()
    }

    /// Appends a 64-bit integer (or a timestamp's count, or an unsigned value's bit pattern).
    public mutating func append(_ value: Int64) {
        precondition(type.storage == .int64, "ColumnBuilder: \(type) column '\(name)' given an Int64")
        int64s.append(value)
        markValid()
    }

    /// Appends a float.
    public mutating func append(_ value: Float) {
        precondition(type.storage == .float, "ColumnBuilder: \(type) column '\(name)' given a Float")
        floats.append(value)
        markValid()
    }

    /// Appends a double.
    public mutating func append(_ value: Double) {
        precondition(type.storage == .double, "ColumnBuilder: \(type) column '\(name)' given a Double")
        doubles.append(value)
        markValid()
    }

    /// Appends a string as UTF-8.
    public mutating func append(_ value: String) {
        precondition(type.storage == .bytes, "ColumnBuilder: \(type) column '\(name)' given a String")
        bytes.append(value)
        markValid()
    }

    /// Appends a byte string.
    public mutating func append<C: Collection>(bytes value: C) where C.Element == UInt8 {
        precondition(type.storage == .bytes, "ColumnBuilder: \(type) column '\(name)' given bytes")
        bytes.append(contentsOf: value)
        markValid()
    }

    /// Appends a null.
    public mutating func appendNull() {
        appendNulls(1)
    }

    /// Appends `n` nulls.
    public mutating func appendNulls(_ n: Int) {
        guard n > 0 else { return }
        if validity == nil {
            var all = Validity(count: 0)
            all.append(repeating: true, count: count)
            validity = all
        }
        validity!.append(repeating: false, count: n)
        switch type.storage {
        case .bool: bools.append(contentsOf: repeatElement(false, count: n))
        case .int32: int32s.append(contentsOf: repeatElement(0, count: n))
        case .int64: int64s.append(contentsOf: repeatElement(0, count: n))
        case .float: floats.append(contentsOf: repeatElement(0, count: n))
        case .double: doubles.append(contentsOf: repeatElement(0, count: n))
        case .bytes: for _ in 0 ..< n { bytes.appendEmpty() }
        }
        count += n
    }

    /// Appends a boxed value, converting integers to this column's wider type where that is
    /// lossless (and to double); throws when the value does not fit the column.
    public mutating func append(_ value: Value) throws {
        func clash() -> ParquetError {
            ParquetError(.invalidArgument, "column '\(name)' is \(type) and cannot hold the value \(value)")
        }
        switch (value, type.storage) {
        case (.null, _): appendNull()
        case (.bool(let v), .bool): append(v)
        case (.int(let v), .int32) where type.isInteger:
            guard let narrow = Int32(exactly: v), Self.fits(Int64(narrow), type) else { throw clash() }
            append(narrow)
        case (.uint(let v), .int32) where type.isInteger:
            guard v <= UInt64(UInt32.max), Self.fits(Int64(v), type) else { throw clash() }
            append(Int32(bitPattern: UInt32(v)))
        case (.int(let v), .int64) where type == .int64: append(v)
        case (.int(let v), .int64) where type == .uint64:
            guard v >= 0 else { throw clash() }
            append(v)
        case (.uint(let v), .int64) where type == .uint64: append(Int64(bitPattern: v))
        case (.uint(let v), .int64) where type == .int64:
            guard let signed = Int64(exactly: v) else { throw clash() }
            append(signed)
        case (.int(let v), .double): append(Double(v))
        case (.uint(let v), .double): append(Double(v))
        case (.float(let v), .double): append(Double(v))
        case (.double(let v), .double): append(v)
        case (.float(let v), .float): append(v)
        case (.decimal(let v), .int64) where type == .decimal(precision: v.precision, scale: v.scale):
            guard let unscaled = v.unscaledInt64 else { throw clash() }
            append(unscaled)
        case (.decimal(let v), .bytes) where type == .decimal(precision: v.precision, scale: v.scale): append(bytes: v.unscaledBytes)
        case (.uuid(let v), .bytes) where type == .uuid:
            guard v.count == 16 else { throw clash() }
            append(bytes: v)
        case (.string(let v), .bytes) where type == .string: append(v)
        case (.binary(let v), .bytes) where type == .binary: append(bytes: v)
        case (.timestamp(let v, let unit, let utc), .int64) where type == .timestamp(unit, isAdjustedToUTC: utc): append(v)
        case (.date(let v), .int32) where type == .date: append(v)
        case (.time(let v, let unit, let utc), .int64) where type == .time(unit, isAdjustedToUTC: utc): append(v)
        case (.time(let v, let unit, let utc), .int32) where type == .time(unit, isAdjustedToUTC: utc):
            guard let narrow = Int32(exactly: v) else { throw clash() }
            append(narrow)
        default: throw clash()
        }
    }

    private static func fits(_ value: Int64, _ type: ColumnType) -> Bool {
        switch type {
        case .int8: Int8(exactly: value) != nil
        case .int16: Int16(exactly: value) != nil
        case .uint8: UInt8(exactly: value) != nil
        case .uint16: UInt16(exactly: value) != nil
        case .uint32: UInt32(exactly: value) != nil
        default: true
        }
    }

    /// Appends rows `range` of `column`, whose type must equal this builder's or widen to it
    /// (`ColumnType.common`); throws otherwise, naming the column and both types.
    public mutating func append(_ column: Column, rows range: Range<Int>) throws {
        guard ColumnType.common(type, column.type) == type else {
            throw ParquetError(.invalidArgument, "column '\(name)' is \(type) in one table and \(column.type) in another")
        }
        appendUnchecked(column, rows: range)
    }

    /// Appends rows `range` of `column`, whose type is known to equal or widen to this one's.
    package mutating func appendUnchecked(_ column: Column, rows range: Range<Int>) {
        guard !range.isEmpty else { return }
        if let source = column.validity {
            if validity == nil {
                var all = Validity(count: 0)
                all.append(repeating: true, count: count)
                validity = all
            }
            for row in range { validity!.append(source.isValid(row)) }
        } else {
            validity?.append(repeating: true, count: range.count)
        }
        switch (column.values, type.storage) {
        case (.bool(let v), .bool): bools.append(contentsOf: v[range])
        case (.int32(let v), .int32): int32s.append(contentsOf: v[range])
        case (.int64(let v), .int64): int64s.append(contentsOf: v[range])
        case (.float(let v), .float): floats.append(contentsOf: v[range])
        case (.double(let v), .double): doubles.append(contentsOf: v[range])
        case (.bytes(let v), .bytes):
            for row in range { bytes.append(contentsOf: v[row]) }
        case (.int32(let v), .int64):
            let unsigned = column.type == .uint32
            for row in range { int64s.append(unsigned ? Int64(UInt32(bitPattern: v[row])) : Int64(v[row])) }
        case (.int32(let v), .double):
            let unsigned = column.type == .uint32
            for row in range { doubles.append(unsigned ? Double(UInt32(bitPattern: v[row])) : Double(v[row])) }
        case (.int64(let v), .double):
            let unsigned = column.type == .uint64
            for row in range { doubles.append(unsigned ? Double(UInt64(bitPattern: v[row])) : Double(v[row])) }
        default:
            preconditionFailure("ColumnBuilder: cannot append \(column.type) to \(type)")
        }
        count += range.count
    }

    /// Returns the column built so far and leaves the builder empty.
    public mutating func finish() -> Column {
        let values: ColumnValues
        switch type.storage {
        case .bool: values = .bool(bools); bools = []
        case .int32: values = .int32(int32s); int32s = []
        case .int64: values = .int64(int64s); int64s = []
        case .float: values = .float(floats); floats = []
        case .double: values = .double(doubles); doubles = []
        case .bytes: values = .bytes(bytes); bytes = ByteArrays()
        }
        let column = Column(unchecked: name, type: type, values: values, validity: validity)
        validity = nil
        count = 0
        return column
    }
}
