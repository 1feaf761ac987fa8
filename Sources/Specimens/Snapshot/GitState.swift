import Foundation
import Parallel
import MessagePack

/// The git state of the work tree a specimen lives in: commit, branch, whether tracked files
/// changed, the untracked files' names, and the tracked changes as a patch against HEAD.
///
/// Gathered by running `git` as a child process (`rev-parse`, `status --porcelain=v2 -z`,
/// `diff HEAD`), once per folder per process: a process that starts many runs does not change
/// its own code between them.
struct GitState: Sendable {
    var commit: String?
    var branch: String?
    /// Whether tracked files differ from HEAD (untracked files alone do not make a tree dirty).
    var dirty: Bool
    /// Untracked files and folders, by name only (at most `maxUntracked`).
    var untracked: [String]
    /// Whether more untracked names existed than were kept.
    var untrackedTruncated = false
    /// `git diff HEAD` when dirty and within the limit.
    var patch: [UInt8]?
    /// Why the patch was not kept, when dirty and it was not.
    var patchSkipped: String?

    static let maxUntracked = 1000
    static let patchName = "git.patch"

    private static let cacheLock = Lock()
    nonisolated(unsafe) private static var cache: [String: GitState?] = [:]

    /// The state of the work tree holding `folder`, or nil outside one (or without git).
    static func capture(folder: String, patchLimit: Int) -> GitState? {
        let key = folder + "\u{0}" + String(patchLimit)
        if let cached = cacheLock.withLock({ cache[key] }) { return cached }
        let state = gather(folder: folder, patchLimit: patchLimit)
        cacheLock.withLock { cache[key] = state }
        return state
    }

    private static func gather(folder: String, patchLimit: Int) -> GitState? {
        guard GitCommand.mayBeInRepository(folder),
              let inside = GitCommand.run(["rev-parse", "--is-inside-work-tree"], in: folder, limit: 64),
              inside.status == 0, String(decoding: inside.output, as: UTF8.self).hasPrefix("true")
        else { return nil }
        guard let status = GitCommand.run(["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"], in: folder, limit: 64 << 20),
              status.status == 0
        else { return nil }
        var state = GitState(commit: nil, branch: nil, dirty: false, untracked: [])
        var fields = status.output.split(separator: 0, omittingEmptySubsequences: true).makeIterator()
        while let field = fields.next() {
            let text = String(decoding: field, as: UTF8.self)
            if text.hasPrefix("# branch.oid ") {
                let oid = String(text.dropFirst("# branch.oid ".count))
                state.commit = oid == "(initial)" ? nil : oid
            } else if text.hasPrefix("# branch.head ") {
                let head = String(text.dropFirst("# branch.head ".count))
                state.branch = head == "(detached)" ? nil : head
            } else if text.hasPrefix("? ") {
                if state.untracked.count < maxUntracked { state.untracked.append(String(text.dropFirst(2))) } else { state.untrackedTruncated = true }
            } else if text.hasPrefix("1 ") || text.hasPrefix("u ") {
                state.dirty = true
            } else if text.hasPrefix("2 ") {
                state.dirty = true
                _ = fields.next()   // a rename's original path is the next field
            }
        }
        if state.dirty {
            if state.commit == nil {
                state.patchSkipped = "the repository has no commit yet, so there is no HEAD to diff against"
            } else if let diff = GitCommand.run(["diff", "HEAD", "--no-color", "--no-ext-diff", "--binary"], in: folder, limit: patchLimit) {
                if diff.truncated {
                    state.patchSkipped = "git diff HEAD is larger than the \(patchLimit)-byte limit (--source-limit)"
                } else if diff.status == 0 {
                    state.patch = diff.output
                } else {
                    state.patchSkipped = "git diff HEAD failed with status \(diff.status)"
                }
            } else {
                state.patchSkipped = "git diff HEAD could not be started"
            }
        }
        return state
    }

    /// The manifest's `git` map; `patchFile` is true when `git.patch` was written.
    func value(patchFile: Bool) -> MessagePackValue {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [
            ("commit", commit.map { .string($0) } ?? .nil),
            ("branch", branch.map { .string($0) } ?? .nil),
            ("dirty", .bool(dirty)),
            ("untracked", .array(untracked.map { .string($0) })),
        ]
        if untrackedTruncated { pairs.append(("untracked_truncated", true)) }
        if patchFile { pairs.append(("patch", .string(Self.patchName))) }
        if let patchSkipped { pairs.append(("patch_skipped", .string(patchSkipped))) }
        return .map(pairs)
    }
}
