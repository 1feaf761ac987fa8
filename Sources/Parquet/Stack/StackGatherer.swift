#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parallel

/// The fast path of ``TableStacker/read(_:options:)``: every file decoded straight into one
/// stacked table.
///
/// First every file's footer is read (``StackPlan``: row counts and column types, in parallel),
/// which fixes where each file's rows go in the stacked columns. Then the fixed-width columns are allocated
/// once, uninitialized, and each core decodes one file at a time and copies its columns into
/// place, so a file's decoded table is freed (and its memory reused by the next) at once.
/// Compared with reading every file and then stacking, half the memory is touched and no
/// per-file table outlives its copy. String and binary columns are kept per file and joined at
/// the end. Each file is opened twice, footer then data: keeping a reader (and its file
/// descriptor) per file open in between would run into the descriptor limit at a thousand files.
enum StackGatherer {
    /// The stacked table of `parts`, or nil when a run failed to decode after its footer was
    /// read (the caller then reads run by run, to name the failing run).
    static func gather(_ parts: [StackPlan.Part], layout: ColumnUnion, options: StackOptions, read: ReadOptions) -> Table? {
        let total = parts.last.map { $0.firstRow + $0.rows } ?? 0
        let kinds = layout.types.map(\.storage)
        let state = GatherState(parts: parts.count, columns: kinds.count)
        // The constant column's bytes: each file's text repeated over its rows, written by the
        // worker that decodes the file, like every other column.
        var byteStarts: [Int] = []
        var byteCount = 0
        for part in parts {
            byteStarts.append(byteCount)
            byteCount += options.constantColumn == nil ? 0 : part.rows * part.file.constant.utf8.count
        }
        let firstByte = byteStarts
        var values: [ColumnValues] = []
        let constantOffsets = [Int](unsafeUninitializedCapacity: total + 1) { offsetBuffer, offsetsInitialized in
            let constantBytes = [UInt8](unsafeUninitializedCapacity: byteCount) { byteBuffer, bytesInitialized in
                let offsetSink = UnsafeMutableRawPointerBox(pointer: UnsafeMutableRawPointer(offsetBuffer.baseAddress!))
                let byteSink = byteBuffer.baseAddress.map { UnsafeMutableRawPointerBox(pointer: UnsafeMutableRawPointer($0)) }
                offsetBuffer[0] = 0
                values = allocate(kinds, count: total) { pointers in
                    let sinks = pointers.map { $0.map { UnsafeMutableRawPointerBox(pointer: $0) } }
                    // Every page of the stacked columns faulted in first, on every core.
                    var regions: [(start: UnsafeMutableRawPointer, byteCount: Int)] = [(offsetSink.pointer, (total + 1) * MemoryLayout<Int>.stride)]
                    if let byteSink { regions.append((byteSink.pointer, byteCount)) }
                    for (position, pointer) in pointers.enumerated() {
                        if let pointer { regions.append((pointer, total * kinds[position].stride)) }
                    }
                    FreshMemory.populate(options.constantColumn == nil ? Array(regions.dropFirst()) : regions)
                    Parallel.forEach(parts.count) { index in
                        let part = parts[index]
                        if options.constantColumn != nil {
                            ConstantColumn.write(part.file.constant, rows: part.rows, firstRow: part.firstRow, firstByte: firstByte[index],
                                                 offsets: offsetSink.pointer.assumingMemoryBound(to: Int.self),
                                                 bytes: byteSink?.pointer.assumingMemoryBound(to: UInt8.self))
                        }
                        var table: Table?
                        do {
                            let reader = try ParquetReader(path: part.file.path, options: read)
                            table = try reader.read(columns: part.columns.map(\.name))
                            if table?.rowCount != part.rows { table = nil }
                        } catch {
                            table = nil
                        }
                        if table == nil { state.fail() }
                        for (position, kind) in kinds.enumerated() {
                            // An all-null column (of whatever type) is stacked as nulls.
                            var column = table?[layout.names[position]].flatMap { $0.isAllNull ? nil : $0 }
                            if let found = column, ColumnType.common(layout.types[position], found.type) != layout.types[position] {
                                // Values where the footer's statistics promised only nulls, of a
                                // clashing type: the run-by-run path reports the clash.
                                state.fail()
                                column = nil
                            }
                            if let found = column, found.type != layout.types[position], case .decimal = found.type {
                                // Decimals of another scale or precision: rescaled to the
                                // stacked type (a value beyond its precision: the run-by-run
                                // path reports it).
                                column = try? found.stackable(as: layout.types[position])
                                if column == nil { state.fail() }
                            }
                            if kind == .bytes {
                                state.setBytes(position, part: index, column)
                                continue
                            }
                            guard let sink = sinks[position]?.pointer else { continue }
                            if let column {
                                copy(column, into: sink, at: part.firstRow, as: layout.types[position])
                            } else {
                                fillZero(sink, kind: kind, at: part.firstRow, count: part.rows)
                            }
                            state.setValidity(position, part: index, column.map { $0.validity } ?? Validity(count: part.rows, allValid: false))
                        }
                    }
                }
                bytesInitialized = byteCount
            }
            offsetsInitialized = total + 1
            state.constantBytes = constantBytes
        }
        guard !state.failed else { return nil }
        var columns: [Column] = []
        if let constant = options.constantColumn {
            columns.append(Column(unchecked: constant, type: .string,
                                  values: .bytes(ByteArrays(offsets: constantOffsets, bytes: state.constantBytes)), validity: nil))
        }
        for (position, kind) in kinds.enumerated() {
            let name = layout.names[position], type = layout.types[position]
            if kind == .bytes {
                var builder = ColumnBuilder(name: name, type: type, capacity: total)
                for (index, part) in parts.enumerated() {
                    if let column = state.bytes[position][index] {
                        builder.appendUnchecked(column, rows: 0 ..< column.count)
                    } else {
                        builder.appendNulls(part.rows)
                    }
                }
                columns.append(builder.finish())
            } else {
                columns.append(Column(unchecked: name, type: type, values: values[position],
                                      validity: stackedValidity(state.validity[position], parts)))
            }
        }
        var table = Table(rowCount: total)
        for column in columns { try? table.append(column) }
        return table
    }

