#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands a source pattern (`protocol.py`, `*.py`, `lib/**/*.py`) to the regular files it
/// names under a base folder, walking with `lstat` one level at a time.
///
/// Never followed: symbolic links (to files or folders), `..`, absolute paths, hidden names
/// (`.git`, `.venv`) and the specimen's `runs/`. Each refusal is reported with its reason;
/// folders matched by a wildcard are passed over quietly, a folder named literally is reported.
enum SourceGlob {
    /// How deep `**` descends.
    static let maxDepth = 32
    /// How many folder entries one pattern may look at, so a glob over a data set ends quickly.
    static let maxEntries = 200_000

    /// The files matched by `pattern` under `base`, relative to it and sorted, and what was refused.
    static func expand(_ pattern: String, in base: String) -> (files: [String], skipped: [(path: String, reason: String)]) {
        var walk = Walk(base: base)
        guard !pattern.isEmpty else { return ([], [(pattern, "an empty pattern names no file")]) }
        guard !pattern.hasPrefix("/") else {
            return ([], [(pattern, "is an absolute path; sources are named relative to the specimen folder")])
        }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if segments.contains("..") {
            return ([], [(pattern, "contains `..`, which would leave the specimen folder; not followed")])
        }
        guard !segments.isEmpty else { return ([], [(pattern, "names the specimen folder itself; name files in it")]) }
        walk.match(segments[...], folder: "", depth: 0)
        if walk.truncated {
            walk.skipped.append((pattern, "looked at more than \(maxEntries) folder entries; the rest was not searched"))
        }
        if walk.files.isEmpty && walk.skipped.isEmpty { walk.skipped.append((pattern, "matched no file")) }
        return (Array(Set(walk.files)).sorted(), walk.skipped)
    }

    /// Whether a pattern segment holds no wildcard.
    static func isLiteral(_ segment: String) -> Bool {
        !segment.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }

    private struct Walk {
        let base: String
        var files: [String] = []
        var skipped: [(path: String, reason: String)] = []
        var entries = 0
        var truncated = false

        init(base: String) { self.base = base }

        private func absolute(_ relative: String) -> String { relative.isEmpty ? base : base + "/" + relative }

        mutating func match(_ segments: ArraySlice<String>, folder: String, depth: Int) {
            guard let segment = segments.first, !truncated else { return }
            let rest = segments.dropFirst()
            if segment == "**" {
                if !rest.isEmpty { match(rest, folder: folder, depth: depth) }
                guard depth < SourceGlob.maxDepth else { return }
                for name in visibleNames(folder) {
                    let child = folder.isEmpty ? name : folder + "/" + name
                    guard let info = LocalStorage.shared.entry(absolute(child)) else { continue }
                    switch info.kind {
                    case .folder: match(segments, folder: child, depth: depth + 1)
                    case .file where rest.isEmpty: files.append(child)
                    case .symlink: skipped.append((child, "is a symbolic link; links are never followed or copied"))
                    default: break
                    }
                }
                return
            }
            if SourceGlob.isLiteral(segment) {
                visit(folder.isEmpty ? segment : folder + "/" + segment, rest: rest, literal: true, depth: depth)
                return
            }
            for name in visibleNames(folder) where fnmatch(segment, name, FNM_PERIOD) == 0 {
                visit(folder.isEmpty ? name : folder + "/" + name, rest: rest, literal: false, depth: depth)
            }
        }

        private mutating func visit(_ path: String, rest: ArraySlice<String>, literal: Bool, depth: Int) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasPrefix(".") {
                skipped.append((path, "is a hidden name; hidden files are never kept in a run"))
                return
            }
            if path == "runs" || path.hasPrefix("runs/") {
                if literal { skipped.append((path, "is inside runs/, which holds the runs themselves; never copied")) }
                return
            }
            guard let info = LocalStorage.shared.entry(absolute(path)) else {
                if literal && rest.isEmpty { skipped.append((path, "does not exist")) }
                return
            }
            switch info.kind {
            case .symlink:
                skipped.append((path, "is a symbolic link; links are never followed or copied"))
            case .folder:
                if rest.isEmpty {
                    if literal { skipped.append((path, "is a folder; name its files, e.g. \(path)/**")) }
                } else if depth < SourceGlob.maxDepth {
                    match(rest, folder: path, depth: depth + 1)
                }
            case .file:
                if rest.isEmpty { files.append(path) }
            default:
                if rest.isEmpty { skipped.append((path, "is not a regular file")) }
            }
        }

        /// The names in `folder` that a wildcard may match: not hidden, not the top-level `runs`.
        private mutating func visibleNames(_ folder: String) -> [String] {
            guard let names = LocalStorage.shared.list(absolute(folder)) else { return [] }
            entries += names.count
            if entries > SourceGlob.maxEntries { truncated = true; return [] }
            return names.filter { !$0.hasPrefix(".") && !(folder.isEmpty && $0 == "runs") }.sorted()
        }
    }
}
