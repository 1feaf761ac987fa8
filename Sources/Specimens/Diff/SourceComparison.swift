import Foundation
import MessagePack

/// What changed in the code between two runs: their `source/` snapshots file by file (with
/// unified diffs), their git commits (with `git log --oneline A..B` when the repository is at
/// hand), and their `git.patch` files.
///
/// ```swift
/// let comparison = try SourceComparison(specimen, base: first, other: second)
/// for change in comparison.changes { print(change.kind, change.path); print(change.diff ?? "binary") }
/// ```
public struct SourceComparison: Sendable {
    /// The base run.
    public var base: RunID
    /// The run compared with it.
    public var other: RunID
    /// Whether each run has a snapshot (runs made before snapshots have none).
    public var baseHasSnapshot: Bool
    /// Whether the other run has a snapshot.
    public var otherHasSnapshot: Bool
    /// The files that differ, sorted by path.
    public var changes: [SourceChange]
    /// The base run's commit, when recorded.
    public var baseCommit: String?
    /// The other run's commit, when recorded.
    public var otherCommit: String?
    /// `git log --oneline base..other`, when the commits differ and the repository has both.
    public var log: [String]?
    /// The diff between the two runs' `git.patch` files (a missing patch reads as empty);
    /// nil when they are equal.
    public var patchDiff: String?

    /// Whether the commits differ.
    public var commitChanged: Bool { baseCommit != otherCommit }

    /// Compares the snapshots of runs `base` and `other` of `specimen` (both must exist).
    public init(_ specimen: Specimen, base: RunID, other: RunID) throws {
        let a = try specimen.runInfo(base), b = try specimen.runInfo(other)
        let pa = RunProvenance(manifest: a.manifest ?? .nil), pb = RunProvenance(manifest: b.manifest ?? .nil)
        self.base = base
        self.other = other
        baseHasSnapshot = pa.hasSnapshot
        otherHasSnapshot = pb.hasSnapshot
        baseCommit = pa.git?.commit
        otherCommit = pb.git?.commit
        changes = []
        let folderA = a.path + "/" + SourceSnapshot.folderName, folderB = b.path + "/" + SourceSnapshot.folderName
        let filesA = Set(a.isLegacy ? [] : FileDigest.visibleFiles(in: folderA)), filesB = Set(b.isLegacy ? [] : FileDigest.visibleFiles(in: folderB))
        for path in filesA.union(filesB).sorted() {
            let old = filesA.contains(path) ? Self.read(folderA + "/" + path) : nil
            let new = filesB.contains(path) ? Self.read(folderB + "/" + path) : nil
            if let old, let new, old == new { continue }
            let kind: SourceChange.Kind = old == nil ? .added : new == nil ? .removed : .modified
            changes.append(SourceChange(path: path, kind: kind, diff: Self.diff(old, new, oldName: "a/" + path, newName: "b/" + path)))
        }
        let patchA = pa.git?.patchFile.flatMap { Self.read(a.path + "/" + $0) } ?? []
        let patchB = pb.git?.patchFile.flatMap { Self.read(b.path + "/" + $0) } ?? []
        if patchA != patchB {
            patchDiff = Self.diff(patchA, patchB, oldName: "\(base)/git.patch", newName: "\(other)/git.patch") ?? "binary patches differ\n"
        }
        if let from = baseCommit, let to = otherCommit, from != to,
           let result = GitCommand.run(["log", "--oneline", "--no-color", "\(from)..\(to)"], in: specimen.path, limit: 1 << 20), result.status == 0
        {
            log = String(decoding: result.output, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    /// A file's bytes, up to 16 MB (nil when it cannot be read: a link, a folder, too large).
    private static func read(_ path: String) -> [UInt8]? {
        guard let info = LocalStorage.shared.entry(path), info.kind == .file else { return nil }
        return try? LocalStorage.shared.read(path, limit: 16 << 20)
    }

    /// The unified diff of two texts; nil when either is binary (a NUL byte, or not UTF-8).
    static func diff(_ old: [UInt8]?, _ new: [UInt8]?, oldName: String, newName: String) -> String? {
        /// nil: binary.
        func text(_ bytes: [UInt8]?) -> String? {
            guard let bytes else { return "" }
            guard !bytes.contains(0) else { return nil }
            return String(bytes: bytes, encoding: .utf8)
        }
        guard let a = text(old), let b = text(new) else { return nil }
        return UnifiedDiff(old: a, new: b).text(oldName: old == nil ? "/dev/null" : oldName, newName: new == nil ? "/dev/null" : newName)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
