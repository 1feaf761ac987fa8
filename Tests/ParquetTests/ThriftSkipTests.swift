import Testing
@testable import Parquet

/// A struct field whose wire type is not the one `parquet.thrift` gives it is skipped, as Apache
/// Thrift's generated readers (and so pyarrow) skip it; some parquet-mr 1.12 pre-release writers
/// put such fields in `ColumnMetaData`. Footers and page headers of real files are edited with
/// `ThriftTree`: a known field is added with every other wire type, in every position.
@Suite("Thrift compact: mistyped fields are skipped")
struct ThriftSkipTests {
    /// Reads `{1: i32, 2: i32}` with the typed readers; returns the fields that were read.
    static func readTwoI32s(_ bytes: [UInt8]) throws -> [Int16: Int32] {
        try ThriftTesting.read(bytes) { reader in
            var fields: [Int16: Int32] = [:]
            try reader.readStruct { reader, field in
                switch field.id {
                case 1, 2: fields[field.id] = try reader.readI32(field, "Test.field")
                default: try reader.skip(field.type)
                }
            }
            #expect(reader.isAtEnd)
            return fields
        }
    }

    @Test("a field of any other wire type is skipped and the next field is read",
          arguments: ThriftTree.samples.filter { $0.type != .i32 })
    func skippedInStruct(sample: ThriftTree) throws {
        let bytes = ThriftTree.structure([(1, sample), (2, .i32(42))]).encoded()
        #expect(try Self.readTwoI32s(bytes) == [2: 42])
    }

    @Test("a mistyped field inside a nested struct does not end the outer struct",
          arguments: ThriftTree.samples.filter { $0.type != .i32 })
    func skippedInNestedStruct(sample: ThriftTree) throws {
        let inner = ThriftTree.structure([(1, sample), (2, .i32(7))])
        let bytes = ThriftTree.structure([(3, inner), (4, .i32(9))]).encoded()
        let (innerFields, outer) = try ThriftTesting.read(bytes) { reader in
            var innerFields: [Int16: Int32] = [:], outer: Int32?
            try reader.readStruct { reader, field in
                switch field.id {
                case 3: try reader.readStruct(field, "Outer.inner") { reader in
                    try reader.readStruct { reader, field in innerFields[field.id] = try reader.readI32(field, "Inner.field") }
                }
                case 4: outer = try reader.readI32(field, "Outer.last")
                default: try reader.skip(field.type)
                }
            }
            return (innerFields, outer)
        }
        #expect(innerFields == [2: 7])
        #expect(outer == 9)
    }

    @Test("a bool field of another wire type is skipped", arguments: ThriftTree.samples.filter { !$0.type.isBool })
    func boolSkipped(sample: ThriftTree) throws {
        // DictionaryPageHeader {1: i32 num_values, 2: i32 encoding, 3: optional bool is_sorted}
        let good = ThriftTree.structure([(1, .i32(5)), (2, .i32(0)), (3, .bool(true))]).encoded()
        let mistyped = ThriftTree.structure([(1, .i32(5)), (2, .i32(0)), (3, sample)]).encoded()
        #expect(try ThriftTesting.read(good) { try DictionaryPageHeader(from: &$0) }.isSorted == true)
        let header = try ThriftTesting.read(mistyped) { try DictionaryPageHeader(from: &$0) }
        #expect(header.numValues == 5)
        #expect(header.isSorted == nil)
    }

