/// What a run's `source/` snapshot holds, in a `--json` document:
/// `{files, bytes, linked, skipped: [{path, reason}], command}`.
public struct SourceOverview: Codable, Sendable, Equatable {
    /// A file the snapshot skipped, and why.
    public struct Skipped: Codable, Sendable, Equatable {
        /// The file's path.
        public var path: String
        /// Why it was not kept.
        public var reason: String
    }

    /// The files kept, relative to `source/`.
    public var files: [String]
    /// Their total size.
    public var bytes: Int
    /// How many are hard links to an earlier run's identical file.
    public var linked: Int
    /// Files that were not kept.
    public var skipped: [Skipped]
    /// The command line of a `--` run; nil for a protocol file.
    public var command: [String]?

    enum CodingKeys: String, CodingKey { case files, bytes, linked, skipped, command }

    /// Writes every key, `command` as `null` when there is none.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(files, forKey: .files)
        try object.encode(bytes, forKey: .bytes)
        try object.encode(linked, forKey: .linked)
        try object.encode(skipped, forKey: .skipped)
        try object.encode(command, forKey: .command)
    }
}

/// The git state a run recorded, in a `--json` document:
/// `{commit, branch, dirty, patch, patch_skipped, untracked}`.
public struct GitOverview: Codable, Sendable, Equatable {
    /// The commit checked out.
    public var commit: String?
    /// The branch, when on one.
    public var branch: String?
    /// Whether tracked files had changes.
    public var dirty: Bool
    /// The patch file kept for a dirty tree (`git.patch`).
    public var patch: String?
    /// Why the patch was not kept.
    public var patchSkipped: String?
    /// Untracked file names.
    public var untracked: [String]

    enum CodingKeys: String, CodingKey { case commit, branch, dirty, patch, patchSkipped = "patch_skipped", untracked }

    /// Writes every key, unknown values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(commit, forKey: .commit)
        try object.encode(branch, forKey: .branch)
        try object.encode(dirty, forKey: .dirty)
        try object.encode(patch, forKey: .patch)
        try object.encode(patchSkipped, forKey: .patchSkipped)
        try object.encode(untracked, forKey: .untracked)
    }
}

extension SourceOverview {
    /// The snapshot of `provenance`, or nil when the run has none.
    init?(_ provenance: RunProvenance) {
        guard provenance.hasSnapshot else { return nil }
        files = provenance.files
        bytes = provenance.bytes
        linked = provenance.linked
        skipped = provenance.skipped.map { Skipped(path: $0.path, reason: $0.reason) }
        command = provenance.command
    }
}

extension GitOverview {
    /// The git state of `git`.
    init(_ git: RunProvenance.Git) {
        commit = git.commit
        branch = git.branch
        dirty = git.dirty
        patch = git.patchFile
        patchSkipped = git.patchSkipped
        untracked = git.untracked
    }
}
