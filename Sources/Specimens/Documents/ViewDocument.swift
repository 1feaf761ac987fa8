import MessagePack

/// `specimen view <specimen> --json`: the specimen's runs, and one run in detail.
public struct ViewDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.view/1"

    /// One run in detail: its outcome, params, metrics and provenance.
    public struct RunDetail: Codable, Sendable, Equatable {
        /// The run's ID.
        public var id: String
        /// Its status name.
        public var status: String
        /// The protocol's exit code, once sealed.
        public var exitCode: Int64?
        /// The signal that ended it, if one did.
        public var signal: Int64?
        /// Its params, as recorded.
        public var params: DocumentValue
        /// A summary of each metric.
        public var metrics: [MetricOverview]
        /// Its `source/` snapshot; nil when it has none.
        public var source: SourceOverview?
        /// The run it reran, if any.
        public var rerunOf: String?
        /// Its git state, when it recorded one.
        public var git: GitOverview?

        /// The detail of `info` with metric summaries `metrics`.
        public init(_ info: RunInfo, metrics: [ColumnSummary]) {
            id = info.id.rawValue
            status = info.state.name
            exitCode = info.manifest?[RunManifest.Key.exitCode]?.intValue
            signal = info.manifest?[RunManifest.Key.signal]?.intValue
            params = DocumentValue(info.params)
            self.metrics = metrics.map(MetricOverview.init)
            let provenance = RunProvenance(manifest: info.manifest ?? .nil)
            source = SourceOverview(provenance)
            rerunOf = provenance.rerunOf
            git = provenance.git.map(GitOverview.init)
        }

        enum CodingKeys: String, CodingKey {
            case id, status, exitCode = "exit_code", signal, params, metrics, source, rerunOf = "rerun_of", git
        }

        /// Writes every key, unknown values as `null`.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(id, forKey: .id)
            try object.encode(status, forKey: .status)
            try object.encode(exitCode, forKey: .exitCode)
            try object.encode(signal, forKey: .signal)
            try object.encode(params, forKey: .params)
            try object.encode(metrics, forKey: .metrics)
            try object.encode(source, forKey: .source)
            try object.encode(rerunOf, forKey: .rerunOf)
            try object.encode(git, forKey: .git)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The specimen's name.
    public var specimen: String
    /// The specimen's folder.
    public var path: String
    /// The newest run's ID.
    public var currentRun: String?
    /// How many runs are listed.
    public var totalRuns: Int
    /// Every run, oldest first.
    public var runs: [RunOverview]
    /// The run shown in detail.
    public var run: RunDetail?

    /// The document for `specimen`'s runs `infos`, with `chosen` in detail.
    public init(specimen: Specimen, runs infos: [RunInfo], chosen: RunInfo?, metrics: [ColumnSummary]) {
        format = Self.formatName
        self.specimen = specimen.name
        path = specimen.path
        currentRun = infos.last?.id.rawValue
        totalRuns = infos.count
        runs = infos.map(RunOverview.init)
        run = chosen.map { RunDetail($0, metrics: metrics) }
    }

    enum CodingKeys: String, CodingKey {
        case format, specimen, path, currentRun = "current_run", totalRuns = "total_runs", runs, run
    }

    /// Writes every key, unknown values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(format, forKey: .format)
        try object.encode(specimen, forKey: .specimen)
        try object.encode(path, forKey: .path)
        try object.encode(currentRun, forKey: .currentRun)
        try object.encode(totalRuns, forKey: .totalRuns)
        try object.encode(runs, forKey: .runs)
        try object.encode(run, forKey: .run)
    }
}
