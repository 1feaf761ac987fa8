import Parallel

/// Writes tables to a Parquet file, streaming: tables go in, row groups come out, and memory
/// stays near one row group.
///
/// ```swift
/// try ParquetWriter.write(table, to: "metrics.parquet")          // one call
///
/// let writer = try ParquetWriter(path: "big.parquet", schema: Schema(of: firstBatch))
/// try writer.write(firstBatch)
/// try writer.write(secondBatch)                                    // same schema
/// try writer.close()
/// ```
///
/// With `options.rowGroupRowLimit` set to a batch's row count, each `write` of a full batch
/// writes one row group at once and keeps nothing of it: a caller that produces a large table
/// batch by batch writes it with memory bounded by one batch.
///
/// Files follow the widest-compatibility profile of DESIGN.md §1: `PAR1`, v1 data pages,
/// PLAIN or dictionary values, RLE definition levels, SNAPPY by default, both logical and
/// converted type annotations, statistics, column orders, and `created_by`.
public final class ParquetWriter {
    /// The schema every written table must have.
    public let schema: Schema
    /// The options in force.
    public let options: Options

    private let output: OutputFile
    /// The rows of the row group being gathered: pieces of the tables written (no copy).
    private var pending: [(table: Table, rows: Range<Int>)] = []
    private var pendingRows = 0
    private var pendingBytes = 0
    private var rowGroups: [RowGroup] = []
    private var closed = false

    /// Creates the file at `path` (replacing it, or failing if it exists when `exclusive`)
    /// and writes the leading magic. An existing regular file of this user's with one name is
    /// replaced by a new file with its permission bits (a reader holding the old one keeps
    /// it); a symbolic link, or a file with other names or another owner, is truncated and
    /// rewritten in place.
    public convenience init(path: String, schema: Schema, options: Options = Options(), exclusive: Bool = false) throws {
        try self.init(output: OutputFile(path: path, exclusive: exclusive), schema: schema, options: options)
    }

    /// Writes into an open file descriptor, which the caller owns (and may fsync and close
    /// after `close()`).
    public convenience init(fileDescriptor: Int32, path: String, schema: Schema, options: Options = Options()) throws {
        try self.init(output: OutputFile(fileDescriptor: fileDescriptor, path: path), schema: schema, options: options)
    }

    /// Collects the file in memory, row group by row group as tables are written; ``bytes``
    /// holds it after `close()`. For storage that takes a whole object at once.
    public convenience init(schema: Schema, options: Options = Options()) throws {
        try self.init(output: OutputFile(), schema: schema, options: options)
    }

    /// The file's bytes, for a writer that collects them in memory (``init(schema:options:)``)
    /// once it is closed; empty for a writer to a file, or before `close()`.
    public var bytes: [UInt8] { closed ? output.bytes : [] }

    private init(output: OutputFile, schema: Schema, options: Options) throws {
        self.output = output
        self.schema = schema
        self.options = options
        var names = Set<String>()
        for field in schema.fields where !names.insert(field.name).inserted {
            throw ParquetError(.invalidArgument, "the schema has two columns named '\(field.name)'")
        }
        for field in schema.fields {
            guard case .decimal(let precision, let scale) = field.type else { continue }
            guard precision >= 1, precision <= ColumnType.maxDecimalPrecision, scale >= 0, scale <= precision else {
                throw ParquetError(.invalidArgument, "column '\(field.name)' is \(field.type); a decimal needs 1 to \(ColumnType.maxDecimalPrecision) digits and a scale from 0 to its precision",
                                   location: .init(column: field.name))
            }
        }
        guard [.plain, .deltaBinaryPacked].contains(options.integerEncoding) else {
            throw ParquetError(.invalidArgument, "integerEncoding must be PLAIN or DELTA_BINARY_PACKED, not \(options.integerEncoding)")
        }
        guard [.plain, .byteStreamSplit].contains(options.floatingEncoding) else {
            throw ParquetError(.invalidArgument, "floatingEncoding must be PLAIN or BYTE_STREAM_SPLIT, not \(options.floatingEncoding)")
        }
        guard options.dataPageVersion == 1 || options.dataPageVersion == 2 else {
            throw ParquetError(.invalidArgument, "dataPageVersion must be 1 or 2, not \(options.dataPageVersion)")
        }
        guard options.codec == .uncompressed || Codecs.isAvailable(options.codec) else {
            throw ParquetError(.codecUnavailable, "the codec \(options.codec) cannot be used on this machine")
        }
        try output.write(Footer.magic)
    }

