/// The version of this Parquet implementation, recorded in every file's `created_by`.
public enum ParquetLibrary {
    /// The semantic version.
    public static let version = "0.1.0"
    /// The `created_by` text: `specimen version X.Y.Z (build …)`, a form parquet-java parses
    /// (it ignores string statistics when it cannot).
    public static let createdBy = "specimen version \(version) (build swift)"
}

extension ParquetWriter {
    /// Tunables of `ParquetWriter`. The defaults write files every reader named in DESIGN.md
    /// reads: v1 data pages, SNAPPY, PLAIN or dictionary values, statistics.
    public struct Options: Sendable {
        /// The page compression codec. Default SNAPPY.
        public var codec: CompressionCodec = .snappy
        /// With SNAPPY and v1 pages, whether a column chunk whose first data page (64 KiB or
        /// more) SNAPPY shrinks by less than 1/32 (noisy doubles, random bytes) is stored UNCOMPRESSED: writing skips
        /// the compressor, every reader the decompressor, and the file is no larger. The codec is
        /// recorded per chunk, as the format allows; pyarrow, polars, DuckDB and fastparquet read
        /// such files. Default true.
        public var uncompressedWhenIncompressible = true
        /// The codec's level, where it has one (GZIP 1–9, ZSTD 1–22); nil for the codec's default.
        public var compressionLevel: Int?
        /// Whether to dictionary-encode columns whose values repeat. A column keeps its
        /// dictionary while it pays (at most half as many distinct values as values in the first
        /// page) and falls back to PLAIN inside the chunk once the dictionary outgrows
        /// `dictionaryPageSizeLimit`. Default true.
        public var dictionary = true
        /// The largest dictionary page, in bytes, before falling back to PLAIN. Default 1 MiB.
        public var dictionaryPageSizeLimit = 1 << 20
        /// The most rows in one data page. Default 20,000 (pyarrow's default).
        public var dataPageRowLimit = 20_000
        /// The target size of a data page's values, uncompressed. Default 1 MiB.
        public var dataPageSize = 1 << 20
        /// The most rows in one row group. Default 1,048,576.
        public var rowGroupRowLimit = 1 << 20
        /// The target size of a row group, uncompressed; the writer's memory stays near it.
        /// Default 128 MiB.
        public var rowGroupByteLimit = 128 << 20
        /// Whether to write min/max/null-count statistics for every column chunk. Default true.
        public var statistics = true
        /// Whether to record a CRC-32 of every page. Default false (as pyarrow).
        public var pageChecksums = false
        /// How integer and timestamp columns' values are encoded when no dictionary is used:
        /// `.plain` (default) or `.deltaBinaryPacked`, which shrinks steps, counters and times
        /// (readers from before 2017 may not know it).
        public var integerEncoding: Encoding = .plain
        /// How float and double columns' values are encoded when no dictionary is used:
        /// `.plain` (default) or `.byteStreamSplit`, which helps ZSTD compress noisy metrics.
        public var floatingEncoding: Encoding = .plain
        /// The data page version: 1 (default, read everywhere) or 2 (levels stored apart from
        /// the compressed values).
        public var dataPageVersion = 1
        /// Key-value metadata stored in the footer, in order.
        public var keyValueMetadata: [(key: String, value: String)] = []
        /// The `created_by` text. Default `ParquetLibrary.createdBy`.
        public var createdBy = ParquetLibrary.createdBy

        /// The default options.
        public init() {}
    }
}
