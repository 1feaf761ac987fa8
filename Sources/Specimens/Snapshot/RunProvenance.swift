public import MessagePack

/// What a sealed run kept about the code it ran, read from its manifest: the `source/`
/// snapshot, the protocol's argv, the git state, the executable, and the run it repeats.
///
/// ```swift
/// let info = try specimen.runInfo(id)
/// let provenance = RunProvenance(manifest: info.manifest ?? .nil)
/// provenance.files        // ["protocol.py"], under runs/<id>/source/
/// provenance.git?.commit  // "3f2a…"
/// ```
public struct RunProvenance: Sendable, Equatable {
    /// The git state of the work tree the specimen was in.
    public struct Git: Sendable, Equatable {
        /// The commit checked out (nil before the first commit).
        public var commit: String?
        /// The branch (nil when detached).
        public var branch: String?
        /// Whether tracked files differed from the commit.
        public var dirty: Bool
        /// Untracked files and folders, by name.
        public var untracked: [String]
        /// The run's patch file (`git.patch`) when the changes were kept.
        public var patchFile: String?
        /// Why the changes were not kept, when the tree was dirty and they were not.
        public var patchSkipped: String?
    }

    /// A file a run did not keep, and why.
    public struct Skipped: Sendable, Equatable {
        /// The file or pattern.
        public var path: String
        /// Why it was not kept.
        public var reason: String
    }

    /// Whether the run has a snapshot record at all (runs made before snapshots have none).
    public var hasSnapshot: Bool
    /// The protocol's argv, when the run was started by `specimen run`/`rerun`.
    public var command: [String]?
    /// The patterns the snapshot was taken with.
    public var patterns: [String]
    /// The files kept, relative to the run's `source/` folder (and to the specimen folder).
    public var files: [String]
    /// What was not kept, and why.
    public var skipped: [Skipped]
    /// The bytes kept, and the limit they were kept within.
    public var bytes: Int
    /// The limit the sources were kept within.
    public var limit: Int?
    /// How many files are hard links to an earlier run's identical file.
    public var linked: Int
    /// The git state, when the specimen was in a git work tree.
    public var git: Git?
    /// The run this one repeats (`specimen rerun`).
    public var rerunOf: String?
    /// The run whose snapshot this run reused.
    public var snapshotFrom: String?
    /// The path and SHA-256 of the executable that made the run.
    public var executable: (path: String, sha256: String)? {
        guard let path = executablePath, let sha256 = executableSHA256 else { return nil }
        return (path, sha256)
    }
    private var executablePath: String?
    private var executableSHA256: String?

    /// Reads the provenance keys of a run manifest; absent keys give empty values.
    public init(manifest: MessagePackValue) {
        let source = manifest["source"]
        hasSnapshot = source?.mapValue != nil
        command = source?["command"]?.arrayValue.map { $0.compactMap(\.stringValue) }
        patterns = source?["patterns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        files = source?["files"]?.arrayValue?.compactMap(\.stringValue) ?? []
        skipped = (source?["skipped"]?.arrayValue ?? []).compactMap { item in
            guard let path = item["path"]?.stringValue, let reason = item["reason"]?.stringValue else { return nil }
            return Skipped(path: path, reason: reason)
        }
        bytes = source?["bytes"]?.intValue.map { Int(clamping: $0) } ?? 0
        limit = source?["limit"]?.intValue.map { Int(clamping: $0) }
        linked = source?["linked"]?.intValue.map { Int(clamping: $0) } ?? 0
        snapshotFrom = source?["from_run"]?.stringValue
        if let git = manifest["git"], git.mapValue != nil {
            self.git = Git(commit: git["commit"]?.stringValue, branch: git["branch"]?.stringValue, dirty: git["dirty"]?.boolValue ?? false,
                           untracked: git["untracked"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                           patchFile: git["patch"]?.stringValue, patchSkipped: git["patch_skipped"]?.stringValue)
        }
        rerunOf = manifest["rerun_of"]?.stringValue
        executablePath = manifest["executable"]?["path"]?.stringValue
        executableSHA256 = manifest["executable"]?["sha256"]?.stringValue
    }

    /// Compares everything but the executable tuple (which `==` cannot synthesise).
    public static func == (a: RunProvenance, b: RunProvenance) -> Bool {
        a.hasSnapshot == b.hasSnapshot && a.command == b.command && a.patterns == b.patterns && a.files == b.files
            && a.skipped == b.skipped && a.bytes == b.bytes && a.limit == b.limit && a.linked == b.linked && a.git == b.git
            && a.rerunOf == b.rerunOf && a.snapshotFrom == b.snapshotFrom && a.executablePath == b.executablePath
            && a.executableSHA256 == b.executableSHA256
    }
}
