/// A field of a run that queries test and sort by: a top-level field, a param path or a
/// metric's summary statistic.
///
/// ```swift
/// let lr = try RunField("params.lr")
/// let loss = RunField.metric("loss", .last)
/// RunField.param(["model.name"]).description   // params.`model.name`
/// ```
public enum RunField: Sendable, Hashable, CustomStringConvertible {
    /// The run ID (a string).
    case id
    /// `completed`, `failed`, `interrupted`, `crashed`, `running` or `damaged`.
    case status
    /// When the run started (a date).
    case started
    /// When the run was sealed (a date).
    case ended
    /// Seconds from start to end (a double).
    case duration
    /// Rows of metrics.
    case rows
    /// The protocol's exit status.
    case exitCode
    /// The host's name.
    case host
    /// The git commit the run started from.
    case gitCommit
    /// Whether the git tree had uncommitted changes.
    case gitDirty
    /// The run's tags (a list of strings).
    case tags
    /// The run's notes.
    case notes
    /// A param: the keys walked from the top of `params` into nested maps.
    case param([String])
    /// A metric's summary statistic.
    case metric(String, MetricStatistic)

    /// A metric summary's statistic.
    public enum MetricStatistic: String, Sendable, Hashable, CaseIterable {
        /// The last non-null value.
        case last
        /// The smallest value.
        case min
        /// The largest value.
        case max
        /// How many rows hold a value.
        case count
    }

    /// The top-level fields by name, in the order the documentation lists them.
    public static let topLevel: [(name: String, field: RunField)] = [
        ("id", .id), ("status", .status), ("started", .started), ("ended", .ended), ("duration", .duration),
        ("rows", .rows), ("exit_code", .exitCode), ("host", .host), ("git.commit", .gitCommit),
        ("git.dirty", .gitDirty), ("tags", .tags), ("notes", .notes),
    ]

    /// Every valid field, as an error message lists them.
    public static let validFieldsText = topLevel.map(\.name).joined(separator: ", ")
        + ", params.<path>, metrics.<name>.<last|min|max|count>"

    /// Parses a field as expressions write it (`rows`, `params.opt.lr`, `` params.`model.name` ``,
    /// `metrics.loss.min`); throws `RunQuerySyntaxError` naming the valid fields otherwise.
    public init(_ text: String) throws(RunQuerySyntaxError) {
        var parser = ExpressionParser(text)
        self = try parser.parseFieldOnly()
    }

    /// The field as an expression writes it.
    public var description: String {
        switch self {
        case .param(let path): return "params." + path.map(RunField.segmentText).joined(separator: ".")
        case .metric(let name, let statistic): return "metrics." + RunField.segmentText(name) + "." + statistic.rawValue
        default: return RunField.topLevel.first { $0.field == self }?.name ?? "?"
        }
    }

    /// A path segment, backquoted unless it is a plain name.
    static func segmentText(_ segment: String) -> String {
        let plain = !segment.isEmpty && segment.utf8.allSatisfy { byte in
            ExpressionLexer.isNameByte(byte)
        }
        return plain ? segment : "`" + segment + "`"
    }
}
