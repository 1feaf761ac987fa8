/// `specimen push --json` and `specimen pull --json` (formats `specimen.push/1` and
/// `specimen.pull/1`): what a ``SpecimenTransfer`` copied, skipped, found clashing or left
/// because it is still running, run by run.
///
/// ```json
/// {"format": "specimen.push/1", "source": "specimens/mnist", "destination": "s3://lab/mnist",
///  "dry_run": false, "copied": ["20250101_120000"], "skipped": [], "clashes": [], "running": [],
///  "failed": [], "bytes_copied": 52311, "runs": [{"run_id": "20250101_120000", "outcome": "copied", …}],
///  "specimen_files": [{"name": "manifest.msgpack", "outcome": "copied"}]}
/// ```
public struct TransferDocument: Codable, Sendable, Equatable {
    /// The `format` of a push.
    public static let pushFormat = "specimen.push/1"
    /// The `format` of a pull.
    public static let pullFormat = "specimen.pull/1"

    /// One run's outcome.
    public struct Run: Codable, Sendable, Equatable {
        /// The run's ID.
        public var runID: String
        /// `copied`, `skipped`, `clash`, `running` or `failed`.
        public var outcome: String
        /// The run's state at the source.
        public var state: String
        /// Files written.
        public var filesCopied: Int
        /// Files found already copied by an interrupted transfer.
        public var filesPresent: Int
        /// Bytes written.
        public var bytesCopied: Int
        /// Why, for a clash, a failure or a run not copied; null otherwise.
        public var message: String?

        /// The entry of `run`.
        public init(_ run: TransferReport.Run) {
            runID = run.id.rawValue
            outcome = run.outcome.rawValue
            state = run.state
            filesCopied = run.filesCopied
            filesPresent = run.filesPresent
            bytesCopied = run.bytesCopied
            message = run.message
        }

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", outcome, state, filesCopied = "files_copied", filesPresent = "files_present", bytesCopied = "bytes_copied", message
        }

        /// Writes `message` always (`null` when none).
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: CodingKeys.self)
            try object.encode(runID, forKey: .runID)
            try object.encode(outcome, forKey: .outcome)
            try object.encode(state, forKey: .state)
            try object.encode(filesCopied, forKey: .filesCopied)
            try object.encode(filesPresent, forKey: .filesPresent)
            try object.encode(bytesCopied, forKey: .bytesCopied)
            try object.encode(message, forKey: .message)
        }
    }

    /// One of the specimen's own files.
    public struct SpecimenFile: Codable, Sendable, Equatable {
        /// The file's name.
        public var name: String
        /// `copied`, `same`, `differs` or `failed`.
        public var outcome: String
        /// Why, for a file that differs or failed.
        public var message: String?

        /// The entry of `file`.
        public init(_ file: TransferReport.SpecimenFile) {
            name = file.name
            outcome = file.outcome.rawValue
            message = file.message
        }
    }

    /// ``pushFormat`` or ``pullFormat``.
    public var format: String
    /// The source specimen, as given.
    public var source: String
    /// The destination specimen, as given.
    public var destination: String
    /// Whether nothing was written.
    public var dryRun: Bool
    /// The runs copied (or, in a dry run, to copy).
    public var copied: [String]
    /// The runs already at the destination.
    public var skipped: [String]
    /// The runs left alone because the destination holds another run under their ID.
    public var clashes: [String]
    /// The runs not copied because they are not sealed.
    public var running: [String]
    /// The runs that could not be copied.
    public var failed: [String]
    /// Bytes written.
    public var bytesCopied: Int
    /// Every run, oldest first.
    public var runs: [Run]
    /// The specimen's own files.
    public var specimenFiles: [SpecimenFile]

    /// The document of `report`: a push (`pull: false`) or a pull; `source` and
    /// `destination` as the user gave them (`s3://…` addresses).
    public init(pull: Bool, source: String, destination: String, report: TransferReport) {
        format = pull ? Self.pullFormat : Self.pushFormat
        self.source = source
        self.destination = destination
        dryRun = report.dryRun
        copied = report.runs(.copied).map(\.rawValue)
        skipped = report.runs(.skipped).map(\.rawValue)
        clashes = report.runs(.clash).map(\.rawValue)
        running = report.runs(.running).map(\.rawValue)
        failed = report.runs(.failed).map(\.rawValue)
        bytesCopied = report.bytesCopied
        runs = report.runs.map(Run.init)
        specimenFiles = report.specimenFiles.map(SpecimenFile.init)
    }

    enum CodingKeys: String, CodingKey {
        case format, source, destination, dryRun = "dry_run", copied, skipped, clashes, running, failed, bytesCopied = "bytes_copied", runs
        case specimenFiles = "specimen_files"
    }
}