    /// Writes `table` to a new file at `path` (replacing an existing one).
    public static func write(_ table: Table, to path: String, options: Options = Options()) throws {
        let writer = try ParquetWriter(path: path, schema: Schema(of: table), options: options)
        try writer.write(table)
        try writer.close()
    }

    /// The bytes of a Parquet file holding `table`.
    public static func encode(_ table: Table, options: Options = Options()) throws -> [UInt8] {
        let writer = try ParquetWriter(output: OutputFile(), schema: Schema(of: table), options: options)
        try writer.write(table)
        try writer.close()
        return writer.output.bytes
    }

    /// Appends the rows of `table`, whose columns must match the schema's names and types in
    /// order. Full row groups are written out as they fill.
    public func write(_ table: Table) throws {
        guard !closed else { throw ParquetError(.invalidArgument, "the writer is closed") }
        guard table.columns.count == schema.fields.count else {
            throw ParquetError(.invalidArgument, "the table has \(table.columns.count) columns but the schema has \(schema.fields.count)")
        }
        for (column, field) in zip(table.columns, schema.fields) where column.name != field.name || column.type != field.type {
            throw ParquetError(.invalidArgument, "column '\(column.name)' (\(column.type)) does not match the schema's '\(field.name)' (\(field.type))")
        }
        let bytesPerRow = max(1, Self.estimatedBytes(table) / max(1, table.rowCount))
        let rowLimit = max(1, min(options.rowGroupRowLimit, options.rowGroupByteLimit / bytesPerRow))
        var start = 0
        while start < table.rowCount {
            let take = min(rowLimit - pendingRows, table.rowCount - start)
            pending.append((table, start ..< start + take))
            pendingRows += take
            pendingBytes += take * bytesPerRow
            start += take
            if pendingRows >= rowLimit { try flushRowGroup() }
        }
    }

    /// Writes the last row group and the footer, and closes the file; with `sync`, the file
    /// is fsynced first. The writer cannot be used afterwards.
    @discardableResult
    public func close(sync: Bool = false) throws -> FileMetaData {
        guard !closed else { throw ParquetError(.invalidArgument, "the writer is closed") }
        if pendingRows > 0 || rowGroups.isEmpty { try flushRowGroup() }
        closed = true
        let metadata = fileMetaData()
        try output.write(FooterWriter.serialize(metadata))
        try output.close(sync: sync)
        return metadata
    }

    private func fileMetaData() -> FileMetaData {
        var elements = [SchemaElement(name: "schema", numChildren: Int32(schema.fields.count))]
        for field in schema.fields {
            elements.append(field.type.schemaElement(name: field.name, isNullable: field.isNullable))
        }
        let keyValues = options.keyValueMetadata.map { KeyValue(key: $0.key, value: $0.value) }
        return FileMetaData(version: 1, schema: elements, numRows: rowGroups.reduce(0) { $0 + $1.numRows }, rowGroups: rowGroups,
                            keyValueMetadata: keyValues.isEmpty ? nil : keyValues, createdBy: options.createdBy,
                            columnOrders: Array(repeating: .typeDefined, count: schema.fields.count))
    }

    /// Row groups of fewer rows are encoded on the calling thread: starting threads would cost
    /// more than it saves.
    static let parallelRowThreshold = 16_384

    private func flushRowGroup() throws {
        let parts = pending
        pending = []
        let rows = pendingRows
        pendingRows = 0
        pendingBytes = 0
        let groupStart = output.position
        var chunks: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        let fields = schema.fields, options = self.options
        // Columns are encoded independently on one thread per core, each as if it started at
        // offset 0; whichever thread completes the next chunk in schema order writes it (and any
        // finished ones after it) while the others keep encoding, so the file's write(2)s
        // overlap the encoding. Page offsets move to where each chunk lands.
        let threads = rows < Self.parallelRowThreshold ? 1 : max(1, min(Parallel.processorCount, fields.count))
        let drain = ChunkDrain(output: output, count: fields.count)
        let encode: @Sendable (Int) -> Void = { index in
            guard !drain.failed else { return }
            var writer = ColumnChunkWriter(field: fields[index], options: options)
            let segments = parts.map { ColumnSegment(column: $0.table.columns[index], rows: $0.rows) }
            drain.finish(index, Result {
                let (bytes, metadata) = try writer.write(segments, fileOffset: 0)
                return EncodedChunk(bytes: bytes, metadata: metadata)
            }.mapError { ($0 as? ParquetError) ?? ParquetError(.invalidArgument, "\($0)") })
        }
        if threads == 1 {
            for index in fields.indices { encode(index) }
        } else {
            Parallel.forEach(fields.count, threads: threads, encode)
        }
        if let (index, error) = drain.error {
            throw error.adding(.init(file: nil, rowGroup: rowGroups.count, column: fields[index].name))
        }
        guard drain.chunks.count == fields.count else {
            throw ParquetError(.invalidArgument, "\(fields.count - drain.chunks.count) columns were not encoded", location: .init(rowGroup: rowGroups.count))
        }
        for metadata in drain.chunks {
            uncompressed += metadata.totalUncompressedSize
            chunks.append(ColumnChunk(fileOffset: 0, metaData: metadata))
        }
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: uncompressed, numRows: Int64(rows),
                                  fileOffset: Int64(groupStart), totalCompressedSize: Int64(output.position - groupStart),
                                  ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
    }

