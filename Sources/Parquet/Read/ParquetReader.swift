import Parallel
/// Reads flat Parquet files into `Table`s: whole, by column projection, one row group at a
/// time, or only the first rows.
///
/// ```swift
/// let reader = try ParquetReader(path: "metrics.parquet")
/// let table = try reader.read(columns: ["step", "loss"])
/// for group in 0 ..< reader.rowGroupCount { _ = try reader.readRowGroup(group) }
/// ```
///
/// The footer is parsed once, when the reader is created. Column chunks are read with
/// `pread(2)` only when asked for, so memory stays near one row group when streaming. A file
/// with nested columns (lists, maps, structs) can still be read by naming its flat columns.
public final class ParquetReader: @unchecked Sendable {
    /// The file's metadata, as stored in its footer.
    public let metadata: FileMetaData
    /// The readable (flat) columns of the file.
    public let schema: Schema
    /// The top-level nested columns, which this reader cannot decode.
    public let nestedColumns: [String]
    /// The options the reader was opened with.
    public let options: ReadOptions

    private let file: CheckedInput
    private let fileSchema: FileSchema

    /// Opens the Parquet file at `path` and parses its footer.
    public convenience init(path: String, options: ReadOptions = ReadOptions()) throws {
        try self.init(input: InputFile(path: path), options: options)
    }

