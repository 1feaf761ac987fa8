/// Tunables of `ParquetReader`, with limits that keep hostile files from exhausting memory.
public struct ReadOptions: Sendable {
    /// The largest page (uncompressed) the reader accepts. Default 256 MiB; real writers use
    /// about 1 MiB.
    public var maxPageSize = 256 << 20
    /// The largest footer (FileMetaData) the reader accepts. Default 64 MiB.
    public var maxFooterSize = 64 << 20
    /// The most values (rows) one page or dictionary may claim. Default 64 Mi; a run-length
    /// encoded page can claim many rows in few bytes, so this bounds what one page allocates.
    public var maxValuesPerPage = 1 << 26
    /// Whether to check each page's CRC-32 when it has one. Default false, as in pyarrow.
    public var verifyChecksums = false
    /// How many threads decode a row group's columns at once: 0 (the default) for one per
    /// processor, 1 to decode on the calling thread only (for callers that already read
    /// several files in parallel).
    public var threads = 0

    /// The default options.
    public init() {}
}
