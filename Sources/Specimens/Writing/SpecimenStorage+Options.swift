extension SpecimenStorage {
    /// Tunables of a storage.
    public struct Options: Sendable {
        /// How old logged rows may get before they are written to the journal (seconds): the
        /// `log` call that finds pending rows this old writes them itself, and a background
        /// thread writes and syncs every half interval. A SIGKILL loses at most about this
        /// much; shorter costs more writes and syncs. When nil (the default): the number of
        /// seconds in `$SPECIMEN_FLUSH_INTERVAL` when set, else the storage's
        /// `defaultFlushInterval` (1 s on the local disk, 10 s in S3).
        public var flushInterval: Double?
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
        /// Files to keep with each new run, copied into its `source/` folder before it starts
        /// and listed with their SHA-256 in its manifest: paths or globs (`*`, `?`, `[…]`, and
        /// `**` for any depth) relative to the specimen folder. Hidden names, `runs/`, `..`
        /// and symbolic links are never followed or copied; what is skipped is recorded with
        /// the reason (default: none).
        public var sources: [String] = []
        /// The most bytes of sources, and separately of `git.patch`, a run keeps (default
        /// 1,000,000). Past it the run still starts; what was skipped is recorded in the
        /// manifest and one warning goes to stderr.
        public var sourceLimit: Int = SourceSnapshot.defaultLimit
        /// Record the running executable's path and SHA-256 as `executable` in the manifest
        /// (hashed once per process; default true).
        public var recordExecutable = true
        /// What a protocol launch adds: its argv, a run whose snapshot to reuse, `rerun_of`.
        var launch: LaunchRecord?
        /// For a protocol launch on a specimen not on the local disk: the local folder that
        /// holds a copy of the specimen's files, where the protocol runs. The new run's sources
        /// are taken from it into its local run folder, `<mirror>/runs/<id>/`, whose files are
        /// uploaded into the run when it is sealed.
        var localMirror: String?
        /// The most logged values a run keeps in memory (default 2,097,152: about 16 MB of
        /// doubles). Past it the rows leave memory — the journal holds them all: on the local
        /// disk they are written as row groups to the run's hidden part file, which sealing
        /// finishes as `metrics.parquet`; elsewhere (or when the run's columns change after
        /// that) sealing streams them back from the journal. Lower it to bound a long run's
        /// memory more tightly.
        public var retainedValues = ActiveRun.defaultRetainedValues
        /// Rows per row group when sealing streams rows from the journal (nil: about
        /// `RunSealer.streamedBatchValues` values per row group). For tests.
        var sealBatchRows: Int?

        /// The default options.
        public init() {}
    }
}