    /// A rough uncompressed size of `table`, to bound row groups by bytes.
    private static func estimatedBytes(_ table: Table) -> Int {
        table.columns.reduce(0) { total, column in
            switch column.values {
            case .bool(let v): total + v.count / 8 + 1
            case .int32(let v): total + v.count * 4
            case .float(let v): total + v.count * 4
            case .int64(let v): total + v.count * 8
            case .double(let v): total + v.count * 8
            case .bytes(let v): total + v.bytes.count + v.count * 4
            }
        }
    }
}

/// One column chunk encoded as if it started at offset 0: its pages (dictionary page first)
/// and its metadata.
private struct EncodedChunk: Sendable {
    var bytes: ChunkBytes
    var metadata: ColumnMetaData
}

/// Writes a row group's encoded chunks to the file in schema order as the encoding threads
/// finish them.
///
/// A thread that finishes a chunk parks it, then, unless another thread is writing, writes
/// every chunk that is next in order. The write itself happens outside the lock, so the other
/// threads keep encoding (and parking their chunks) meanwhile.
///
/// `@unchecked Sendable` is sound: every stored property but the constants is read and written
/// only with `lock` held, and `output` is used only by the one thread that set `writing`.
private final class ChunkDrain: @unchecked Sendable {
    private let lock = Lock()
    private let output: OutputFile
    private var waiting: [EncodedChunk?]
    private var next = 0
    private var writing = false
    private var written: [ColumnMetaData] = []
    private var firstError: (Int, ParquetError)?

    init(output: OutputFile, count: Int) {
        self.output = output
        waiting = Array(repeating: nil, count: count)
    }

    /// Whether a chunk failed to encode or write (the other threads then stop early).
    var failed: Bool { lock.withLock { firstError != nil } }
    /// The first failure: the column's index and the error.
    var error: (Int, ParquetError)? { lock.withLock { firstError } }
    /// The metadata of the chunks written, in schema order, with their offsets in the file.
    var chunks: [ColumnMetaData] { lock.withLock { written } }

    /// Records chunk `index` and writes every chunk that is now next in order, unless another
    /// thread is writing (which then writes them).
    func finish(_ index: Int, _ result: Result<EncodedChunk, ParquetError>) {
        let parked: Bool = lock.withLock {
            guard firstError == nil else { return false }
            switch result {
            case .success(let chunk): waiting[index] = chunk; return true
            case .failure(let error): firstError = (index, error); return false
            }
        }
        guard parked else { return }
        while true {
            let taken: (Int, EncodedChunk)? = lock.withLock {
                guard !writing, firstError == nil, next < waiting.count, var chunk = waiting[next] else { return nil }
                waiting[next] = nil
                writing = true
                let offset = Int64(output.position)
                chunk.metadata.dataPageOffset += offset
                chunk.metadata.dictionaryPageOffset = chunk.metadata.dictionaryPageOffset.map { $0 + offset }
                return (next, chunk)
            }
            guard let (position, chunk) = taken else { return }
            do {
                // One writev(2) for the chunk's pieces, borrowed values included.
                try chunk.bytes.withBuffers { try output.write(vectored: $0) }
            } catch {
                lock.withLock {
                    firstError = (position, (error as? ParquetError) ?? ParquetError(.io, "\(error)"))
                    writing = false
                }
                return
            }
            lock.withLock {
                written.append(chunk.metadata)
                next += 1
                writing = false
            }
        }
    }
}
