extension SpecimenStorage {
    /// Tunables of a storage.
    public struct Options: Sendable {
        /// How old logged rows may get before they are written to the journal (seconds;
        /// default 1): the `log` call that finds pending rows this old writes them itself, and
        /// a background thread writes and syncs every half interval. A SIGKILL loses at most
        /// about this much; shorter costs more writes and syncs.
        public var flushInterval: Double = 1.0
        /// Join the run named by `$SPECIMEN_RUN_DIR` (set by `specimen run`) when it belongs to
        /// this specimen, instead of creating a run (default true).
        public var joinEnvironmentRun = true
        /// Record git commit, branch and dirty state when the specimen is in a git work tree
        /// (one `git status` per process and specimen; default true).
        public var recordGit = true
        /// The ID of the new run, instead of the current UTC second (validated; must be free).
        public var runID: RunID?
        /// Seal runs still open when the process exits normally, as `completed`, with a
        /// warning in the manifest (default true). Otherwise they show as crashed until
        /// recovered.
        public var sealAtExit = true

        /// The default options.
        public init() {}
    }
}
