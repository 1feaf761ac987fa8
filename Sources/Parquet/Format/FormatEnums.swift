// The enumerations of parquet.thrift (apache/parquet-format), with their wire values.
// Unknown wire values are kept (`unknown(n)`) where a reader must be able to skip them.

/// A physical (storage) type: `parquet.thrift` `Type`.
public enum PhysicalType: Int32, Sendable, CaseIterable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// A legacy type annotation: `parquet.thrift` `ConvertedType`.
public enum ConvertedType: Int32, Sendable, CaseIterable {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case `enum` = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21
}

/// Whether a field may be null or repeated: `parquet.thrift` `FieldRepetitionType`.
public enum Repetition: Int32, Sendable, CaseIterable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// A value or level encoding: `parquet.thrift` `Encoding`.
public enum Encoding: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9

    /// The specification's name, e.g. `RLE_DICTIONARY`.
    public var description: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }
}

/// A page compression codec: `parquet.thrift` `CompressionCodec`.
public enum CompressionCodec: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    /// The specification's name, e.g. `SNAPPY`.
    public var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }
}

/// The kind of a page: `parquet.thrift` `PageType`.
public enum PageType: Int32, Sendable, CaseIterable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// The unit of a TIME or TIMESTAMP logical type.
public enum TimeUnit: Sendable, Hashable, CaseIterable {
    case milliseconds
    case microseconds
    case nanoseconds
}

/// A logical type annotation: `parquet.thrift` `LogicalType` (a union).
public enum LogicalType: Sendable, Hashable {
    case string
    case map
    case list
    case `enum`
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case unknown
    case json
    case bson
    case uuid
    case float16
    /// A union member this library does not know, by its field id; read as the physical type.
    case other(fieldID: Int16)
}
