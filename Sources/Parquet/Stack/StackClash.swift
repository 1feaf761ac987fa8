/// The error ``TableStacker`` throws when a column's types in two files cannot be stacked (an
/// int64 and a double stack as double; a string and a number do not).
public struct StackClash: Error, Sendable, CustomStringConvertible {
    /// The column's name.
    public var column: String
    /// The type the earlier files gave it.
    public var known: ColumnType
    /// The type in the file that clashes.
    public var found: ColumnType
    /// The index of the file (or table) that clashes.
    public var index: Int

    /// "column 'x' is double in earlier files and string in file 3".
    public var description: String {
        let reason = ColumnType.decimalClash(known, found).map { " (\($0))" } ?? ""
        return "column '\(column)' is \(known) in earlier files and \(found) in file \(index)\(reason); read the files one by one, or convert one of them"
    }
}
