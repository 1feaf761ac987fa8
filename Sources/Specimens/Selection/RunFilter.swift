/// The condition of a run query, as a value built in code or parsed from an expression.
///
/// ```swift
/// let filter: RunFilter = .and(
///     .compare(.param(["lr"]), .less, .double(1e-3)),
///     .compare(.status, .equal, .string("completed")))
/// let same = try RunFilter("params.lr < 1e-3 and status == 'completed'")
/// ```
///
/// A comparison with a missing field is false and `not` inverts it, so
/// `.not(.compare(.param(["dropout"]), .greater, .double(0.2)))` holds for runs without a dropout.
public indirect enum RunFilter: Sendable, Hashable, CustomStringConvertible {
    /// `FIELD op VALUE`.
    case compare(RunField, RunComparison, RunValue)
    /// `FIELD in [v, …]`: the field equals one of the values.
    case isIn(RunField, [RunValue])
    /// `FIELD contains VALUE`: an element of a list equals it, or a string holds it as a substring.
    case contains(RunField, RunValue)
    /// `exists FIELD`: the run has the field (even when its value is null).
    case exists(RunField)
    /// Both hold.
    case and(RunFilter, RunFilter)
    /// Either holds.
    case or(RunFilter, RunFilter)
    /// The condition does not hold.
    case not(RunFilter)

    /// Parses an expression; throws `RunQuerySyntaxError` with the place and what was expected.
    public init(_ expression: String) throws(RunQuerySyntaxError) {
        var parser = ExpressionParser(expression)
        self = try parser.parseExpression()
    }

    /// The filter as an expression, parenthesized where precedence or grouping needs it (so it
    /// parses back to the same filter; `and` and `or` group to the left).
    public var description: String {
        switch self {
        case let .compare(field, op, value): return "\(field) \(op) \(value)"
        case let .isIn(field, values): return "\(field) in [" + values.map(\.description).joined(separator: ", ") + "]"
        case let .contains(field, value): return "\(field) contains \(value)"
        case let .exists(field): return "exists \(field)"
        case let .and(a, b): return "\(a.grouped(below: 1)) and \(b.grouped(below: 2))"
        case let .or(a, b): return "\(a) or \(b.grouped(below: 1))"
        case let .not(a): return "not \(a.grouped(below: 2))"
        }
    }

    /// The text, in parentheses when this filter binds less tightly than `level`
    /// (or: 0, and: 1, not and atoms: 2).
    private func grouped(below level: Int) -> String {
        let own: Int
        switch self {
        case .or: own = 0
        case .and: own = 1
        default: own = 2
        }
        return own < level ? "(\(self))" : description
    }
}
