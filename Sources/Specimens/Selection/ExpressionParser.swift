/// A recursive-descent parser of run expressions:
///
/// ```
/// expression := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | primary
/// primary    := "(" or ")" | "exists" FIELD
///             | FIELD ("==" | "!=" | "<" | "<=" | ">" | ">=") VALUE
///             | FIELD ["not"] "in" "[" [VALUE ("," VALUE)*] "]" | FIELD "contains" VALUE
/// VALUE      := number | 'text' | "text" | true | false | null | date
/// ```
///
/// Keywords are case-insensitive. Nesting is capped, so no input can exhaust the stack.
struct ExpressionParser {
    private var lexer: ExpressionLexer
    private var current: ExpressionToken?
    private var depth = 0
    static let maximumDepth = 200

    init(_ text: String) {
        lexer = ExpressionLexer(text)
    }

    private mutating func peek() throws(RunQuerySyntaxError) -> ExpressionToken {
        if let current { return current }
        let token = try lexer.next()
        current = token
        return token
    }

    private mutating func take() throws(RunQuerySyntaxError) -> ExpressionToken {
        let token = try peek()
        current = nil
        return token
    }

    private func error(_ token: ExpressionToken, _ message: String) -> RunQuerySyntaxError {
        lexer.error(at: token.start, message)
    }

    private func text(_ token: ExpressionToken) -> String {
        let end = min(token.end, lexer.bytes.count)
        return String(decoding: lexer.bytes[min(token.start, end) ..< end], as: UTF8.self)
    }

    /// A whole expression.
    mutating func parseExpression() throws(RunQuerySyntaxError) -> RunFilter {
        if case .end = try peek().kind { throw error(try peek(), "the expression is empty; write a condition such as params.lr < 1e-3") }
        let filter = try parseOr()
        let rest = try peek()
        if case .end = rest.kind { return filter }
        if case .closeParen = rest.kind { throw error(rest, "this ')' closes no '('") }
        throw error(rest, "expected 'and', 'or' or the end of the expression, found '\(text(rest))'")
    }

    /// A field alone (`RunField.init`).
    mutating func parseFieldOnly() throws(RunQuerySyntaxError) -> RunField {
        let field = try parseField(context: "")
        let rest = try peek()
        guard case .end = rest.kind else { throw error(rest, "expected the end after the field, found '\(text(rest))'") }
        return field
    }

    /// `FIELD[:asc|:desc]`.
    mutating func parseSortKey() throws(RunQuerySyntaxError) -> (RunField, Bool) {
        let field = try parseField(context: "")
        var descending = false
        let next = try take()
        switch next.kind {
        case .end: return (field, false)
        case .colon:
            let direction = try take()
            guard case let .name(segments, _) = direction.kind, segments.count == 1,
                  ["asc", "desc"].contains(segments[0].lowercased()) else {
                throw error(direction, "expected asc or desc after ':'")
            }
            descending = segments[0].lowercased() == "desc"
        default:
            throw error(next, "expected ':asc', ':desc' or the end after the sort field")
        }
        let rest = try peek()
        guard case .end = rest.kind else { throw error(rest, "expected the end after the sort direction, found '\(text(rest))'") }
        return (field, descending)
    }

    private mutating func nested<T>(_ at: ExpressionToken, _ body: (inout ExpressionParser) throws(RunQuerySyntaxError) -> T) throws(RunQuerySyntaxError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ExpressionParser.maximumDepth else {
            throw error(at, "the expression nests more than \(ExpressionParser.maximumDepth) levels deep; simplify it")
        }
        return try body(&self)
    }

