/// A comparison operator of a run query: `==`, `!=`, `<`, `<=`, `>`, `>=`.
public enum RunComparison: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `==`: the field equals the value (ints and doubles numerically).
    case equal = "=="
    /// `!=`: the field exists and does not equal the value.
    case notEqual = "!="
    /// `<`: the field orders before the value (numbers, dates, strings by UTF-8 bytes, false < true).
    case less = "<"
    /// `<=`.
    case lessOrEqual = "<="
    /// `>`.
    case greater = ">"
    /// `>=`.
    case greaterOrEqual = ">="

    /// The operator's text.
    public var description: String { rawValue }
}
