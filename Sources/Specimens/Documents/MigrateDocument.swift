import Foundation

/// `specimen migrate --json`: what migration did (or, with `--dry-run`, would do) to each
/// specimen.
public struct MigrateDocument: Codable, Sendable, Equatable {
    /// The `format` this type reads and writes.
    public static let formatName = "specimen.migrate/1"

    /// One specimen's outcome; the plan's keys only when there was a plan.
    public struct Entry: Codable, Sendable, Equatable {
        /// A metric column of the legacy table.
        public struct Column: Codable, Sendable, Equatable {
            /// Its name.
            public var name: String
            /// Its type.
            public var type: String
        }

        /// A file moved or linked into the run.
        public struct File: Codable, Sendable, Equatable {
            /// Where it was.
            public var from: String
            /// Where it goes.
            public var to: String
            /// What is done to it.
            public var action: String
        }

        /// The specimen's folder.
        public var path: String
        /// `migrated`, `finished`, `would-migrate`, … (``MigrationReport/Outcome``).
        public var outcome: String
        /// The run the legacy run became.
        public var runID: String?
        /// What happened, in a sentence.
        public var message: String
        /// The legacy layout found.
        public var layout: String?
        /// How the run ID was chosen.
        public var runIDReason: String?
        /// Rows of the legacy table.
        public var rows: Int?
        /// Its columns.
        public var columns: [Column]?
        /// Files moved.
        public var files: [File]?
        /// Notes about the plan.
        public var notes: [String]?
        /// Warnings.
        public var warnings: [String]

        /// The entry of `report`.
        public init(_ report: MigrationReport) {
            path = report.specimenPath
            outcome = report.outcome.rawValue
            runID = report.runID?.rawValue
            message = report.message
            warnings = report.warnings
            guard let plan = report.plan else { return }
            layout = plan.layout.rawValue
            runIDReason = plan.runIDReason
            rows = plan.rows
            columns = plan.columns.map { Column(name: $0.name, type: $0.typeName) }
            let finalID = report.runID ?? plan.runID
            files = plan.files.map {
                File(from: $0.source, to: $0.destination.replacingOccurrences(of: "runs/\(plan.runID)/", with: "runs/\(finalID)/"),
                     action: $0.action.rawValue)
            }
            notes = plan.notes
        }

        enum CodingKeys: String, CodingKey {
            case path, outcome, runID = "run_id", message, layout, runIDReason = "run_id_reason", rows, columns, files, notes, warnings
        }

        /// Writes `run_id` always (`null` when none) and the plan's keys when there is a plan.
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(path, forKey: .path)
            try object.encode(outcome, forKey: .outcome)
            try object.encode(runID, forKey: .runID)
            try object.encode(message, forKey: .message)
            try object.encodeIfPresent(layout, forKey: .layout)
            try object.encodeIfPresent(runIDReason, forKey: .runIDReason)
            try object.encodeIfPresent(rows, forKey: .rows)
            try object.encodeIfPresent(columns, forKey: .columns)
            try object.encodeIfPresent(files, forKey: .files)
            try object.encodeIfPresent(notes, forKey: .notes)
            try object.encode(warnings, forKey: .warnings)
        }
    }

    /// Always ``formatName``.
    public var format: String
    /// Whether nothing was changed.
    public var dryRun: Bool
    /// Each specimen.
    public var specimens: [Entry]

    /// The document for `reports`.
    public init(dryRun: Bool, reports: [MigrationReport]) {
        format = Self.formatName
        self.dryRun = dryRun
        specimens = reports.map(Entry.init)
    }

    enum CodingKeys: String, CodingKey { case format, dryRun = "dry_run", specimens }
}
