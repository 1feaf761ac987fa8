public import Parquet

/// `specimen schema FILE --json`: a Parquet file's columns, row groups and key-value metadata
/// as its footer describes them.
public struct ParquetSchemaDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.parquet-schema/1"

    /// One top-level flat column.
    public struct Column: Codable, Sendable, Equatable {
        /// Its name.
        public var name: String
        /// The type this package reads it as; nil when it cannot.
        public var type: String?
        /// Why it cannot be read (only then present).
        public var unreadableBecause: String?
        /// Its physical type (empty when the footer gives none).
        public var physicalType: String
        /// Its logical type annotation.
        public var logicalType: String?
        /// Its converted type annotation.
        public var convertedType: String?
        /// Whether it may hold nulls.
        public var nullable: Bool

        enum CodingKeys: String, CodingKey {
            case name, type, unreadableBecause = "unreadable_because", physicalType = "physical_type"
            case logicalType = "logical_type", convertedType = "converted_type", nullable
        }

        /// Writes every key (annotations as `null` when absent); `unreadable_because` only
        /// for a column that cannot be read.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(name, forKey: .name)
            try object.encode(type, forKey: .type)
            try object.encodeIfPresent(unreadableBecause, forKey: .unreadableBecause)
            try object.encode(physicalType, forKey: .physicalType)
            try object.encode(logicalType, forKey: .logicalType)
            try object.encode(convertedType, forKey: .convertedType)
            try object.encode(nullable, forKey: .nullable)
        }
    }

    /// One row group.
    public struct RowGroup: Codable, Sendable, Equatable {
        /// One column chunk; every key absent when the chunk carries no metadata.
        public struct Chunk: Codable, Sendable, Equatable {
            /// The column's dotted path.
            public var path: String?
            /// Its compression codec.
            public var codec: String?
            /// The encodings its pages use.
            public var encodings: [String]?
            /// Values in the chunk (nulls included).
            public var numValues: Int64?
            /// Bytes on disk.
            public var compressedSize: Int64?
            /// Bytes uncompressed.
            public var uncompressedSize: Int64?
            /// Nulls, when the statistics say.
            public var nullCount: Int64?

            enum CodingKeys: String, CodingKey {
                case path, codec, encodings, numValues = "num_values", compressedSize = "compressed_size"
                case uncompressedSize = "uncompressed_size", nullCount = "null_count"
            }

            /// Writes every key (`null_count` as `null` when unknown) for a chunk with
            /// metadata, none for one without.
            public func encode(to encoder: any Encoder) throws {
                var object = encoder.container(keyedBy: CodingKeys.self)
                guard let path else { return }
                try object.encode(path, forKey: .path)
                try object.encodeIfPresent(codec, forKey: .codec)
                try object.encodeIfPresent(encodings, forKey: .encodings)
                try object.encodeIfPresent(numValues, forKey: .numValues)
                try object.encodeIfPresent(compressedSize, forKey: .compressedSize)
                try object.encodeIfPresent(uncompressedSize, forKey: .uncompressedSize)
                try object.encode(nullCount, forKey: .nullCount)
            }
        }

        /// Rows in the group.
        public var numRows: Int64
        /// Uncompressed bytes of all its chunks.
        public var totalByteSize: Int64
        /// Its column chunks, in leaf order.
        public var columns: [Chunk]

        enum CodingKeys: String, CodingKey { case numRows = "num_rows", totalByteSize = "total_byte_size", columns }
    }

    /// One key-value metadata pair.
    public struct KeyValue: Codable, Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value, when there is one.
        public var value: String?

        enum CodingKeys: String, CodingKey { case key, value }

        /// Writes both keys, a missing value as `null`.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(key, forKey: .key)
            try object.encode(value, forKey: .value)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The file as named on the command line.
    public var file: String
    /// Its size.
    public var sizeBytes: Int
    /// The writer that made it.
    public var createdBy: String?
    /// The footer's format version.
    public var formatVersion: Int32
    /// Rows in the file.
    public var numRows: Int
    /// Its top-level flat columns.
    public var columns: [Column]
    /// Its top-level nested columns, which cannot be read.
    public var nestedColumns: [String]
    /// Its row groups.
    public var rowGroups: [RowGroup]
    /// Its key-value metadata.
    public var keyValueMetadata: [KeyValue]

    enum CodingKeys: String, CodingKey {
        case format, file, sizeBytes = "size_bytes", createdBy = "created_by", formatVersion = "format_version"
        case numRows = "num_rows", columns, nestedColumns = "nested_columns", rowGroups = "row_groups", keyValueMetadata = "key_value_metadata"
    }

    /// Writes every key, a missing `created_by` as `null`.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(format, forKey: .format)
        try object.encode(file, forKey: .file)
        try object.encode(sizeBytes, forKey: .sizeBytes)
        try object.encode(createdBy, forKey: .createdBy)
        try object.encode(formatVersion, forKey: .formatVersion)
        try object.encode(numRows, forKey: .numRows)
        try object.encode(columns, forKey: .columns)
        try object.encode(nestedColumns, forKey: .nestedColumns)
        try object.encode(rowGroups, forKey: .rowGroups)
        try object.encode(keyValueMetadata, forKey: .keyValueMetadata)
    }

    /// The document of the file `reader` reads, named `file`.
    public init(file: String, reader: ParquetReader) {
        let metadata = reader.metadata
        format = Self.formatName
        self.file = file
        sizeBytes = reader.fileSize
        createdBy = metadata.createdBy
        formatVersion = metadata.version
        numRows = reader.rowCount
        columns = reader.columnDescriptions.map {
            Column(name: $0.name, type: $0.type?.description, unreadableBecause: $0.unreadableBecause,
                   physicalType: $0.physicalType?.description ?? "", logicalType: $0.logicalType?.description,
                   convertedType: $0.convertedType?.description, nullable: $0.isNullable)
        }
        nestedColumns = reader.nestedColumns
        rowGroups = metadata.rowGroups.map { group in
            RowGroup(numRows: group.numRows, totalByteSize: group.totalByteSize, columns: group.columns.map { chunk in
                guard let column = chunk.metaData else { return RowGroup.Chunk() }
                return RowGroup.Chunk(path: column.pathInSchema.joined(separator: "."), codec: column.codec.description,
                                      encodings: column.encodings.map(\.description), numValues: column.numValues,
                                      compressedSize: column.totalCompressedSize, uncompressedSize: column.totalUncompressedSize,
                                      nullCount: column.statistics?.nullCount)
            })
        }
        keyValueMetadata = (metadata.keyValueMetadata ?? []).map { KeyValue(key: $0.key, value: $0.value) }
    }
}
