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
/// done because the dictionary page must come first.
package struct ColumnChunkWriter {
    let field: Schema.Field
    let options: ParquetWriter.Options

    private var pages: [UInt8] = []
    private var body: [UInt8] = []
    private var compressed: [UInt8] = []
    private var indices: [UInt32] = []
    private var rowIndices: [Int] = []
    private var uncompressedTotal = 0
    private var dictionaryEncodedPages = 0
    private var plainPages = 0

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

    /// A writer for `field`'s chunk.
    package init(field: Schema.Field, options: ParquetWriter.Options) {
        self.field = field
        self.options = options
        if options.dictionary {
            switch field.type.storage {
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
    package mutating func write(_ segments: [ColumnSegment], fileOffset: Int) throws -> (dictionaryPage: [UInt8], dataPages: [UInt8], metadata: ColumnMetaData) {
        var rowCount = 0
        for segment in segments {
            if !field.isNullable, segment.column.nullCount > 0 {
                throw ParquetError(.invalidArgument, "column '\(field.name)' is not nullable but holds \(segment.column.nullCount) nulls",
                                   context: .init(column: field.name))
            }
            var start = segment.rows.lowerBound
            while start < segment.rows.upperBound {
                let end = pageEnd(segment.column, from: start, limit: segment.rows.upperBound)
                try writePage(segment.column, rows: start ..< end)
                start = end
            }
            rowCount += segment.rows.count
        }
        var chunk: [UInt8] = []
        var encodings: [Encoding] = [.plain, .rle]
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
        var statistics: Statistics?
        if options.statistics {
            let computed = ChunkStatistics(segments)
            let signed = ChunkStatistics.hasSignedOrder(field.type)
            statistics = Statistics(max: signed ? computed.max : nil, min: signed ? computed.min : nil,
                                    nullCount: Int64(computed.nullCount), maxValue: computed.max, minValue: computed.min,
                                    isMaxValueExact: computed.max == nil ? nil : true, isMinValueExact: computed.min == nil ? nil : true)
        }
        let metadata = ColumnMetaData(
            type: field.type.parquetAnnotation.physical, encodings: encodings, pathInSchema: [field.name], codec: options.codec,
            numValues: Int64(rowCount), totalUncompressedSize: Int64(uncompressedTotal), totalCompressedSize: Int64(chunk.count + pages.count),
            dataPageOffset: Int64(dataOffset), dictionaryPageOffset: dictionaryOffset, statistics: statistics)
        return (chunk, pages, metadata)
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
            levels.finishLengthPrefixed(into: &body)
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
        let header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0,
                                dataPageHeader: DataPageHeader(numValues: Int32(rows.count), encoding: encoding,
                                                               definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
        var output = pages
        pages = []
        defer { pages = output }
        try appendPage(header, to: &output)
    }

    /// Appends the values of the page to `body` and returns their encoding.
    private mutating func encodeValues(_ column: Column, rows: Range<Int>, nonNull: Int, useIndices: Bool) throws -> Encoding {
        if try encodeWithDictionary(column, rows: rows, nonNull: nonNull, useIndices: useIndices) {
            dictionaryEncodedPages += 1
            return .rleDictionary
        }
        plainPages += 1
        let positionsArray = rowIndices
        positionsArray.withUnsafeBufferPointer { positions in
            switch column.values {
            case .bool(let v): v.withUnsafeBufferPointer { b in
                if useIndices { PlainEncoder.encodeBooleans(b, indices: positions, into: &body) } else { PlainEncoder.encodeBooleans(UnsafeBufferPointer(rebasing: b[rows]), into: &body) }
            }
            case .int32(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .int64(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .float(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .double(let v): Self.plain(v, rows, useIndices, positions, &body)
            case .bytes(let v): PlainEncoder.encodeByteArrays(v, indices: positions, into: &body)
            }
        }
        return .plain
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
        func gather<T: PlainFixedWidthValue>(_ builder: inout DictionaryBuilder<T>, _ values: [T]) {
            values.withUnsafeBufferPointer { buffer in
                if useIndices {
                    for row in rowIndices { indices.append(builder.index(for: buffer[row])) }
                } else {
                    builder.indices(for: UnsafeBufferPointer(rebasing: buffer[rows]), into: &indices)
                }
            }
        }
        switch (current, column.values) {
        case (.int32(var b), .int32(let v)): gather(&b, v); current = .int32(b)
        case (.int64(var b), .int64(let v)): gather(&b, v); current = .int64(b)
        case (.float(var b), .float(let v)): gather(&b, v); current = .float(b)
        case (.double(var b), .double(let v)): gather(&b, v); current = .double(b)
        case (.bytes(var b), .bytes(let v)):
            // Consecutive equal values (a constant run_id, a repeated tag) skip the hash lookup.
            v.bytes.withUnsafeBytes { data in
                v.offsets.withUnsafeBufferPointer { offsets in
                    var previousStart = -1, previousLength = -1
                    var previousIndex: UInt32 = 0
                    for row in rowIndices {
                        let start = offsets[row], length = offsets[row + 1] - start
                        if length == previousLength, memcmp(data.baseAddress! + start, data.baseAddress! + previousStart, length) == 0 {
                            indices.append(previousIndex)
                            continue
                        }
                        previousIndex = b.index(for: UnsafeRawBufferPointer(rebasing: data[start ..< start + length]))
                        previousStart = start
                        previousLength = length
                        indices.append(previousIndex)
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

    /// Compresses `body`, then appends the page's header (with its sizes) and the compressed bytes.
    private mutating func appendPage(_ header: PageHeader, to output: inout [UInt8]) throws {
        var header = header
        compressed.removeAll(keepingCapacity: true)
        try body.withUnsafeBytes { raw in
            try Codecs.compress(options.codec, raw, level: options.compressionLevel, into: &compressed)
        }
        guard body.count <= Int(Int32.max), compressed.count <= Int(Int32.max) else {
            throw ParquetError(.limitExceeded, "a page of column '\(field.name)' would exceed 2 GiB; lower dataPageSize")
        }
        header.uncompressedPageSize = Int32(body.count)
        header.compressedPageSize = Int32(compressed.count)
        if options.pageChecksums {
            header.crc = compressed.withUnsafeBytes { Int32(bitPattern: CRC32.checksum($0)) }
        }
        let headerStart = output.count
        header.append(to: &output)
        uncompressedTotal += output.count - headerStart + body.count
        output.append(contentsOf: compressed)
    }
}
