/// What `Specimen.verify` found when it compared a sealed run's files with its manifest.
public struct VerificationReport: Sendable, Hashable {
    /// The run checked.
    public var run: RunID
    /// Files whose size or SHA-256 differ from the manifest.
    public var changed: [String]
    /// Files the manifest lists that are gone.
    public var missing: [String]
    /// Files in the run that the manifest does not list (hidden files are ignored).
    public var extra: [String]
    /// Files that match.
    public var verified: Int

    /// Whether every file matches and none is missing or extra.
    public var isIntact: Bool { changed.isEmpty && missing.isEmpty && extra.isEmpty }
}
