import MessagePack

/// `specimen compare --json`: runs side by side — params, metric summaries with changes against
/// the first run, and source changes.
public struct CompareDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.compare/1"

    /// One param across the compared runs.
    public struct ParamRow: Codable, Sendable, Equatable {
        /// The param's key.
        public var key: String
        /// Whether its value is not the same in every run (absent counts as a value).
        public var differs: Bool
        /// Its value in each run, in the runs' order; nil where a run lacks it.
        public var values: [DocumentValue?]

        enum CodingKeys: String, CodingKey { case key, differs, values }

        /// Writes every key; absent values as `null`.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(key, forKey: .key)
            try object.encode(differs, forKey: .differs)
            var list = object.nestedUnkeyedContainer(forKey: .values)
            for value in values { try list.encode(value) }
        }

        /// Every top-level param of `runs`, keys in first-seen order.
        public static func rows(_ runs: [RunInfo]) -> [ParamRow] {
            var keys: [String] = []
            var valueByRun: [[String: MessagePackValue]] = []
            for info in runs {
                var values: [String: MessagePackValue] = [:]
                for pair in info.params.mapValue ?? [:] {
                    let key = pair.key.stringValue ?? pair.key.jsonText()
                    if values[key] == nil && !keys.contains(key) { keys.append(key) }
                    values[key] = pair.value
                }
                valueByRun.append(values)
            }
            return keys.map { key in
                let values = valueByRun.map { $0[key] }
                let texts = Set(values.map { $0?.jsonText() ?? "<absent>" })
                return ParamRow(key: key, differs: texts.count > 1, values: values.map { $0.map(DocumentValue.init) })
            }
        }
    }

    /// One metric across the compared runs.
    public struct MetricRow: Codable, Sendable, Equatable {
        /// One run's summary of the metric and its change against the first run.
        public struct Cell: Codable, Sendable, Equatable {
            /// The run's ID.
            public var run: String
            /// The last value; nil when the run lacks the metric.
            public var last: Double?
            /// `last` minus the first run's.
            public var changeLast: Double?
            /// The smallest value.
            public var min: Double?
            /// `min` minus the first run's.
            public var changeMin: Double?
            /// The largest value.
            public var max: Double?
            /// `max` minus the first run's.
            public var changeMax: Double?

            enum CodingKeys: String, CodingKey {
                case run, last, changeLast = "change_last", min, changeMin = "change_min", max, changeMax = "change_max"
            }

            /// Writes every key, unknown or non-finite values as `null`.
            public func encode(to encoder: any Encoder) throws {
                var object = encoder.container(keyedBy: CodingKeys.self)
                try object.encode(run, forKey: .run)
                try object.encode(last, forKey: .last)
                try object.encode(changeLast, forKey: .changeLast)
                try object.encode(min, forKey: .min)
                try object.encode(changeMin, forKey: .changeMin)
                try object.encode(max, forKey: .max)
                try object.encode(changeMax, forKey: .changeMax)
            }
        }

        /// The metric's name.
        public var name: String
        /// Each run's cell, in the runs' order.
        public var runs: [Cell]
    }

    /// What changed in one run's sources against the first run's.
    public struct SourceRow: Codable, Sendable, Equatable {
        /// One changed file.
        public struct Change: Codable, Sendable, Equatable {
            /// Its path in `source/`.
            public var path: String
            /// `added`, `removed` or `modified`.
            public var change: String
            /// Whether it is binary (no text diff).
            public var binary: Bool
            /// The unified diff; nil for binary files or when diffs were not asked for.
            public var diff: String?

            enum CodingKeys: String, CodingKey { case path, change, binary, diff }

            /// Writes every key, `diff` as `null` when there is none.
            public func encode(to encoder: any Encoder) throws {
                var object = encoder.container(keyedBy: CodingKeys.self)
                try object.encode(path, forKey: .path)
                try object.encode(change, forKey: .change)
                try object.encode(binary, forKey: .binary)
                try object.encode(diff, forKey: .diff)
            }
        }

        /// The git side of the comparison.
        public struct Git: Codable, Sendable, Equatable {
            /// The first run's commit.
            public var baseCommit: String?
            /// This run's commit.
            public var commit: String?
            /// Whether the commits differ.
            public var commitChanged: Bool
            /// `git log --oneline` between them, when the repository could tell.
            public var log: [String]?
            /// Whether the uncommitted changes differ.
            public var patchChanged: Bool
            /// The diff between the two patches, when asked for.
            public var patchDiff: String?

            enum CodingKeys: String, CodingKey {
                case baseCommit = "base_commit", commit, commitChanged = "commit_changed", log, patchChanged = "patch_changed", patchDiff = "patch_diff"
            }

            /// Writes every key, unknown values as `null`.
            public func encode(to encoder: any Encoder) throws {
                var object = encoder.container(keyedBy: CodingKeys.self)
                try object.encode(baseCommit, forKey: .baseCommit)
                try object.encode(commit, forKey: .commit)
                try object.encode(commitChanged, forKey: .commitChanged)
                try object.encode(log, forKey: .log)
                try object.encode(patchChanged, forKey: .patchChanged)
                try object.encode(patchDiff, forKey: .patchDiff)
            }
        }

        /// The first run's ID.
        public var baseRun: String
        /// This run's ID.
        public var run: String
        /// Whether the first run kept a snapshot.
        public var baseHasSnapshot: Bool
        /// Whether this run kept one.
        public var hasSnapshot: Bool
        /// The files that differ.
        public var changed: [Change]
        /// Commits and patches.
        public var git: Git

        enum CodingKeys: String, CodingKey {
            case baseRun = "base_run", run, baseHasSnapshot = "base_has_snapshot", hasSnapshot = "has_snapshot", changed, git
        }

        /// The row of `comparison`; `diffs`: with the text of each diff.
        public init(_ comparison: SourceComparison, diffs: Bool) {
            baseRun = comparison.base.rawValue
            run = comparison.other.rawValue
            baseHasSnapshot = comparison.baseHasSnapshot
            hasSnapshot = comparison.otherHasSnapshot
            changed = comparison.changes.map {
                Change(path: $0.path, change: $0.kind.rawValue, binary: $0.diff == nil, diff: diffs ? $0.diff : nil)
            }
            git = Git(baseCommit: comparison.baseCommit, commit: comparison.otherCommit, commitChanged: comparison.commitChanged,
                      log: comparison.log, patchChanged: comparison.patchDiff != nil, patchDiff: diffs ? comparison.patchDiff : nil)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The specimen's name.
    public var specimen: String
    /// The run the others are compared against.
    public var baseRun: String
    /// The runs compared, in order.
    public var runs: [RunOverview]
    /// The params shown (those that differ, or all).
    public var params: [ParamRow]
    /// Every metric any run has, in first-seen order.
    public var metrics: [MetricRow]
    /// Source changes of each run after the first against the first.
    public var sources: [SourceRow]

    enum CodingKeys: String, CodingKey {
        case format, specimen, baseRun = "base_run", runs, params, metrics, sources
    }

    /// The comparison of `runs` (at least one) of `specimen`, with each run's metric summaries
    /// `summaries`; `params` are the rows to show; `diffs`: with the text of source diffs.
    public init(specimen: Specimen, runs: [RunInfo], summaries: [[ColumnSummary]], params: [ParamRow], diffs: Bool) {
        format = Self.formatName
        self.specimen = specimen.name
        baseRun = runs.first?.id.rawValue ?? ""
        self.runs = runs.map(RunOverview.init)
        self.params = params
        metrics = Self.metricNames(summaries).map { name in
            let base = summaries.first?.first { $0.name == name }
            let cells = zip(runs, summaries).map { info, summary in
                let column = summary.first { $0.name == name }
                func change(_ value: Double?, _ baseValue: Double?) -> Double? {
                    guard let value, let baseValue, (value - baseValue).isFinite else { return nil }
                    return value - baseValue
                }
                return MetricRow.Cell(run: info.id.rawValue, last: column?.last, changeLast: change(column?.last, base?.last),
                                      min: column?.min, changeMin: change(column?.min, base?.min),
                                      max: column?.max, changeMax: change(column?.max, base?.max))
            }
            return MetricRow(name: name, runs: cells)
        }
        sources = runs.first.map { base in
            runs.dropFirst().compactMap { info in
                (try? SourceComparison(specimen, base: base.id, other: info.id)).map { SourceRow($0, diffs: diffs) }
            }
        } ?? []
    }

    /// The metric names of `summaries`, in first-seen order.
    public static func metricNames(_ summaries: [[ColumnSummary]]) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for summary in summaries { for column in summary where seen.insert(column.name).inserted { names.append(column.name) } }
        return names
    }
}
