/// What `SpecimenMigrator.migrate` did (or, in a dry run, would do) to one specimen.
public struct MigrationReport: Sendable {
    /// The outcome for one specimen.
    public enum Outcome: String, Sendable {
        /// Migrated now.
        case migrated
        /// An interrupted migration was found committed and has been finished.
        case finished
        /// Dry run: would be migrated as the plan says.
        case wouldMigrate = "would-migrate"
        /// Dry run: an interrupted migration would be finished.
        case wouldFinish = "would-finish"
        /// Already in the runs layout; nothing done.
        case alreadyMigrated = "already-migrated"
        /// Not a legacy specimen (no legacy metrics and manifest); nothing done.
        case notLegacy = "not-legacy"
        /// Could not be migrated; left untouched (see `message`).
        case failed
    }

    /// The specimen's folder.
    public let specimenPath: String
    /// What happened.
    public let outcome: Outcome
    /// The plan followed, when there was one.
    public let plan: MigrationPlan?
    /// The run the legacy results are (or would be) in.
    public let runID: RunID?
    /// One sentence on what happened, or why it failed.
    public let message: String
    /// Warnings (files changed since the migration was committed and left in place, …).
    public let warnings: [String]

    /// Whether this outcome counts as a failure.
    public var isFailure: Bool { outcome == .failed }
}
