#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes the rows of one column for one row group: an optional dictionary page, then v1
/// data pages, each `[PageHeader][compressed body]`.
///
/// ```
/// data page body:  [u32 len][definition levels, RLE/bit-packed]  (OPTIONAL columns only)
///                  [values: PLAIN, or 1 byte bit width + RLE/bit-packed dictionary indices]
/// ```
/// The dictionary is built while the pages are cut; pages stay in memory until the chunk is
/// done because the dictionary page must come first. Pages stored UNCOMPRESSED whose values
/// are PLAIN fixed-width values without nulls borrow those values from the table
/// (``ChunkBytes``) instead of copying them.
package struct ColumnChunkWriter {
    let field: Schema.Field
    let options: ParquetWriter.Options

    private var pages = ChunkBytes()
    private var body: [UInt8] = []
    /// The codec's output for one page; for SNAPPY a buffer kept at its largest size, which
    /// the encoder fills in place.
    private var compressed: [UInt8] = []
    /// The values of the current page when they are stored as they are in the table: the
    /// page's body is `body` (its levels) followed by these bytes.
    private var borrowedValues: (values: ColumnValues, bytes: Range<Int>)?
    /// The index of the segment being encoded.
    private var segmentIndex = 0
    private var indices: [UInt32] = []
    private var rowIndices: [Int] = []
    private var uncompressedTotal = 0
    private var dictionaryEncodedPages = 0
    private var plainPages = 0
    /// The chunk's codec: `options.codec`, or UNCOMPRESSED when the first data page shows that
    /// SNAPPY does not pay (`ParquetWriter.Options.uncompressedWhenIncompressible`).
    private var codec: CompressionCodec
    private var codecDecided = false
    /// The smallest first data page that can turn SNAPPY off for its chunk.
    static let incompressibleProbeSize = 64 << 10

    private enum Dictionary {
        case int32(DictionaryBuilder<Int32>)
        case int64(DictionaryBuilder<Int64>)
        case float(DictionaryBuilder<Float>)
        case double(DictionaryBuilder<Double>)
        case bytes(ByteArrayDictionaryBuilder)

        var count: Int {
            switch self {
            case .int32(let d): d.count
            case .int64(let d): d.count
            case .float(let d): d.count
            case .double(let d): d.count
            case .bytes(let d): d.count
            }
        }

        var encodedByteSize: Int {
            switch self {
            case .int32(let d): d.encodedByteSize
            case .int64(let d): d.encodedByteSize
            case .float(let d): d.encodedByteSize
            case .double(let d): d.encodedByteSize
            case .bytes(let d): d.encodedByteSize
            }
        }

        func encodePage(into output: inout [UInt8]) {
            switch self {
            case .int32(let d): d.encodeDictionaryPage(into: &output)
            case .int64(let d): d.encodeDictionaryPage(into: &output)
            case .float(let d): d.encodeDictionaryPage(into: &output)
            case .double(let d): d.encodeDictionaryPage(into: &output)
            case .bytes(let d): d.encodeDictionaryPage(into: &output)
            }
        }
    }

    private var dictionary: Dictionary?
    private var dictionaryAbandoned = false
    /// The non-dictionary encoding of this column's values.
    private let valueEncoding: Encoding
    private var levelBytes: [UInt8] = []
    private var gathered32: [Int32] = []
    private var gathered64: [Int64] = []
    private var gatheredFloats: [Float] = []
    private var gatheredDoubles: [Double] = []
    private var usedEncodings: [Encoding] = []
    /// The FIXED_LEN_BYTE_ARRAY length of the column's values, or nil for other physical types.
    private let fixedLength: Int?

    /// A writer for `field`'s chunk.
    package init(field: Schema.Field, options: ParquetWriter.Options) {
        self.field = field
        self.options = options
        codec = options.codec
        codecDecided = !(options.uncompressedWhenIncompressible && options.codec == .snappy && options.dataPageVersion == 1)
        let annotation = field.type.parquetAnnotation
        let storage: ColumnValues.Kind = switch annotation.physical {
        case .boolean: .bool
        case .int32: .int32
        case .int64, .int96: .int64
        case .float: .float
        case .double: .double
        case .byteArray, .fixedLenByteArray: .bytes
        }
        fixedLength = annotation.physical == .fixedLenByteArray ? Int(field.type.schemaElement(name: field.name, isNullable: true).typeLength ?? 0) : nil
        switch storage {
        case .int32, .int64: valueEncoding = options.integerEncoding
        case .float, .double: valueEncoding = options.floatingEncoding
        case .bool, .bytes: valueEncoding = .plain
        }
        // FIXED_LEN_BYTE_ARRAY values (wide decimals, FLOAT16, UUID) are always PLAIN.
        if options.dictionary && valueEncoding == .plain && fixedLength == nil {
            switch storage {
            case .bool: dictionary = nil
            case .int32: dictionary = .int32(DictionaryBuilder())
            case .int64: dictionary = .int64(DictionaryBuilder())
            case .float: dictionary = .float(DictionaryBuilder())
            case .double: dictionary = .double(DictionaryBuilder())
            case .bytes: dictionary = .bytes(ByteArrayDictionaryBuilder())
            }
        }
    }

    /// Encodes the chunk made of `segments`, which starts at `fileOffset` in the file, and
    /// returns its bytes and metadata.
    package mutating func write(_ segments: [ColumnSegment], fileOffset: Int) throws -> (bytes: ChunkBytes, metadata: ColumnMetaData) {
        var rowCount = 0
        let statisticsSegments = segments
        let segments = try segments.map { segment in
            // A column whose values are converted for writing: only the segment's rows.
            guard segment.column.convertsForWriting, segment.rows != 0 ..< segment.column.count else {
                return ColumnSegment(column: try segment.column.physicalForWriting(), rows: segment.rows)
            }
            return ColumnSegment(column: try segment.column.slice(segment.rows).physicalForWriting(), rows: 0 ..< segment.rows.count)
        }
        for (index, segment) in segments.enumerated() {
            segmentIndex = index
            if !field.isNullable, segment.column.nullCount > 0 {
                throw ParquetError(.invalidArgument, "column '\(field.name)' is not nullable but holds \(segment.column.nullCount) nulls",
                                   location: .init(column: field.name))
            }
            var start = segment.rows.lowerBound
            while start < segment.rows.upperBound {
                let end = pageEnd(segment.column, from: start, limit: segment.rows.upperBound)
                try writePage(segment.column, rows: start ..< end)
                start = end
            }
            rowCount += segment.rows.count
        }
        var chunk = ChunkBytes()
        var encodings: [Encoding] = [.plain, .rle] + usedEncodings.filter { $0 != .plain && $0 != .rleDictionary }
        var dictionaryOffset: Int64?
        if let dictionary, dictionaryEncodedPages > 0 {
            body.removeAll(keepingCapacity: true)
            dictionary.encodePage(into: &body)
            let header = PageHeader(type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                    dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(dictionary.count), encoding: .plain))
            try appendPage(header, to: &chunk)
            dictionaryOffset = Int64(fileOffset)
            encodings.append(.rleDictionary)
        }
        let dataOffset = fileOffset + chunk.count
        let dictionaryBytes = chunk.count
        var statistics: Statistics?
        if options.statistics {
            // A byte-array chunk whose every page used the dictionary: its entries are exactly
            // the distinct values (a constant run_id: one entry instead of a million rows).
            var distinctBytes: ByteArrays?
            if plainPages == 0, dictionaryEncodedPages > 0, case .bytes(let builder) = dictionary { distinctBytes = builder.values }
            let computed = ChunkStatistics(statisticsSegments, distinctBytes: distinctBytes)
            let signed = ChunkStatistics.hasSignedOrder(field.type)
            statistics = Statistics(max: signed ? computed.max : nil, min: signed ? computed.min : nil,
                                    nullCount: Int64(computed.nullCount), maxValue: computed.max, minValue: computed.min,
                                    isMaxValueExact: computed.max == nil ? nil : true, isMinValueExact: computed.min == nil ? nil : true)
        }
        let metadata = ColumnMetaData(
            type: field.type.parquetAnnotation.physical, encodings: encodings, pathInSchema: [field.name], codec: codec,
            numValues: Int64(rowCount), totalUncompressedSize: Int64(uncompressedTotal), totalCompressedSize: Int64(dictionaryBytes + pages.count),
            dataPageOffset: Int64(dataOffset), dictionaryPageOffset: dictionaryOffset, statistics: statistics)
        var bytes = pages
        pages = ChunkBytes()
        bytes.prepend(chunk)
        return (bytes, metadata)
    }

    /// The end of the page starting at `start`: at most `dataPageRowLimit` rows and about
    /// `dataPageSize` bytes of values.
    private func pageEnd(_ column: Column, from start: Int, limit: Int) -> Int {
        let byRows = min(limit, start + max(1, options.dataPageRowLimit))
        switch column.values {
        case .bytes(let values):
            var end = start
            let budget = values.offsets[start] + options.dataPageSize
            while end < byRows && (end == start || values.offsets[end] < budget) { end += 1 }
            return end
        case .bool: return byRows
        case .int32, .float: return min(byRows, start + max(1, options.dataPageSize / 4))
        case .int64, .double: return min(byRows, start + max(1, options.dataPageSize / 8))
        }
    }

    private mutating func writePage(_ column: Column, rows: Range<Int>) throws {
        body.removeAll(keepingCapacity: true)
        // Definition levels: 1 for a value, 0 for a null, as RLE runs behind a 4-byte length.
        var nonNull = rows.count
        if field.isNullable {
            var levels = RLEHybridEncoder(bitWidth: 1)
            if let validity = column.validity {
                validity.forEachRun(in: rows) { valid, length in
                    levels.append(valid ? 1 : 0, count: length)
                    if !valid { nonNull -= length }
                }
            } else {
                levels.append(1, count: rows.count)
            }
            levelBytes.removeAll(keepingCapacity: true)
            if options.dataPageVersion == 2 { levels.finish(into: &levelBytes) } else { levels.finishLengthPrefixed(into: &body) }
        } else {
            levelBytes.removeAll(keepingCapacity: true)
        }
        rowIndices.removeAll(keepingCapacity: true)
        let needsIndices = nonNull != rows.count || column.type.storage == .bytes
        if needsIndices {
            if let validity = column.validity {
                for row in rows where validity.isValid(row) { rowIndices.append(row) }
            } else {
                rowIndices.append(contentsOf: rows)
            }
        }
        let encoding = try encodeValues(column, rows: rows, nonNull: nonNull, useIndices: nonNull != rows.count)
        if !usedEncodings.contains(encoding) { usedEncodings.append(encoding) }
        let header: PageHeader
        if options.dataPageVersion == 2 {
            header = PageHeader(type: .dataPageV2, uncompressedPageSize: 0, compressedPageSize: 0,
                                dataPageHeaderV2: DataPageHeaderV2(numValues: Int32(rows.count), numNulls: Int32(rows.count - nonNull),
                                                                   numRows: Int32(rows.count), encoding: encoding,
                                                                   definitionLevelsByteLength: Int32(levelBytes.count)))
        } else {
            header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                dataPageHeader: DataPageHeader(numValues: Int32(rows.count), encoding: encoding,
                                                               definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        }
        var output = pages
        pages = ChunkBytes()
        defer { pages = output }
        if codec == .uncompressed && codecDecided && header.dataPageHeaderV2 == nil {
            try appendRawPage(header, to: &output)
        } else {
            try appendPage(header, to: &output)
        }
    }

    /// Appends the values of the page to `body` and returns their encoding.
    private mutating func encodeValues(_ column: Column, rows: Range<Int>, nonNull: Int, useIndices: Bool) throws -> Encoding {
        if try encodeWithDictionary(column, rows: rows, nonNull: nonNull, useIndices: useIndices) {
            dictionaryEncodedPages += 1
            return .rleDictionary
        }
        plainPages += 1
        if valueEncoding != .plain {
            try encodeNonPlain(column, rows: rows, useIndices: useIndices)
            return valueEncoding
        }
        if !useIndices, borrowsPlainValues, pages.canBorrow(segment: segmentIndex), let bytes = Self.fixedWidthBytes(column.values, rows) {
            borrowedValues = (column.values, bytes)
            return .plain
        }
        let positionsArray = rowIndices
        try positionsArray.withUnsafeBufferPointer { positions in
            switch column.values {
            case .bool(let v): v.withUnsafeBufferPointer { b in
                if useIndices { PlainEncoder.encodeBooleans(b, indices: positions, into: &body) } else { PlainEncoder.encodeBooleans(UnsafeBufferPointer(rebasing: b[rows]), into: &body) }
            }
            case .int32(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .int64(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .float(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .double(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .bytes(let v):
                if let fixedLength {
                    try PlainEncoder.encodeFixedLenByteArrays(v, typeLength: fixedLength, indices: positions, into: &body)
                } else {
                    PlainEncoder.encodeByteArrays(v, indices: positions, into: &body)
                }
            }
        }
        return .plain
    }

    /// Encodes the page's non-null values with DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT,
    /// gathering them first when the page has nulls (both encodings want them contiguous).
    private mutating func encodeNonPlain(_ column: Column, rows: Range<Int>, useIndices: Bool) throws {
        func contiguous<T>(_ values: [T], _ scratch: inout [T], _ body: (UnsafeBufferPointer<T>) -> Void) {
            values.withUnsafeBufferPointer { buffer in
                if useIndices {
                    scratch.removeAll(keepingCapacity: true)
                    for row in rowIndices { scratch.append(buffer[row]) }
                    scratch.withUnsafeBufferPointer(body)
                } else {
                    body(UnsafeBufferPointer(rebasing: buffer[rows]))
                }
            }
        }
        var out = body
        body = []
        defer { body = out }
        switch (column.values, valueEncoding) {
        case (.int32(let v), .deltaBinaryPacked): contiguous(v, &gathered32) { DeltaBinaryPackedEncoder.encode($0, into: &out) }
        case (.int64(let v), .deltaBinaryPacked): contiguous(v, &gathered64) { DeltaBinaryPackedEncoder.encode($0, into: &out) }
        case (.float(let v), .byteStreamSplit): contiguous(v, &gatheredFloats) { ByteStreamSplitEncoder.encode($0, into: &out) }
        case (.double(let v), .byteStreamSplit): contiguous(v, &gatheredDoubles) { ByteStreamSplitEncoder.encode($0, into: &out) }
        default: throw ParquetError(.invalidArgument, "column '\(field.name)' of type \(field.type) cannot be encoded as \(valueEncoding)")
        }
    }

    /// Whether PLAIN pages of fixed-width values without nulls are written from the table's
    /// memory: when they go to the file as they are (UNCOMPRESSED v1 pages without checksums,
    /// little-endian values).
    private var borrowsPlainValues: Bool {
        #if _endian(little)
        codecDecided && codec == .uncompressed && options.dataPageVersion == 1 && !options.pageChecksums
        #else
        false
        #endif
    }

    /// The bytes of rows `rows` in fixed-width `values`, or nil for booleans and byte arrays.
    private static func fixedWidthBytes(_ values: ColumnValues, _ rows: Range<Int>) -> Range<Int>? {
        let width: Int
        switch values {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .bool, .bytes: return nil
        }
        return rows.lowerBound * width ..< rows.upperBound * width
    }

    private static func plain<T: PlainFixedWidthValue>(_ values: [T], _ rows: Range<Int>, _ useIndices: Bool, _ positions: UnsafeBufferPointer<Int>, _ body: inout [UInt8]) {
        values.withUnsafeBufferPointer { buffer in
            if useIndices {
                PlainEncoder.encode(buffer, indices: positions, into: &body)
            } else {
                PlainEncoder.encode(UnsafeBufferPointer(rebasing: buffer[rows]), into: &body)
            }
        }
    }

    /// Dictionary-encodes the page when the chunk still uses a dictionary; returns false (and
    /// leaves `body` as it was) when it does not.
    private mutating func encodeWithDictionary(_ column: Column, rows: Range<Int>, nonNull: Int, useIndices: Bool) throws -> Bool {
        guard var current = dictionary, !dictionaryAbandoned else { return false }
        dictionary = nil  // keep the builder uniquely referenced while it grows
        indices.removeAll(keepingCapacity: true)
        // On the first page, a dictionary of more than half as many entries as values is
        // dropped (below): the lookups stop as soon as it gets there (at 10,001 of 20,000
        // distinct doubles, say), which decides the same as finishing the page.
        let stopAbove = dictionaryEncodedPages == 0 && plainPages == 0 && nonNull > 16 ? nonNull / 2 : Int.max
        func gather<T: PlainFixedWidthValue>(_ builder: inout DictionaryBuilder<T>, _ values: [T]) {
            values.withUnsafeBufferPointer { buffer in
                if useIndices {
                    for row in rowIndices {
                        indices.append(builder.index(for: buffer[row]))
                        if builder.count > stopAbove { return }
                    }
                } else {
                    builder.indices(for: UnsafeBufferPointer(rebasing: buffer[rows]), into: &indices, stoppingAbove: stopAbove)
                }
            }
        }
        switch (current, column.values) {
        case (.int32(var b), .int32(let v)): gather(&b, v); current = .int32(b)
        case (.int64(var b), .int64(let v)): gather(&b, v); current = .int64(b)
        case (.float(var b), .float(let v)): gather(&b, v); current = .float(b)
        case (.double(var b), .double(let v)): gather(&b, v); current = .double(b)
        case (.bytes(var b), .bytes(let v)):
            // Consecutive equal values (a constant run_id, a repeated tag) skip the hash lookup:
            // a run of them is counted, then its indices appended at once.
            let rowList = rowIndices
            v.bytes.withUnsafeBytes { data in
                v.offsets.withUnsafeBufferPointer { offsets in
                    rowList.withUnsafeBufferPointer { rows in
                        indices.reserveCapacity(rows.count)
                        var previousStart = 0, previousEnd = -1
                        var previousIndex: UInt32 = 0
                        var run = 0
                        for row in rows {
                            let start = offsets[row], end = offsets[row + 1]
                            if ByteComparison.equal(data, start, end, previousStart, previousEnd) {
                                run += 1
                                continue
                            }
                            if run > 0 { indices.append(contentsOf: repeatElement(previousIndex, count: run)) }
                            previousIndex = b.index(for: UnsafeRawBufferPointer(rebasing: data[start ..< end]))
                            if b.count > stopAbove { return }
                            previousStart = start
                            previousEnd = end
                            run = 1
                        }
                        if run > 0 { indices.append(contentsOf: repeatElement(previousIndex, count: run)) }
                    }
                }
            }
            current = .bytes(b)
        default:
            dictionaryAbandoned = true
            return false
        }
        dictionary = current
        // A dictionary that does not pay on the first page is dropped for the whole chunk; one
        // that outgrows its limit stops growing and the remaining pages are PLAIN.
        if dictionaryEncodedPages == 0 && plainPages == 0 && current.count * 2 > max(nonNull, 1) && nonNull > 16 {
            dictionaryAbandoned = true
            dictionary = nil
            return false
        }
        if current.encodedByteSize > options.dictionaryPageSizeLimit && dictionaryEncodedPages > 0 {
            dictionaryAbandoned = true
            return false
        }
        indices.withUnsafeBufferPointer { buffer in
            RLEHybridEncoder.encodeDictionaryIndices(buffer, dictionaryCount: current.count, into: &body)
        }
        if current.encodedByteSize > options.dictionaryPageSizeLimit { dictionaryAbandoned = true }
        return true
    }

    /// Compresses `body`, then appends the page's header (with its sizes) and the bytes: for
    /// a v2 page the definition levels (`levelBytes`) go first and stay uncompressed.
    private mutating func appendPage(_ header: PageHeader, to output: inout ChunkBytes) throws {
        if let (values, bytes) = borrowedValues {
            // Not reached (borrowing implies a raw page); kept so no values are ever lost.
            borrowedValues = nil
            values.withUnsafeFixedWidthBytes { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[bytes])) }
        }
        var header = header
        let isV2 = header.dataPageHeaderV2 != nil
        let bodyStart = output.buffer.count
        if isV2 { output.buffer.append(contentsOf: levelBytes) }
        try body.withUnsafeBytes { raw in
            if codec == .snappy, let capacity = Codecs.inPlaceCapacity(codec, raw.count) {
                // Straight into a buffer kept at its largest size: no allocation per page.
                if compressed.count < capacity { compressed = [UInt8](repeating: 0, count: capacity) }
                let size = try compressed.withUnsafeMutableBytes { try Codecs.compress(codec, raw, into: $0) }
                try finishPage(raw, compressedCount: size, isFirstProbe: !codecDecided, output: &output)
            } else {
                compressed.removeAll(keepingCapacity: true)
                try Codecs.compress(codec, raw, level: options.compressionLevel, into: &compressed)
                try finishPage(raw, compressedCount: compressed.count, isFirstProbe: !codecDecided, output: &output)
            }
        }
        let uncompressedSize = body.count + (isV2 ? levelBytes.count : 0)
        let storedSize = output.buffer.count - bodyStart
        guard uncompressedSize <= Int(Int32.max), storedSize <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of column '\(field.name)' would exceed 2 GiB; lower dataPageSize")
        }
        header.uncompressedPageSize = Int32(uncompressedSize)
        header.compressedPageSize = Int32(storedSize)
        if options.pageChecksums {
            header.crc = output.buffer.withUnsafeBytes { Int32(bitPattern: CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[bodyStart...]))) }
        }
        let headerStart = output.buffer.count
        header.append(to: &output.buffer)
        uncompressedTotal += output.buffer.count - headerStart + uncompressedSize
        output.appendPiece(headerStart ..< output.buffer.count)
        output.appendPiece(bodyStart ..< headerStart)
    }

    /// Appends the codec's output (the first `compressedCount` bytes of `compressed`) to
    /// `output.buffer`, or `raw` itself when this first data page shows that the codec does not
    /// pay: values SNAPPY shrinks by less than 1/32 (random doubles) are stored as they are, so
    /// that writing skips the compressor and every reader skips the decompressor; the codec is
    /// per chunk, which every reader honours. Small pages (levels only, dictionary indices)
    /// are left to the codec.
    private mutating func finishPage(_ raw: UnsafeRawBufferPointer, compressedCount: Int, isFirstProbe: Bool, output: inout ChunkBytes) throws {
        if isFirstProbe {
            codecDecided = true
            if raw.count >= Self.incompressibleProbeSize && compressedCount >= raw.count - raw.count / 32 {
                codec = .uncompressed
                output.buffer.append(contentsOf: raw)
                return
            }
        }
        compressed.withUnsafeBytes { output.buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[..<compressedCount])) }
    }

    /// Appends a v1 page stored UNCOMPRESSED: `body` (and the borrowed values, if any) go
    /// straight after the header, without passing through the codec's buffer.
    private mutating func appendRawPage(_ header: PageHeader, to output: inout ChunkBytes) throws {
        let borrowed = borrowedValues
        borrowedValues = nil
        let size = body.count + (borrowed?.bytes.count ?? 0)
        guard size <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of column '\(field.name)' would exceed 2 GiB; lower dataPageSize")
        }
        var header = header
        header.uncompressedPageSize = Int32(size)
        header.compressedPageSize = Int32(size)
        if options.pageChecksums {
            // Never with borrowed values (`borrowsPlainValues`): the body is all of the page.
            header.crc = body.withUnsafeBytes { Int32(bitPattern: CRC32.checksum($0)) }
        }
        let headerStart = output.buffer.count
        header.append(to: &output.buffer)
        uncompressedTotal += output.buffer.count - headerStart + size
        output.buffer.append(contentsOf: body)
        output.appendPiece(headerStart ..< output.buffer.count)
        if let (values, bytes) = borrowed {
            output.appendBorrowed(values, bytes: bytes, segment: segmentIndex)
        }
    }
}