    private mutating func parseOr() throws(RunQuerySyntaxError) -> RunFilter {
        var left = try parseAnd()
        while try peek().keyword == "or" {
            _ = try take()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(RunQuerySyntaxError) -> RunFilter {
        var left = try parseUnary()
        while try peek().keyword == "and" {
            _ = try take()
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(RunQuerySyntaxError) -> RunFilter {
        let token = try peek()
        if token.keyword == "not" {
            _ = try take()
            return try nested(token) { (parser: inout ExpressionParser) throws(RunQuerySyntaxError) in .not(try parser.parseUnary()) }
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(RunQuerySyntaxError) -> RunFilter {
        let token = try peek()
        switch token.kind {
        case .openParen:
            _ = try take()
            let inner = try nested(token) { (parser: inout ExpressionParser) throws(RunQuerySyntaxError) in try parser.parseOr() }
            let close = try take()
            guard case .closeParen = close.kind else {
                throw error(close, "expected ')' to close the '(' at column \(lexer.error(at: token.start, "").column + 1)"
                            + (isEnd(close) ? "" : ", found '\(text(close))'"))
            }
            return inner
        case .end:
            throw error(token, "expected a condition (such as params.lr < 1e-3, exists params.seed, or a '(')")
        case .literal:
            throw error(token, "expected a field before the value, e.g. params.lr < 1e-3")
        case .comparison, .closeParen, .openBracket, .closeBracket, .comma, .colon:
            throw error(token, "expected a condition, found '\(text(token))'")
        case .name:
            break
        }
        if let keyword = token.keyword {
            if keyword == "exists" {
                _ = try take()
                return .exists(try parseField(context: " after 'exists'"))
            }
            throw error(token, "expected a condition, found the keyword '\(text(token))'")
        }
        let field = try parseField(context: "")
        let op = try take()
        switch op.kind {
        case .comparison(let comparison):
            return .compare(field, comparison, try parseValue(after: op))
        case .name:
            switch op.keyword {
            case "in":
                return .isIn(field, try parseList(after: op))
            case "contains":
                return .contains(field, try parseValue(after: op))
            case "not":
                let inToken = try take()
                guard inToken.keyword == "in" else { throw error(inToken, "expected 'in' after '\(field) not'; to negate a condition, put 'not' before it") }
                return .not(.isIn(field, try parseList(after: inToken)))
            default: break
            }
        default: break
        }
        throw error(op, "expected an operator after \(field) (==, !=, <, <=, >, >=, in, not in, contains)"
                    + (isEnd(op) ? "" : ", found '\(text(op))'"))
    }

    private func isEnd(_ token: ExpressionToken) -> Bool {
        if case .end = token.kind { return true }
        return false
    }

    private mutating func parseList(after inToken: ExpressionToken) throws(RunQuerySyntaxError) -> [RunValue] {
        let open = try take()
        guard case .openBracket = open.kind else { throw error(open, "expected '[' after 'in', as in status in ['failed', 'crashed']") }
        var values: [RunValue] = []
        if case .closeBracket = try peek().kind {
            _ = try take()
            return values
        }
        while true {
            values.append(try parseValue(after: values.isEmpty ? open : inToken))
            let separator = try take()
            switch separator.kind {
            case .comma: continue
            case .closeBracket: return values
            default: throw error(separator, "expected ',' or ']' in the list" + (isEnd(separator) ? "" : ", found '\(text(separator))'"))
            }
        }
    }

    private mutating func parseValue(after op: ExpressionToken) throws(RunQuerySyntaxError) -> RunValue {
        let token = try take()
        let expected = "a value after '\(text(op))' (a number, 'text', true, false, null or a date such as 2026-11-01)"
        switch token.kind {
        case .literal(let value): return value
        case .name:
            switch token.keyword {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case nil:
                throw error(token, "expected \(expected); text is quoted: '\(text(token))'")
            default:
                throw error(token, "expected \(expected), found the keyword '\(text(token))'")
            }
        case .end:
            throw error(token, "expected \(expected)")
        default:
            throw error(token, "expected \(expected), found '\(text(token))'")
        }
    }

    private mutating func parseField(context: String) throws(RunQuerySyntaxError) -> RunField {
        let token = try take()
        guard case let .name(segments, quoted) = token.kind, token.keyword == nil else {
            throw error(token, "expected a field\(context): \(RunField.validFieldsText)"
                        + (isEnd(token) ? "" : ", found '\(text(token))'"))
        }
        let head = quoted[0] ? nil : segments[0]
        switch head {
        case "params":
            guard segments.count > 1 else { throw error(token, "params needs a key, e.g. params.lr or params.optimizer.lr") }
            return .param(Array(segments.dropFirst()))
        case "metrics":
            guard segments.count == 3, let statistic = RunField.MetricStatistic(rawValue: segments[2]) else {
                let hint = segments.count > 3 ? "; a metric name containing dots is backquoted, e.g. metrics.`val.loss`.last" : ""
                throw error(token, "expected metrics.<name>.<last|min|max|count>, e.g. metrics.loss.last" + hint)
            }
            return .metric(segments[1], statistic)
        default:
            let joined = segments.joined(separator: ".")
            if !quoted.contains(true), let match = RunField.topLevel.first(where: { $0.name == joined }) { return match.field }
            throw error(token, "unknown field '\(text(token))'; fields are \(RunField.validFieldsText)")
        }
    }
}
