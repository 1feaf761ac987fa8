/// Decodes one column chunk — its dictionary page and data pages — into a `Column`.
///
/// A chunk is a run of pages, each a Thrift `PageHeader` followed by its body:
///
/// ```
/// [PageHeader][dictionary page body]?  [PageHeader][data page body]  [PageHeader][data page body] …
/// v1 data page body (decompressed):  [u32 len][def levels, RLE]? [values]
/// v2 data page body:  [rep levels][def levels] (never compressed)  [values] (compressed if is_compressed)
/// ```
/// Values are decoded densely (nulls have no value) and then spread over the rows by the
/// definition levels. Errors carry the page index and the byte offset in the file.
package struct ColumnChunkReader {
    let leaf: FileSchema.Leaf
    let type: ColumnType
    /// The type the pages decode into (`ColumnType.decodingType(physical:)`), converted to
    /// `type` once the chunk is read.
    let decodingType: ColumnType
    let metadata: ColumnMetaData
    let rowCount: Int
    let rowLimit: Int
    let options: ReadOptions

    private var output: ColumnOutput
    private var dictionary: ColumnOutput?
    private var levels: [UInt32] = []
    private var indices: [UInt32] = []
    private var decompressed: [UInt8] = []

    /// Prepares to read a chunk of `rowCount` rows, stopping once `rowLimit` rows are decoded.
    package init(leaf: FileSchema.Leaf, type: ColumnType, metadata: ColumnMetaData, rowCount: Int, rowLimit: Int, options: ReadOptions) {
        self.leaf = leaf
        self.type = type
        self.metadata = metadata
        self.rowCount = rowCount
        self.rowLimit = min(rowLimit, rowCount)
        self.options = options
        decodingType = type.decodingType(physical: leaf.element.type ?? .byteArray)
        output = ColumnOutput(type: decodingType, capacity: self.rowLimit)
    }

    /// Decodes the chunk whose bytes (page headers and bodies) are `chunk`, which starts at
    /// `fileOffset` in the file.
    package mutating func read(_ chunk: [UInt8], fileOffset: Int) throws -> Column {
        try chunk.withUnsafeBytes { bytes in
            var position = 0
            var pageIndex = 0
            while position < bytes.count && output.rows < rowLimit {
                do {
                    let (header, headerSize) = try PageHeader.decode(from: UnsafeRawBufferPointer(rebasing: bytes[position...]))
                    let compressedSize = Int(header.compressedPageSize)
                    guard compressedSize >= 0, compressedSize <= bytes.count - position - headerSize else {
                        throw ParquetError.corrupt("the page claims \(header.compressedPageSize) bytes but the column chunk has \(bytes.count - position - headerSize) left")
                    }
                    let uncompressedSize = Int(header.uncompressedPageSize)
                    guard uncompressedSize >= 0 else { throw ParquetError.corrupt("the page claims a negative size \(uncompressedSize)") }
                    guard uncompressedSize <= options.maxPageSize else {
                        throw ParquetError(.limitExceeded, "the page claims \(uncompressedSize) bytes uncompressed, more than the limit of \(options.maxPageSize) (ReadOptions.maxPageSize)")
                    }
                    let body = UnsafeRawBufferPointer(rebasing: bytes[position + headerSize ..< position + headerSize + compressedSize])
                    if options.verifyChecksums, let crc = header.crc {
                        let actual = CRC32.checksum(body)
                        guard actual == UInt32(bitPattern: crc) else {
                            throw ParquetError.corrupt("the page's CRC-32 is \(hex(actual)) but its header says \(hex(UInt32(bitPattern: crc)))")
                        }
                    }
                    switch header.type {
                    case .dictionaryPage:
                        guard let dictionaryHeader = header.dictionaryPageHeader else { throw ParquetError.corrupt("a dictionary page has no dictionary page header") }
                        try readDictionaryPage(dictionaryHeader, body: body, uncompressedSize: uncompressedSize)
                    case .dataPage:
                        guard let dataHeader = header.dataPageHeader else { throw ParquetError.corrupt("a data page has no data page header") }
                        try readDataPageV1(dataHeader, body: body, uncompressedSize: uncompressedSize)
                    case .dataPageV2:
                        guard let dataHeader = header.dataPageHeaderV2 else { throw ParquetError.corrupt("a v2 data page has no v2 data page header") }
                        try readDataPageV2(dataHeader, body: body, uncompressedSize: uncompressedSize)
                    case .indexPage, nil:
                        break  // index pages and unknown page types carry no rows
                    }
                    position += headerSize + compressedSize
                    pageIndex += 1
                } catch var error as ParquetError {
                    if let inner = error.location.offset { error.message += " (at byte \(inner) of the page's data)" }
                    error.location.offset = fileOffset + position
                    error.location.page = pageIndex
                    throw error
                }
            }
        }
        guard output.rows >= rowLimit else {
            throw ParquetError.corrupt("the column chunk holds \(output.rows) values but its row group has \(rowCount) rows")
        }
        return try output.finish(name: leaf.name, rows: rowLimit).decoded(as: type)
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    /// Calls `use` with the page body after decompression (`body` itself when uncompressed).
    /// The decompression buffer is reused from page to page.
    private mutating func withPage(_ body: UnsafeRawBufferPointer, uncompressedSize: Int,
                                   _ use: (inout ColumnChunkReader, UnsafeRawBufferPointer) throws -> Void) throws {
        if metadata.codec == .uncompressed {
            guard body.count == uncompressedSize else {
                throw ParquetError.corrupt("an uncompressed page holds \(body.count) bytes but its header says \(uncompressedSize)")
            }
            try use(&self, body)
            return
        }
        var buffer = decompressed
        decompressed = []
        defer { decompressed = buffer }
        if buffer.count < uncompressedSize { buffer = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { $1 = uncompressedSize } }
        let codec = metadata.codec
        try buffer.withUnsafeMutableBytes { whole in
            let target = UnsafeMutableRawBufferPointer(rebasing: whole[0 ..< uncompressedSize])
            try Codecs.decompress(codec, body, into: target)
            try use(&self, UnsafeRawBufferPointer(target))
        }
    }

    private mutating func readDictionaryPage(_ header: DictionaryPageHeader, body: UnsafeRawBufferPointer, uncompressedSize: Int) throws {
        guard dictionary == nil else { throw ParquetError.corrupt("the column chunk has a second dictionary page") }
        guard header.encoding == .plain || header.encoding == .plainDictionary else {
            throw ParquetError.unsupported("a dictionary page encoded as \(header.encoding) (only PLAIN dictionaries exist)")
        }
        let count = Int(header.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("the dictionary page claims \(count) values") }
        guard count <= options.maxValuesPerPage else {
            throw ParquetError(.limitExceeded, "the dictionary page claims \(count) values, more than the limit of \(options.maxValuesPerPage) (ReadOptions.maxValuesPerPage)")
        }
        var values = ColumnOutput(type: decodingType, capacity: 0)
        let physical = leaf.element.type ?? .byteArray
        let typeLength = Int(leaf.element.typeLength ?? 0)
        try withPage(body, uncompressedSize: uncompressedSize) { _, page in
            try values.appendDense(physical: physical, typeLength: typeLength, plain: page, count: count)
        }
        dictionary = values
    }

    private mutating func readDataPageV1(_ header: DataPageHeader, body: UnsafeRawBufferPointer, uncompressedSize: Int) throws {
        let count = try pageValueCount(header.numValues)
        try withPage(body, uncompressedSize: uncompressedSize) { reader, page in
            var valuesStart = 0
            var nonNull = count
            if reader.leaf.maxDefinitionLevel > 0 {
                guard header.definitionLevelEncoding == .rle else {
                    throw ParquetError.unsupported("definition levels encoded as \(header.definitionLevelEncoding)")
                }
                var (decoder, sectionSize) = try RLEHybridDecoder.lengthPrefixed(page, bitWidth: 1)
                nonNull = try reader.decodeLevels(&decoder, count: count)
                valuesStart = sectionSize
            }
            try reader.decodeValues(header.encoding, UnsafeRawBufferPointer(rebasing: page[valuesStart...]), rows: count, nonNull: nonNull, valuesOffset: valuesStart)
        }
    }

    private mutating func readDataPageV2(_ header: DataPageHeaderV2, body: UnsafeRawBufferPointer, uncompressedSize: Int) throws {
        let count = try pageValueCount(header.numValues)
        let repetitionSize = Int(header.repetitionLevelsByteLength), definitionSize = Int(header.definitionLevelsByteLength)
        guard repetitionSize >= 0, definitionSize >= 0, repetitionSize + definitionSize <= body.count,
              repetitionSize + definitionSize <= uncompressedSize else {
            throw ParquetError.corrupt("the v2 page's level sections (\(repetitionSize) + \(definitionSize) bytes) do not fit in its \(body.count) bytes")
        }
        var nonNull = count
        if leaf.maxDefinitionLevel > 0 {
            let section = UnsafeRawBufferPointer(rebasing: body[repetitionSize ..< repetitionSize + definitionSize])
            var decoder = try RLEHybridDecoder(section, bitWidth: 1)
            nonNull = try decodeLevels(&decoder, count: count)
        }
        let levelsSize = repetitionSize + definitionSize
        let valuesBody = UnsafeRawBufferPointer(rebasing: body[levelsSize...])
        let valuesSize = uncompressedSize - levelsSize
        if header.isCompressed {
            try withPage(valuesBody, uncompressedSize: valuesSize) { reader, values in
                try reader.decodeValues(header.encoding, values, rows: count, nonNull: nonNull, valuesOffset: levelsSize)
            }
        } else {
            guard valuesBody.count == valuesSize else {
                throw ParquetError.corrupt("the v2 page's values hold \(valuesBody.count) bytes but its header says \(valuesSize)")
            }
            try decodeValues(header.encoding, valuesBody, rows: count, nonNull: nonNull, valuesOffset: levelsSize)
        }
    }

    private func pageValueCount(_ claimed: Int32) throws -> Int {
        let count = Int(claimed)
        guard count >= 0, count <= rowCount - output.rows else {
            throw ParquetError.corrupt("the page claims \(claimed) values but only \(rowCount - output.rows) rows of the row group remain")
        }
        guard count <= options.maxValuesPerPage else {
            throw ParquetError(.limitExceeded, "the page claims \(count) values, more than the limit of \(options.maxValuesPerPage) (ReadOptions.maxValuesPerPage)")
        }
        return count
    }

    /// Decodes `count` definition levels into `levels` and returns how many are 1 (non-null).
    private mutating func decodeLevels(_ decoder: inout RLEHybridDecoder, count: Int) throws -> Int {
        if levels.count < count { levels = [UInt32](repeating: 0, count: count) }
        return try levels.withUnsafeMutableBufferPointer { buffer in
            let target = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< count])
            try decoder.decode(into: target)
            var nonNull = 0
            for level in target { nonNull &+= Int(level) }
            return nonNull
        }
    }

    private mutating func decodeValues(_ encoding: Encoding, _ values: UnsafeRawBufferPointer, rows: Int, nonNull: Int, valuesOffset: Int) throws {
        let physical = leaf.element.type ?? .byteArray
        let typeLength = Int(leaf.element.typeLength ?? 0)
        let levelSlice: UnsafeBufferPointer<UInt32>? = nonNull == rows ? nil : levels.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[0 ..< rows]) }
        do {
            switch encoding {
            case .plainDictionary, .rleDictionary:
                guard let dictionary else { throw ParquetError.corrupt("a dictionary-encoded page comes without a dictionary page") }
                if nonNull == 0 && values.isEmpty {
                    // A page without values (zero rows, or only nulls) may hold no index data at
                    // all, not even the bit-width byte; pyarrow reads such pages.
                    try output.appendGathered(from: dictionary, indices: UnsafeBufferPointer(start: nil, count: 0), levels: levelSlice, rows: rows)
                    return
                }
                var decoder = try RLEHybridDecoder.dictionaryIndices(values)
                if indices.count < nonNull { indices = [UInt32](repeating: 0, count: nonNull) }
                try indices.withUnsafeMutableBufferPointer { buffer in
                    let target = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< nonNull])
                    try decoder.decode(into: target)
                    try output.appendGathered(from: dictionary, indices: UnsafeBufferPointer(target), levels: levelSlice, rows: rows)
                }
            default:
                try output.append(encoding: encoding, physical: physical, typeLength: typeLength, values, nonNull: nonNull, levels: levelSlice, rows: rows)
            }
        } catch let error as ParquetError {
            throw error.shifted(by: valuesOffset)
        }
    }
}
