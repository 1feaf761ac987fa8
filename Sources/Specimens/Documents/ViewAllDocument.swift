/// `specimen view --all --json`: every specimen under a root with its newest run (and, while
/// following, the runs being followed).
public struct ViewAllDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.view-all/1"

    /// One specimen's line.
    public struct Entry: Codable, Sendable, Equatable {
        /// The specimen's folder name.
        public var name: String
        /// How many runs it has.
        public var runs: Int
        /// Its newest run.
        public var latest: RunOverview?
        /// The runs `view --all --follow` follows; absent from a plain `view --all`.
        public var following: [RunOverview]?
        /// Why the specimen could not be read.
        public var error: String?

        /// Creates a line.
        public init(name: String, runs: Int, latest: RunOverview?, following: [RunOverview]? = nil, error: String?) {
            self.name = name
            self.runs = runs
            self.latest = latest
            self.following = following
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case name, runs, latest, following, error }

        /// Writes every key, unknown values as `null`; `following` only when following.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(name, forKey: .name)
            try object.encode(runs, forKey: .runs)
            try object.encode(latest, forKey: .latest)
            try object.encodeIfPresent(following, forKey: .following)
            try object.encode(error, forKey: .error)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The root folder.
    public var root: String
    /// Each specimen, by name.
    public var specimens: [Entry]
    /// How many specimens.
    public var totalSpecimens: Int
    /// How many runs in all.
    public var totalRuns: Int

    /// The document for `specimens` under `root`.
    public init(root: String, specimens: [Entry]) {
        format = Self.formatName
        self.root = root
        self.specimens = specimens
        totalSpecimens = specimens.count
        totalRuns = specimens.reduce(0) { $0 + $1.runs }
    }

    enum CodingKeys: String, CodingKey {
        case format, root, specimens, totalSpecimens = "total_specimens", totalRuns = "total_runs"
    }
}

/// `specimen recover --json`: the runs sealed as crashed.
public struct RecoverDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.recover/1"

    /// One recovered run.
    public struct Entry: Codable, Sendable, Equatable {
        /// The specimen's name.
        public var specimen: String
        /// The run's ID.
        public var run: String
        /// Why it was found crashed.
        public var reason: String
        /// The rows kept.
        public var rows: Int?

        /// Creates an entry.
        public init(specimen: String, run: String, reason: String, rows: Int?) {
            self.specimen = specimen
            self.run = run
            self.reason = reason
            self.rows = rows
        }

        enum CodingKeys: String, CodingKey { case specimen, run, reason, rows }

        /// Writes every key, unknown rows as `null`.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(specimen, forKey: .specimen)
            try object.encode(run, forKey: .run)
            try object.encode(reason, forKey: .reason)
            try object.encode(rows, forKey: .rows)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The runs recovered.
    public var recovered: [Entry]

    /// The document for `recovered`.
    public init(recovered: [Entry]) {
        format = Self.formatName
        self.recovered = recovered
    }
}

/// `specimen verify --json`: each sealed run's files checked against its manifest.
public struct VerifyDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.verify/1"

    /// One run's result: `ok`, `failed` (with what changed, or an `error`) or `skipped` (with
    /// the `status` of a run that is not sealed).
    public struct Entry: Codable, Sendable, Equatable {
        /// The specimen's name.
        public var specimen: String
        /// The run's ID.
        public var run: String
        /// `ok`, `failed` or `skipped`.
        public var result: String
        /// A skipped run's status.
        public var status: String?
        /// How many files were checked.
        public var verified: Int?
        /// Files whose checksum differs.
        public var changed: [String]?
        /// Files the manifest lists that are gone.
        public var missing: [String]?
        /// Files the manifest does not list.
        public var extra: [String]?
        /// Why the run could not be checked.
        public var error: String?

        /// A run that is not sealed, with its status.
        public init(specimen: String, run: RunID, skipped status: String) {
            self.specimen = specimen
            self.run = run.rawValue
            result = "skipped"
            self.status = status
        }

        /// A checked run.
        public init(specimen: String, report: VerificationReport) {
            self.specimen = specimen
            run = report.run.rawValue
            result = report.isIntact ? "ok" : "failed"
            verified = report.verified
            changed = report.changed
            missing = report.missing
            extra = report.extra
        }

        /// A run that could not be checked.
        public init(specimen: String, run: RunID, error: String) {
            self.specimen = specimen
            self.run = run.rawValue
            result = "failed"
            self.error = error
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// Each run checked or skipped.
    public var runs: [Entry]

    /// The document for `runs`.
    public init(runs: [Entry]) {
        format = Self.formatName
        self.runs = runs
    }
}
