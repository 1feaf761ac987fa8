/// One token of a run expression, with where it starts (byte offset in the UTF-8 text).
struct ExpressionToken {
    enum Kind {
        /// A dotted name: `rows`, `params.opt.lr`, `` params.`model.name` ``; `quoted` marks
        /// which segments were backquoted (those are never keywords).
        case name([String], quoted: [Bool])
        /// A number, a string or a date.
        case literal(RunValue)
        case comparison(RunComparison)
        case openParen, closeParen, openBracket, closeBracket, comma, colon
        case end
    }

    var kind: Kind
    /// Byte offset of the token's first byte.
    var start: Int
    /// Byte offset just after the token.
    var end: Int

    /// The keyword this token spells (lowercased), when it is a single plain name.
    var keyword: String? {
        guard case let .name(segments, quoted) = kind, segments.count == 1, !quoted[0] else { return nil }
        let word = segments[0].lowercased()
        return ExpressionToken.keywords.contains(word) ? word : nil
    }

    static let keywords: Set<String> = ["and", "or", "not", "in", "contains", "exists", "true", "false", "null"]
}
