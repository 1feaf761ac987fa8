import MessagePack

/// `specimen runs --json`: the runs a selection chose, in its order, with params, tags, notes
/// and each metric's summary.
public struct RunsDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.runs/1"

    /// One selected run.
    public struct Run: Codable, Sendable, Equatable {
        /// The run's ID.
        public var id: String
        /// Its status name.
        public var status: String
        /// When it started (ISO 8601 UTC, milliseconds).
        public var startedAt: String?
        /// When it ended.
        public var endedAt: String?
        /// Seconds from start to end (to now while it runs).
        public var durationSeconds: Double?
        /// Rows of metrics.
        public var rows: Int?
        /// Its params.
        public var params: DocumentValue
        /// Each metric's summary, written as an object keyed by the metric's name (decoded
        /// in name order).
        public var metrics: [MetricOverview]
        /// Its tags.
        public var tags: [String]
        /// Its notes.
        public var notes: String?

        /// The entry of `info`.
        public init(_ info: RunInfo) {
            id = info.id.rawValue
            status = info.state.name
            startedAt = RunOverview.isoText(info.startedAt)
            endedAt = RunOverview.isoText(info.endedAt)
            durationSeconds = info.duration
            rows = info.rows
            params = DocumentValue(info.params)
            metrics = info.summary.map(MetricOverview.init)
            tags = info.tags
            notes = info.notes
        }

        enum CodingKeys: String, CodingKey {
            case id, status, startedAt = "started_at", endedAt = "ended_at", durationSeconds = "duration_s", rows, params, metrics, tags, notes
        }

        /// The summary object of one metric, without its name (the key holds it).
        private struct Summary: Codable {
            var last: Double?, min: Double?, max: Double?, count: Int

            enum CodingKeys: String, CodingKey { case last, min, max, count }

            func encode(to encoder: any Encoder) throws {
                var object = encoder.container(keyedBy: CodingKeys.self)
                try object.encode(last, forKey: .last)
                try object.encode(min, forKey: .min)
                try object.encode(max, forKey: .max)
                try object.encode(count, forKey: .count)
            }
        }

        /// Writes every key, unknown values as `null`.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(id, forKey: .id)
            try object.encode(status, forKey: .status)
            try object.encode(startedAt, forKey: .startedAt)
            try object.encode(endedAt, forKey: .endedAt)
            try object.encode(durationSeconds, forKey: .durationSeconds)
            try object.encode(rows, forKey: .rows)
            try object.encode(params, forKey: .params)
            var byName = object.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .metrics)
            for metric in metrics {
                try byName.encode(Summary(last: metric.last, min: metric.min, max: metric.max, count: metric.count),
                                  forKey: AnyCodingKey(stringValue: metric.name))
            }
            try object.encode(tags, forKey: .tags)
            try object.encode(notes, forKey: .notes)
        }

        /// Reads an entry written by ``encode(to:)``.
        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            id = try object.decode(String.self, forKey: .id)
            status = try object.decode(String.self, forKey: .status)
            startedAt = try object.decodeIfPresent(String.self, forKey: .startedAt)
            endedAt = try object.decodeIfPresent(String.self, forKey: .endedAt)
            durationSeconds = try object.decodeIfPresent(Double.self, forKey: .durationSeconds)
            rows = try object.decodeIfPresent(Int.self, forKey: .rows)
            params = try object.decode(DocumentValue.self, forKey: .params)
            let byName = try object.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .metrics)
            metrics = try byName.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                let summary = try byName.decode(Summary.self, forKey: key)
                return MetricOverview(ColumnSummary(name: key.stringValue, last: summary.last, min: summary.min, max: summary.max, count: summary.count))
            }
            tags = try object.decode([String].self, forKey: .tags)
            notes = try object.decodeIfPresent(String.self, forKey: .notes)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// The specimen's name.
    public var specimen: String
    /// How many runs the specimen has (selected or not).
    public var totalRuns: Int
    /// The selected runs, in the selection's order.
    public var runs: [Run]

    /// The document of `selection` from the specimen named `specimen`.
    public init(specimen: String, selection: RunSelection) {
        format = Self.formatName
        self.specimen = specimen
        totalRuns = selection.totalRuns
        runs = selection.runs.map(Run.init)
    }

    enum CodingKeys: String, CodingKey { case format, specimen, totalRuns = "total_runs", runs }
}
