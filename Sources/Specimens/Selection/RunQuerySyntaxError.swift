/// A malformed run expression (or sort key): what was expected, and where, shown with a caret
/// under the offending token.
///
/// ```
/// expected a value after '<' (a number, 'text', true, false, null or a date)
///   params.lr < and rows > 3
///               ^
/// ```
public struct RunQuerySyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// Where the offending token starts, in characters from the start of the expression
    /// (`expression.count` when the expression ended too soon).
    public var column: Int
    /// What is wrong and what was expected there.
    public var message: String

    /// Creates an error.
    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    /// The expression on one line and a caret under `column` on the next, both indented by two.
    public var caretLines: String {
        let shown = String(expression.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 })
        return "  " + shown + "\n  " + String(repeating: " ", count: max(0, column)) + "^"
    }

    /// The message, then the expression with the caret.
    public var description: String { message + "\n" + caretLines }
}