    @Test("a required field that was skipped is reported missing")
    func requiredSkippedIsMissing() throws {
        // KeyValue {1: required string key, 2: optional string value}
        let bytes = ThriftTree.structure([(1, .i32(3)), (2, .binary([65]))]).encoded()
        let error = ThriftTesting.error { _ = try ThriftTesting.read(bytes) { try KeyValue(from: &$0) } }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("key") == true)
    }

    // MARK: Files

    /// A small file: two row groups of two columns, dictionary pages off so each chunk starts
    /// with a data page, no page index.
    static func sampleFile() throws -> (bytes: [UInt8], table: Table) {
        let table = try Table(columns: [
            Column(name: "step", int64s: (0 ..< 40).map { Int64($0) }),
            Column(name: "host", strings: (0 ..< 40).map { $0 % 3 == 0 ? nil : "h\($0 % 5)" }),
        ])
        var options = ParquetWriter.Options()
        options.dictionary = false
        options.rowGroupRowLimit = 20
        return (try ParquetWriter.encode(table, options: options), table)
    }

    /// The footer of `file` as a tree, and where the footer starts.
    static func footer(of file: [UInt8]) throws -> (ThriftTree, Int) {
        let length = Int(file[file.count - 8]) | Int(file[file.count - 7]) << 8 | Int(file[file.count - 6]) << 16 | Int(file[file.count - 5]) << 24
        let start = file.count - 8 - length
        let (tree, used) = try ThriftTree.decodeStruct(Array(file[start ..< file.count - 8]))
        #expect(used == length)
        return (tree, start)
    }

    /// `file` with its footer replaced by `tree`.
    static func replacingFooter(of file: [UInt8], at start: Int, with tree: ThriftTree) -> [UInt8] {
        let footer = tree.encoded()
        let length = UInt32(footer.count)
        return Array(file[..<start]) + footer + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + Array("PAR1".utf8)
    }

    /// A footer position: where a known, optional field is added to the decoded footer.
    enum Position: String, CaseIterable, CustomStringConvertible {
        /// FileMetaData.footer_signing_key_metadata (9, binary).
        case file
        /// RowGroup.ordinal (7, i16).
        case rowGroup
        /// ColumnChunk.offset_index_length (5, i32).
        case columnChunk
        /// ColumnMetaData.bloom_filter_offset (14, i64).
        case columnMetaData

        var description: String { rawValue }

        /// The field added and its type in the spec.
        var field: (id: Int16, type: ThriftType) {
            switch self {
            case .file: (9, .binary)
            case .rowGroup: (7, .i16)
            case .columnChunk: (5, .i32)
            case .columnMetaData: (14, .i64)
            }
        }

        /// Adds `value` as the position's field in every row group and column chunk.
        func inject(_ value: ThriftTree, into footer: ThriftTree) -> ThriftTree {
            let id = field.id
            if self == .file { return footer.appending(id, value) }
            var footer = footer
            guard case .list(_, let groups)? = footer[4] else { return footer }
            for group in groups.indices {
                var rowGroup = footer[4]![element: group]
                if self == .rowGroup {
                    rowGroup = rowGroup.appending(id, value)
                } else if case .list(_, let chunks)? = rowGroup[1] {
                    for chunk in chunks.indices {
                        var columnChunk = rowGroup[1]![element: chunk]
                        if self == .columnChunk {
                            columnChunk = columnChunk.appending(id, value)
                        } else {
                            columnChunk[3] = columnChunk[3]!.appending(id, value)
                        }
                        rowGroup[1]![element: chunk] = columnChunk
                    }
                }
                footer[4]![element: group] = rowGroup
            }
            return footer
        }
    }

    /// Every (position, sample) pair whose sample's wire type is not the field's.
    static let footerCases: [(Position, ThriftTree)] = Position.allCases.flatMap { position in
        ThriftTree.samples.filter { !$0.type.matches(position.field.type) }.map { (position, $0) }
    }

    @Test("the footer's tree encodes back to the same bytes")
    func treeRoundTrip() throws {
        let (file, _) = try Self.sampleFile()
        let (tree, start) = try Self.footer(of: file)
        #expect(tree.encoded() == Array(file[start ..< file.count - 8]))
    }

    @Test("a mistyped field in a footer struct is skipped: same metadata, same table",
          arguments: footerCases)
    func footerField(position: Position, sample: ThriftTree) throws {
        let (file, table) = try Self.sampleFile()
        let (tree, start) = try Self.footer(of: file)
        let crafted = Self.replacingFooter(of: file, at: start, with: position.inject(sample, into: tree))
        #expect(crafted.count > file.count)
        let original = try ParquetReader(bytes: file)
        let reader = try ParquetReader(bytes: crafted)
        #expect(reader.metadata == original.metadata)
        #expect(try reader.read() == table)
    }

    @Test("the field in its own wire type is read, so the skip is what the test sees")
    func footerFieldOfRightType() throws {
        let (file, _) = try Self.sampleFile()
        let (tree, start) = try Self.footer(of: file)
        let crafted = Self.replacingFooter(of: file, at: start, with: Position.rowGroup.inject(.i16(3), into: tree))
        let reader = try ParquetReader(bytes: crafted)
        #expect(reader.metadata.rowGroups.map(\.ordinal) == [3, 3])
    }

    /// `file` with the page header at `offset` replaced by `header`, and the footer's offsets
    /// and sizes after it moved by the difference in length.
    static func replacingPageHeader(of file: [UInt8], at offset: Int, oldLength: Int, with header: [UInt8]) throws -> [UInt8] {
        let delta = header.count - oldLength
        let (footer, start) = try footer(of: file)
        var tree = footer
        let shift: (inout ThriftTree, Int16) -> Void = { node, id in
            if case .i64(let value)? = node[id], value > offset { node[id] = .i64(value + Int64(delta)) }
        }
        guard case .list(_, let groups)? = tree[4] else { throw ParquetError.corrupt("no row groups") }
        for group in groups.indices {
            var rowGroup = tree[4]![element: group]
            var containsPage = false
            guard case .list(_, let chunks)? = rowGroup[1] else { continue }
            for chunk in chunks.indices {
                var columnChunk = rowGroup[1]![element: chunk]
                var meta = columnChunk[3]!
                guard case .i64(let dataOffset)? = meta[9], case .i64(let size)? = meta[7] else { continue }
                if dataOffset <= offset && offset < dataOffset + size {
                    meta.add(Int64(delta), to: 6)
                    meta.add(Int64(delta), to: 7)
                    containsPage = true
                }
                for id: Int16 in [9, 10, 11, 14] { shift(&meta, id) }
                columnChunk[3] = meta
                for id: Int16 in [2, 4, 6] { shift(&columnChunk, id) }
                rowGroup[1]![element: chunk] = columnChunk
            }
            if containsPage {
                rowGroup.add(Int64(delta), to: 2)
                rowGroup.add(Int64(delta), to: 6)
            }
            shift(&rowGroup, 5)
            tree[4]![element: group] = rowGroup
        }
        let body = Array(file[..<offset]) + header + Array(file[(offset + oldLength) ..< start])
        return replacingFooter(of: body, at: body.count, with: tree)
    }

    @Test("a mistyped field in a page header is skipped: the pages read the same",
          arguments: ThriftTree.samples.filter { !$0.type.matches(.i32) })
    func pageHeaderField(sample: ThriftTree) throws {
        let (file, table) = try Self.sampleFile()
        let original = try ParquetReader(bytes: file)
        // The second row group's "host" chunk: a page in the middle of the file.
        let offset = Int(original.metadata.rowGroups[1].columns[1].metaData!.dataPageOffset)
        let (header, used) = try ThriftTree.decodeStruct(Array(file[offset...]))
        #expect(header.encoded() == Array(file[offset ..< offset + used]))
        // PageHeader.crc (4) is an i32.
        let crafted = try Self.replacingPageHeader(of: file, at: offset, oldLength: used, with: header.appending(4, sample).encoded())
        #expect(crafted.count > file.count)
        #expect(try ParquetReader(bytes: crafted).read() == table)
        let page = try PageHeader.decode(from: Array(crafted[offset...])).header
        #expect(page == (try PageHeader.decode(from: Array(file[offset...])).header))
    }
}