    /// Reads a Parquet file held in memory; `name` appears in error messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>", options: ReadOptions = ReadOptions()) throws {
        try self.init(input: InputFile(bytes: bytes, name: name), options: options)
    }

    /// Reads a Parquet file from `input` (a file in any storage that reads byte ranges) and
    /// parses its footer.
    public init(input: any RandomAccessInput, options: ReadOptions = ReadOptions()) throws {
        let file = CheckedInput(input: input)
        self.file = file
        self.options = options
        let fileLocation = ParquetError.Location(file: file.name)
        do {
            let metadata = try Footer.read(fileSize: file.size) { offset, count in
                guard count <= options.maxFooterSize + Footer.trailerSize else {
                    throw ParquetError(.limitExceeded, "the footer claims \(count) bytes, more than the limit of \(options.maxFooterSize) (ReadOptions.maxFooterSize)")
                }
                return try file.read(offset: offset, count: count)
            }
            let fileSchema = try FileSchema(metadata.schema)
            for (index, group) in metadata.rowGroups.enumerated() where group.columns.count != fileSchema.leafCount {
                throw ParquetError(.corrupt, "row group \(index) has \(group.columns.count) column chunks but the schema has \(fileSchema.leafCount) columns",
                                   location: .init(rowGroup: index))
            }
            var total = 0
            for (index, group) in metadata.rowGroups.enumerated() {
                guard group.numRows >= 0 else {
                    throw ParquetError(.corrupt, "row group \(index) claims \(group.numRows) rows", location: .init(rowGroup: index))
                }
                let (sum, overflow) = total.addingReportingOverflow(Int(group.numRows))
                guard !overflow else {
                    throw ParquetError(.corrupt, "the row groups claim more than \(Int.max) rows in all (row group \(index) claims \(group.numRows))",
                                       location: .init(rowGroup: index))
                }
                total = sum
            }
            rowCount = total
            self.metadata = metadata
            self.fileSchema = fileSchema
        } catch let error as ParquetError {
            throw error.adding(fileLocation)
        }
        schema = Schema(fields: fileSchema.leaves.compactMap { leaf in
            guard case .success(let type) = leaf.type else { return nil }
            return Schema.Field(name: leaf.name, type: type, isNullable: leaf.maxDefinitionLevel > 0)
        })
        nestedColumns = fileSchema.nested
    }

    /// Every top-level flat column with its type or the reason it cannot be read.
    package var leaves: [FileSchema.Leaf] { fileSchema.leaves }

    /// The file's size in bytes.
    public var fileSize: Int { file.size }

    /// The file's path (or the name given for bytes in memory).
    public var path: String { file.name }

    /// The number of rows: the sum of the row groups' row counts (the footer's own total is
    /// not trusted; some writers get it wrong), checked for overflow when the file is opened.
    public let rowCount: Int

    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// The key-value metadata of the file, in order.
    public var keyValueMetadata: [KeyValue] { metadata.keyValueMetadata ?? [] }

    /// Reads the named columns (all columns when nil) of every row group, at most `limit` rows.
    /// Decoding stops as soon as `limit` rows are read.
    public func read(columns names: [String]? = nil, limit: Int? = nil) throws -> Table {
        let leaves = try selectLeaves(names)
        let wanted = min(limit ?? Int.max, rowCount)
        var parts: [Table] = []
        var remaining = wanted
        for group in 0 ..< rowGroupCount where remaining > 0 {
            let part = try readRowGroup(group, leaves: leaves, limit: remaining)
            remaining -= part.rowCount
            parts.append(part)
        }
        if parts.count == 1 { return parts[0] }
        parts = try Self.int96Aligned(parts)
        if parts.isEmpty {
            return try Table(columns: leaves.map { leaf in
                var empty = ColumnBuilder(name: leaf.name, type: try leafType(leaf))
                return empty.finish()
            })
        }
        return try Table.concatenate(parts)
    }

    /// Reads one row group: the named columns (all when nil).
    public func readRowGroup(_ index: Int, columns names: [String]? = nil) throws -> Table {
        guard index >= 0, index < rowGroupCount else {
            throw ParquetError(.invalidArgument, "row group \(index) does not exist; the file has \(rowGroupCount)", location: .init(file: path))
        }
        return try readRowGroup(index, leaves: selectLeaves(names), limit: Int.max)
    }

    private func selectLeaves(_ names: [String]?) throws -> [FileSchema.Leaf] {
        guard let names else {
            if let nested = fileSchema.nested.first {
                throw ParquetError(.unsupported, "column '\(nested)' is nested (a list, map or struct), which this reader cannot decode; read the flat columns by naming them: \(fileSchema.leaves.map(\.name).joined(separator: ", "))",
                                   location: .init(file: path, column: nested))
            }
            return fileSchema.leaves
        }
        return try names.map { name in
            if let leaf = fileSchema.leaves.first(where: { $0.name == name }) { return leaf }
            if fileSchema.nested.contains(name) {
                throw ParquetError(.unsupported, "column '\(name)' is nested (a list, map or struct), which this reader cannot decode",
                                   location: .init(file: path, column: name))
            }
            throw ParquetError(.invalidArgument, "the file has no column '\(name)'; its columns are \((fileSchema.leaves.map(\.name) + fileSchema.nested).joined(separator: ", "))",
                               location: .init(file: path))
        }
    }

    private func leafType(_ leaf: FileSchema.Leaf) throws -> ColumnType {
        switch leaf.type {
        case .success(let type): return type
        case .failure(let error): throw error.adding(.init(file: path, column: leaf.name))
        }
    }

    private func readRowGroup(_ index: Int, leaves: [FileSchema.Leaf], limit: Int) throws -> Table {
        let rows = Int(metadata.rowGroups[index].numRows)
        var table = Table(rowCount: min(rows, limit))
        let threads = options.threads > 0 ? options.threads : Parallel.processorCount
        let decoded = ColumnSlots(count: leaves.count)
        defer { decoded.release() }
        // Columns are independent: decode them on several threads, then append them in order
        // (the first failing column, in schema order, is the one reported).
        Parallel.forEach(leaves.count, threads: rows == 0 || limit == 0 ? 1 : threads) { [self] position in
            decoded[position] = Result { try readChunk(index, leaf: leaves[position], rows: rows, limit: limit) }
                .mapError { ($0 as? ParquetError) ?? ParquetError(.corrupt, "\($0)") }
        }
        for position in leaves.indices {
            switch decoded[position] {
            case .success(let column)?: try table.append(column)
            case .failure(let error)?: throw error.adding(.init(file: path, rowGroup: index, column: leaves[position].name))
            case nil: throw ParquetError(.corrupt, "column '\(leaves[position].name)' was not decoded")
            }
        }
        return table
    }

    /// Decodes one column chunk of row group `index`.
    private func readChunk(_ index: Int, leaf: FileSchema.Leaf, rows: Int, limit: Int) throws -> Column {
        let type = try leafType(leaf)
        if rows == 0 || limit == 0 {
            // Empty row groups may have chunks without pages (pyarrow writes offset 0).
            var empty = ColumnBuilder(name: leaf.name, type: type)
            return empty.finish()
        }
        let chunk = metadata.rowGroups[index].columns[leaf.chunkIndex]
        guard let columnMetadata = chunk.metaData else {
            throw ParquetError.corrupt("the column chunk has no metadata (it may be stored in another file, which is not supported)")
        }
        guard columnMetadata.type == leaf.element.type else {
            throw ParquetError.corrupt("the column chunk's type \(columnMetadata.type) differs from the schema's \(String(describing: leaf.element.type))")
        }
        let (start, length) = try chunkRange(columnMetadata)
        let bytes = try file.read(offset: start, count: length)
        var reader = ColumnChunkReader(leaf: leaf, type: type, metadata: columnMetadata, rowCount: rows, rowLimit: limit, options: options)
        do {
            return try reader.read(bytes, fileOffset: start)
        } catch let error as ParquetError where error.underlying is Int96OutOfNanosecondRange {
            // An INT96 value outside the nanosecond range (Spark's 0001-01-01 and 9999-12-31
            // sentinels): read the chunk in microseconds, as Spark and pyarrow's
            // coerce_int96_timestamp_unit="us" do; `read` brings the other row groups along.
            var micros = ColumnChunkReader(leaf: leaf, type: Self.int96Microseconds, metadata: columnMetadata,
                                           rowCount: rows, rowLimit: limit, options: options)
            return try micros.read(bytes, fileOffset: start)
        }
    }

    /// The type of an INT96 column read in microseconds because a value is outside the
    /// nanosecond range.
    static let int96Microseconds = ColumnType.timestamp(.microseconds, isAdjustedToUTC: false)

    /// Row groups read separately, with every INT96 column that one of them read in
    /// microseconds (a value outside the nanosecond range) converted to microseconds in all.
    private static func int96Aligned(_ parts: [Table]) throws -> [Table] {
        guard let first = parts.first else { return parts }
        var aligned = parts
        for position in first.columns.indices
        where parts.contains(where: { $0.columns[position].type == int96Microseconds })
            && parts.contains(where: { $0.columns[position].type == .timestamp(.nanoseconds, isAdjustedToUTC: false) }) {
            for part in aligned.indices where aligned[part].columns[position].type != int96Microseconds {
                let column = aligned[part].columns[position]
                guard case .int64(let nanos) = column.values else { continue }
                // Floor division, as the microsecond read of INT96 floors the nanoseconds of the day.
                let micros = nanos.map { $0 >= 0 ? $0 / 1000 : -((-($0 + 1)) / 1000) - 1 }
                var columns = aligned[part].columns
                columns[position] = try Column(name: column.name, type: int96Microseconds, values: .int64(micros), validity: column.validity)
                aligned[part] = try Table(columns: columns)
            }
        }
        return aligned
    }

    /// The byte range of a column chunk: from its dictionary page when that offset is sane
    /// (some writers store 0 or a bogus value), else from its first data page.
    private func chunkRange(_ column: ColumnMetaData) throws -> (start: Int, length: Int) {
        var start = Int(column.dataPageOffset)
        if let dictionary = column.dictionaryPageOffset, dictionary > 0, dictionary < column.dataPageOffset {
            start = Int(dictionary)
        }
        let length = Int(column.totalCompressedSize)
        guard start >= Footer.magic.count, length >= 0, start <= file.size, length <= file.size - start else {
            throw ParquetError.corrupt("the column chunk claims \(length) bytes from byte \(start), outside the \(file.size)-byte file")
        }
        return (start, length)
    }
}

/// One decoded column (or its error) per slot, written by the thread that decodes it: each
/// thread writes only its own slot, and the slots are read after every thread is done.
private final class ColumnSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<Column, ParquetError>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    subscript(position: Int) -> Result<Column, ParquetError>? {
        get { slots[position] }
        set { slots[position] = newValue }
    }

    /// Frees the slots (once the table holds what it needs).
    func release() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}