    /// The stacked validity of one column, or nil when every row holds a value.
    private static func stackedValidity(_ pieces: [Validity?], _ parts: [StackPlan.Part]) -> Validity? {
        guard pieces.contains(where: { ($0?.nullCount ?? 0) > 0 }) else { return nil }
        var validity = Validity(count: 0)
        validity.reserveCapacity(parts.last.map { $0.firstRow + $0.rows } ?? 0)
        for (index, part) in parts.enumerated() {
            if let piece = pieces[index] {
                validity.append(contentsOf: piece)
            } else {
                validity.append(repeating: true, count: part.rows)
            }
        }
        return validity
    }

    // MARK: Copying into place

    /// Copies `column` (whose type equals `type` or widens to it) to rows `offset...` of `sink`.
    private static func copy(_ column: Column, into sink: UnsafeMutableRawPointer, at offset: Int, as type: ColumnType) {
        func place<T>(_ values: [T], _: T.Type) {
            values.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                (sink.assumingMemoryBound(to: T.self) + offset).initialize(from: base, count: source.count)
            }
        }
        func widen<S, T>(_ values: [S], to: T.Type, _ convert: (S) -> T) {
            let destination = sink.assumingMemoryBound(to: T.self) + offset
            for (index, value) in values.enumerated() { (destination + index).initialize(to: convert(value)) }
        }
        switch (column.values, type.storage) {
        case (.bool(let v), .bool): place(v, Bool.self)
        case (.int32(let v), .int32): place(v, Int32.self)
        case (.int64(let v), .int64): place(v, Int64.self)
        case (.float(let v), .float): place(v, Float.self)
        case (.double(let v), .double): place(v, Double.self)
        case (.int32(let v), .int64):
            if column.type == .uint32 { widen(v, to: Int64.self) { Int64(UInt32(bitPattern: $0)) } } else { widen(v, to: Int64.self) { Int64($0) } }
        case (.int32(let v), .double):
            if column.type == .uint32 { widen(v, to: Double.self) { Double(UInt32(bitPattern: $0)) } } else { widen(v, to: Double.self) { Double($0) } }
        case (.int64(let v), .double):
            if column.type == .uint64 { widen(v, to: Double.self) { Double(UInt64(bitPattern: $0)) } } else { widen(v, to: Double.self) { Double($0) } }
        default:
            // `layout` admits only the pairs above; anything else would be a bug in it.
            preconditionFailure("StackGatherer: \(column.type) cannot be stacked as \(type)")
        }
    }

    /// Fills rows `offset ..< offset + count` of `sink` with the null placeholder.
    private static func fillZero(_ sink: UnsafeMutableRawPointer, kind: ColumnValues.Kind, at offset: Int, count: Int) {
        switch kind {
        case .bool: (sink.assumingMemoryBound(to: Bool.self) + offset).initialize(repeating: false, count: count)
        case .int32: (sink.assumingMemoryBound(to: Int32.self) + offset).initialize(repeating: 0, count: count)
        case .int64: (sink.assumingMemoryBound(to: Int64.self) + offset).initialize(repeating: 0, count: count)
        case .float: (sink.assumingMemoryBound(to: Float.self) + offset).initialize(repeating: 0, count: count)
        case .double: (sink.assumingMemoryBound(to: Double.self) + offset).initialize(repeating: 0, count: count)
        case .bytes: break
        }
    }

    // MARK: Allocation

    /// Allocates one uninitialized array of `count` elements per fixed-width kind (nil pointers
    /// for `.bytes`), runs `fill`, which must initialize every element, and returns the arrays.
    /// The caller faults their pages in (``FreshMemory``) before filling them.
    private static func allocate(_ kinds: [ColumnValues.Kind], count: Int, _ fill: ([UnsafeMutableRawPointer?]) -> Void) -> [ColumnValues] {
        var pointers: [UnsafeMutableRawPointer?] = []
        var result: [ColumnValues] = []
        func level(_ position: Int) {
            guard position < kinds.count else { fill(pointers); return }
            func make<T>(_: T.Type, _ wrap: ([T]) -> ColumnValues) {
                let array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                    pointers.append(buffer.baseAddress.map { UnsafeMutableRawPointer($0) })
                    level(position + 1)
                    initialized = count
                }
                result.append(wrap(array))
            }
            switch kinds[position] {
            case .bool: make(Bool.self) { .bool($0) }
            case .int32: make(Int32.self) { .int32($0) }
            case .int64: make(Int64.self) { .int64($0) }
            case .float: make(Float.self) { .float($0) }
            case .double: make(Double.self) { .double($0) }
            case .bytes:
                pointers.append(nil)
                level(position + 1)
                result.append(.bytes(ByteArrays()))
            }
        }
        level(0)
        return result.reversed()   // the innermost level appended first
    }
}

