/// What a ``SpecimenTransfer`` did (or, in a dry run, would do): one entry per run and per
/// specimen file looked at.
public struct TransferReport: Sendable, Equatable {
    /// What happened to one run.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Copied (and verified), or completed after an interrupted copy; in a dry run, would be.
        case copied
        /// Already at the destination with the same manifest (so the same checksums).
        case skipped
        /// The destination holds a different run (or a run in progress) under the same ID:
        /// left alone.
        case clash
        /// Not sealed at the source (running, crashed or damaged): not copied.
        case running
        /// Could not be copied: see ``Run/message``.
        case failed
    }

    /// One run's outcome.
    public struct Run: Sendable, Equatable {
        /// The run's ID.
        public var id: RunID
        /// What happened.
        public var outcome: Outcome
        /// The run's state at the source (`completed`, `running`, `crashed`, …).
        public var state: String
        /// Files written by this transfer (the manifest included).
        public var filesCopied: Int
        /// Files found already at the destination with the right SHA-256 (an earlier,
        /// interrupted transfer's).
        public var filesPresent: Int
        /// Bytes written by this transfer.
        public var bytesCopied: Int
        /// Why, for a clash, a failure or a run not copied.
        public var message: String?

        /// Creates an entry.
        public init(id: RunID, outcome: Outcome, state: String, filesCopied: Int = 0, filesPresent: Int = 0,
                    bytesCopied: Int = 0, message: String? = nil) {
            self.id = id
            self.outcome = outcome
            self.state = state
            self.filesCopied = filesCopied
            self.filesPresent = filesPresent
            self.bytesCopied = bytesCopied
            self.message = message
        }
    }

    /// What happened to one of the specimen's own files (`manifest.msgpack`,
    /// `field_notes.md`, `protocol.*`).
    public struct SpecimenFile: Sendable, Equatable {
        /// What happened to a specimen file.
        public enum Outcome: String, Sendable, Hashable {
            /// The destination lacked it: copied (in a dry run, would be).
            case copied
            /// The destination has the same bytes.
            case same
            /// The destination has different bytes: left alone.
            case differs
            /// Could not be copied: see ``SpecimenFile/message``.
            case failed
        }

        /// The file's name.
        public var name: String
        /// What happened.
        public var outcome: Outcome
        /// Why, for a file that differs or failed.
        public var message: String?

        /// Creates an entry.
        public init(name: String, outcome: Outcome, message: String? = nil) {
            self.name = name
            self.outcome = outcome
            self.message = message
        }
    }

    /// The source specimen's path.
    public var source: String
    /// The destination specimen's path.
    public var destination: String
    /// Whether nothing was written.
    public var dryRun: Bool
    /// Every run of the source, oldest first.
    public var runs: [Run]
    /// The specimen's own files.
    public var specimenFiles: [SpecimenFile]

    /// Creates a report.
    public init(source: String, destination: String, dryRun: Bool, runs: [Run] = [], specimenFiles: [SpecimenFile] = []) {
        self.source = source
        self.destination = destination
        self.dryRun = dryRun
        self.runs = runs
        self.specimenFiles = specimenFiles
    }

    /// The IDs of the runs with `outcome`.
    public func runs(_ outcome: Outcome) -> [RunID] { runs.filter { $0.outcome == outcome }.map(\.id) }

    /// Whether a run clashed or failed (or a specimen file failed): the CLI exits non-zero.
    public var hasProblems: Bool {
        runs.contains { $0.outcome == .clash || $0.outcome == .failed } || specimenFiles.contains { $0.outcome == .failed }
    }

    /// Bytes written, in every run.
    public var bytesCopied: Int { runs.reduce(0) { $0 + $1.bytesCopied } }
}
