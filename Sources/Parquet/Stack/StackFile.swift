/// One Parquet file to stack with others (``TableStacker``): its path and the value its rows
/// get in the stacker's constant column, if there is one.
public struct StackFile: Sendable, Hashable {
    /// The file's path.
    public var path: String
    /// The text of the constant column on this file's rows (e.g. a run's ID); ignored when
    /// ``StackOptions/constantColumn`` is nil.
    public var constant: String

    /// A file to stack.
    public init(path: String, constant: String = "") {
        self.path = path
        self.constant = constant
    }
}