/// A pointer handed to worker threads that write disjoint ranges behind it.
private struct UnsafeMutableRawPointerBox: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

/// What the workers of `StackGatherer.gather` report: per column and run, the validity and the
/// string columns; whether any run failed.
private final class GatherState: @unchecked Sendable {
    private let lock = Lock()
    private(set) var validity: [[Validity?]]
    private(set) var bytes: [[Column?]]
    private(set) var failed = false
    /// The constant column's bytes, once written.
    var constantBytes: [UInt8] = []

    init(parts: Int, columns: Int) {
        validity = Array(repeating: Array(repeating: nil, count: parts), count: columns)
        bytes = Array(repeating: Array(repeating: nil, count: parts), count: columns)
    }

    func fail() { lock.withLock { failed = true } }
    func setValidity(_ column: Int, part: Int, _ value: Validity?) { lock.withLock { validity[column][part] = value } }
    func setBytes(_ column: Int, part: Int, _ value: Column?) { lock.withLock { bytes[column][part] = value } }
}

private extension ColumnValues.Kind {
    /// The bytes of one value in a stacked column of this kind (none for `.bytes`, kept apart).
    var stride: Int {
        switch self {
        case .bool: MemoryLayout<Bool>.stride
        case .int32: MemoryLayout<Int32>.stride
        case .int64: MemoryLayout<Int64>.stride
        case .float: MemoryLayout<Float>.stride
        case .double: MemoryLayout<Double>.stride
        case .bytes: 0
        }
    }
}
