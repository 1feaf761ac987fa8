import MessagePack
import InteropSupport
import Testing
@testable import Specimens

/// The expression language: every operator, precedence, quoting, numbers, dates, errors with
/// caret positions, and 100,000 seeded mutated expressions that must parse or throw, never trap.
@Suite struct RunQueryParserTests {
    @Test(arguments: RunComparison.allCases)
    func everyComparison(_ op: RunComparison) throws {
        #expect(try RunFilter("rows \(op.rawValue) 3") == .compare(.rows, op, .int(3)))
        #expect(try RunFilter("params.lr\(op.rawValue)1e-3") == .compare(.param(["lr"]), op, .double(0.001)))
    }

    @Test func listsContainsExists() throws {
        #expect(try RunFilter("status in ['failed', \"crashed\"]") == .isIn(.status, [.string("failed"), .string("crashed")]))
        #expect(try RunFilter("status not in [ ]") == .not(.isIn(.status, [])))
        #expect(try RunFilter("tags contains 'baseline'") == .contains(.tags, .string("baseline")))
        #expect(try RunFilter("exists params.seed") == .exists(.param(["seed"])))
        #expect(try RunFilter("EXISTS git.commit AND NOT git.dirty == true")
                == .and(.exists(.gitCommit), .not(.compare(.gitDirty, .equal, .bool(true)))))
    }

    @Test func everyField() throws {
        for (name, field) in RunField.topLevel {
            #expect(try RunFilter("\(name) == null") == .compare(field, .equal, .null))
            #expect(try RunField(name) == field)
        }
        #expect(try RunField("params.opt.lr") == .param(["opt", "lr"]))
        #expect(try RunField("params.`model.name`") == .param(["model.name"]))
        #expect(try RunField("params.`with space`.x") == .param(["with space", "x"]))
        #expect(try RunField("metrics.`val.loss`.min") == .metric("val.loss", .min))
        for statistic in RunField.MetricStatistic.allCases {
            #expect(try RunField("metrics.loss.\(statistic.rawValue)") == .metric("loss", statistic))
        }
    }

    @Test func precedence() throws {
        let a = RunFilter.compare(.rows, .equal, .int(1)), b = RunFilter.compare(.rows, .equal, .int(2))
        let c = RunFilter.compare(.rows, .equal, .int(3))
        #expect(try RunFilter("rows == 1 or rows == 2 and not rows == 3") == .or(a, .and(b, .not(c))))
        #expect(try RunFilter("not rows == 1 and rows == 2") == .and(.not(a), b))
        #expect(try RunFilter("(rows == 1 or rows == 2) and rows == 3") == .and(.or(a, b), c))
        #expect(try RunFilter("rows == 1 and rows == 2 or rows == 3") == .or(.and(a, b), c))
        #expect(try RunFilter("not not rows == 1") == .not(.not(a)))
        #expect(try RunFilter("rows == 1 or rows == 2 or rows == 3") == .or(.or(a, b), c))
    }

    @Test func literals() throws {
        let cases: [(String, RunValue)] = [
            ("3", .int(3)), ("-2", .int(-2)), ("+4", .int(4)), ("3.5", .double(3.5)), ("1e-3", .double(0.001)),
            ("-1.5E+2", .double(-150)), (".5", .double(0.5)), ("99999999999999999999", .double(1e20)),
            ("true", .bool(true)), ("FALSE", .bool(false)), ("null", .null),
        ]
        for (text, value) in cases {
            #expect(try RunFilter("notes == \(text)") == .compare(.notes, .equal, value), "\(text)")
        }
        #expect(try RunFilter(#"notes == "a \"b\" \\ c\n""#) == .compare(.notes, .equal, .string("a \"b\" \\ c\n")))
        #expect(try RunFilter("notes == 'don\\'t'") == .compare(.notes, .equal, .string("don't")))
        #expect(try RunFilter("notes == 'größe ✓'") == .compare(.notes, .equal, .string("größe ✓")))
    }

    @Test func dates() throws {
        let day: Int64 = 1_793_491_200_000_000   // 2026-11-01T00:00:00Z
        #expect(try RunFilter("started >= 2026-11-01") == .compare(.started, .greaterOrEqual, .date(microseconds: day)))
        #expect(try RunFilter("started < 2026-11-01T12:00:00Z") == .compare(.started, .less, .date(microseconds: day + 43_200_000_000)))
        #expect(try RunFilter("started < 2026-11-01T12:00") == .compare(.started, .less, .date(microseconds: day + 43_200_000_000)))
        #expect(try RunFilter("started < 2026-11-01T12:00:00.25Z") == .compare(.started, .less, .date(microseconds: day + 43_200_250_000)))
        #expect(try RunFilter("started < 2026-11-01T14:00:00+02:00") == .compare(.started, .less, .date(microseconds: day + 43_200_000_000)))
        #expect(try RunFilter("ended in [2026-11-01]") == .isIn(.ended, [.date(microseconds: day)]))
        #expect(throws: RunQuerySyntaxError.self) { try RunFilter("started < 2026-02-30") }
        #expect(throws: RunQuerySyntaxError.self) { try RunFilter("started < 2026-11-01T25:00Z") }
        #expect(throws: RunQuerySyntaxError.self) { try RunFilter("started < 2026-11-1") }
    }

    @Test func sortKeys() throws {
        #expect(try RunSortKey("metrics.loss.last") == RunSortKey(.metric("loss", .last)))
        #expect(try RunSortKey("started:desc") == RunSortKey(.started, descending: true))
        #expect(try RunSortKey("params.`a.b`:ASC") == RunSortKey(.param(["a.b"])))
        #expect(throws: RunQuerySyntaxError.self) { try RunSortKey("started:down") }
        #expect(throws: RunQuerySyntaxError.self) { try RunSortKey("lr") }
        let query = try RunQuery(where: "  ", sort: ["rows", "id:desc"], limit: 3)
        #expect(query.filter == nil && query.sort.count == 2 && query.limit == 3)
    }

    /// Each malformed expression: the column of the caret and a phrase of the message.
    static let errors: [(String, Int, String)] = [
        ("", 0, "empty"),
        ("rows <", 6, "expected a value after '<'"),
        ("rows < and x", 7, "found the keyword 'and'"),
        ("status == completed", 10, "text is quoted"),
        ("lr < 3", 0, "unknown field 'lr'; fields are id, status"),
        ("params < 3", 0, "params needs a key"),
        ("metrics.loss < 3", 0, "metrics.<name>.<last|min|max|count>"),
        ("metrics.a.b.last < 3", 0, "backquoted"),
        ("rows = 3", 5, "compare with '=='"),
        ("rows ! 3", 5, "'!=' or 'not'"),
        ("(rows == 1", 10, "expected ')' to close the '(' at column 1"),
        ("rows == 1)", 9, "closes no '('"),
        ("rows == 1 rows == 2", 10, "expected 'and', 'or'"),
        ("rows 3", 5, "expected an operator after rows"),
        ("rows in 3", 8, "expected '['"),
        ("rows in [1 2]", 11, "expected ',' or ']'"),
        ("notes == 'open", 9, "not closed"),
        ("params.`x < 1", 7, "backquoted name is not closed"),
        ("params.x. < 1", 9, "expected a name after '.'"),
        ("rows == 1e", 8, "exponent"),
        ("rows == 12abc", 8, "malformed number"),
        ("3 < rows", 0, "expected a field before the value"),
        ("rows == 1 and", 13, "expected a condition"),
        ("exists 3", 7, "expected a field after 'exists'"),
        ("rows == 1 # x", 10, "unexpected character '#'"),
        ("größe == 1", 0, "backquotes"),
        ("notes == 'ü' and ü", 17, "backquotes"),
        ("started > 2026-13-01", 10, "impossible date"),
        ("status not 3", 11, "expected 'in'"),
    ]

    @Test func errorsPointAtTheToken() {
        for (expression, column, phrase) in Self.errors {
            do {
                _ = try RunFilter(expression)
                Issue.record("\(expression) parsed")
            } catch {
                #expect(error.column == column, "\(expression): column \(error.column), message \(error.message)")
                #expect(error.message.contains(phrase), "\(expression): \(error.message)")
                #expect(error.expression == expression)
                let lines = error.caretLines.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == 2 && lines[1] == Substring(String(repeating: " ", count: column + 2) + "^"))
            }
        }
    }

    @Test func nestingIsCapped() {
        let deep = String(repeating: "(", count: 10_000) + "rows == 1" + String(repeating: ")", count: 10_000)
        #expect(throws: RunQuerySyntaxError.self) { try RunFilter(deep) }
        let nots = String(repeating: "not ", count: 10_000) + "rows == 1"
        #expect(throws: RunQuerySyntaxError.self) { try RunFilter(nots) }
        #expect(throws: Never.self) { try RunFilter(String(repeating: "(", count: 150) + "rows == 1" + String(repeating: ")", count: 150)) }
    }

    /// The description of a parsed filter parses back to the same filter.
    @Test func descriptionRoundTrips() throws {
        let texts = [
            "params.lr < 1e-3 and status == 'completed' or not (exists notes and tags contains \"x\")",
            "params.`model.name` in ['a', 'b\\'c', 3, 2.5, true, null, 2026-11-01T12:00:00.5Z]",
            "not not metrics.`val loss`.count >= -7 and (rows != 3 or duration <= 1.5e300)",
        ]
        for text in texts {
            let filter = try RunFilter(text)
            #expect(try RunFilter(filter.description) == filter, "\(filter)")
        }
    }

    static let seeds = [
        "params.lr < 1e-3 and status == 'completed'",
        "not (params.dropout > 0.2) or tags contains \"baseline\"",
        "started >= 2026-11-01 and started < 2026-11-01T12:00:00Z",
        "status in ['failed', 'crashed'] and exists params.`model.name`",
        "metrics.loss.last <= 0.5 and (rows > 10 or exit_code != 0)",
        "params.opt.name == 'adam' and not git.dirty == true and duration > 1.5",
    ]

    /// 100,000 seeded mutations (bytes replaced, inserted, deleted, tokens spliced): each parses
    /// or throws a syntax error whose column lies within the text; a parsed one round-trips.
    @Test func mutatedExpressionsNeverTrap() throws {
        var generator = SeededGenerator(seed: 0x5e1e_c7_0013)
        let alphabet = Array("()[]<>=!'\"`.,:-+eE0123456789 andornotinexistscontainsparamsmetrics_ü\\\n\tZT".utf8)
        let fragments = ["and", "or", "not", "(", ")", "[", "]", "in", "contains", "exists", "==", "<", "'", "\"", "`",
                         "params.", "metrics.", ".last", "2026-11-01", "T12:00:00Z", "1e-", "null", ",", ":"]
        var parsed = 0
        for iteration in 0 ..< 100_000 {
            var bytes = Array(Self.seeds[iteration % Self.seeds.count].utf8)
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &generator) {
                let position = Int.random(in: 0 ... bytes.count, using: &generator)
                switch Int.random(in: 0 ..< 4, using: &generator) {
                case 0 where position < bytes.count: bytes[position] = alphabet.randomElement(using: &generator)!
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                case 2 where position < bytes.count: bytes.removeSubrange(position ..< min(bytes.count, position + Int.random(in: 1 ... 6, using: &generator)))
                default: bytes.insert(contentsOf: Array(fragments.randomElement(using: &generator)!.utf8), at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let filter = try RunFilter(text)
                parsed += 1
                #expect(try RunFilter(filter.description) == filter, "\(text)")
            } catch {
                #expect(error.column >= 0 && error.column <= text.count, "\(text): column \(error.column)")
            }
        }
        #expect(parsed > 1000, "too few mutations parsed (\(parsed)) to exercise the round trip")
    }
}
