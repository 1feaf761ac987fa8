/// How ``TableStacker`` stacks files.
public struct StackOptions: Sendable {
    /// The name of a string column placed first, holding each file's ``StackFile/constant`` on
    /// all of its rows (e.g. `run_id`); a column of that name in the files is not read. Nil:
    /// no constant column.
    public var constantColumn: String?
    /// Checks each file once its footer is read, before any data is decoded; a file it throws
    /// for is reported as a failure and left out. Nil: no check.
    public var check: (@Sendable (_ reader: ParquetReader, _ file: StackFile) throws -> Void)?
    /// The options each file is read with; every file is decoded on one thread, and the files
    /// on every core (``ReadOptions/threads`` is ignored).
    public var readOptions = ReadOptions()
    /// For ``StackStream``: about how many bytes of decoded tables to hold at once: half in the
    /// window being handed out, half in the next one, decoded in parallel meanwhile (at least
    /// one file is read at a time). Default 32 MiB.
    public var lookaheadBytes = 32 << 20

    /// Stacks without a constant column and without a check.
    public init(constantColumn: String? = nil, check: (@Sendable (_ reader: ParquetReader, _ file: StackFile) throws -> Void)? = nil) {
        self.constantColumn = constantColumn
        self.check = check
    }
}
