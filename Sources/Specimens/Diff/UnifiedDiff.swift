/// A unified diff of two texts' lines, with context, built on the standard library's
/// `CollectionDifference` (Myers' algorithm).
///
/// ```swift
/// let diff = UnifiedDiff(old: "a\nb\nc\n", new: "a\nB\nc\n")
/// print(diff.text(oldName: "a/protocol.py", newName: "b/protocol.py"))
/// // --- a/protocol.py
/// // +++ b/protocol.py
/// // @@ -1,3 +1,3 @@
/// //  a
/// // -b
/// // +B
/// //  c
/// ```
public struct UnifiedDiff: Sendable, Equatable {
    /// One line of a hunk.
    public enum Line: Sendable, Equatable {
        /// A line both texts have.
        case context(String)
        /// A line only the old text has.
        case removed(String)
        /// A line only the new text has.
        case added(String)
    }

    /// A run of changes with the lines around them.
    public struct Hunk: Sendable, Equatable {
        /// The first old line shown (1-based; 0 when `oldCount` is 0, as `diff -u` writes it).
        public var oldStart: Int
        /// How many old lines the hunk covers.
        public var oldCount: Int
        /// The first new line shown (1-based; 0 when `newCount` is 0).
        public var newStart: Int
        /// How many new lines the hunk covers.
        public var newCount: Int
        /// The hunk's lines, in order.
        public var lines: [Line]

        /// `@@ -oldStart,oldCount +newStart,newCount @@`.
        public var header: String { "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@" }
    }

    /// The hunks; empty when the texts' lines are equal.
    public let hunks: [Hunk]
    /// Whether the texts differ only in whether they end with a newline.
    public private(set) var finalNewlineDiffers: Bool

    /// The diff of two texts, split into lines at `\n`, with `context` unchanged lines around
    /// each change (hunks whose context touches are joined).
    public init(old: String, new: String, context: Int = 3) {
        let oldLines = UnifiedDiff.lines(old)
        let newLines = UnifiedDiff.lines(new)
        self.init(old: oldLines, new: newLines, context: context)
        let oldEnds = old.isEmpty || old.hasSuffix("\n"), newEnds = new.isEmpty || new.hasSuffix("\n")
        finalNewlineDiffers = hunks.isEmpty && oldEnds != newEnds
    }

    /// The diff of two arrays of lines.
    public init(old: [String], new: [String], context: Int = 3) {
        finalNewlineDiffers = false
        let difference = new.difference(from: old)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // The edit script: (line, old index before it, new index before it).
        var script: [(line: Line, old: Int, new: Int)] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, removed.contains(i) {
                script.append((.removed(old[i]), i, j)); i += 1
            } else if j < new.count, inserted.contains(j) {
                script.append((.added(new[j]), i, j)); j += 1
            } else if i < old.count, j < new.count {
                script.append((.context(old[i]), i, j)); i += 1; j += 1
            } else if i < old.count {
                script.append((.removed(old[i]), i, j)); i += 1   // unreachable for a valid difference
            } else {
                script.append((.added(new[j]), i, j)); j += 1
            }
        }
        let context = max(0, context)
        let changed = script.indices.filter { if case .context = script[$0].line { return false } else { return true } }
        var hunks: [Hunk] = []
        var index = 0
        while index < changed.count {
            var end = changed[index]
            var next = index + 1
            while next < changed.count, changed[next] - end <= 2 * context + 1 {
                end = changed[next]; next += 1
            }
            let first = max(0, changed[index] - context)
            let last = min(script.count - 1, end + context)
            let slice = script[first ... last]
            let oldCount = slice.filter { if case .added = $0.line { return false } else { return true } }.count
            let newCount = slice.filter { if case .removed = $0.line { return false } else { return true } }.count
            let start = script[first]
            hunks.append(Hunk(oldStart: oldCount == 0 ? start.old : start.old + 1, oldCount: oldCount,
                              newStart: newCount == 0 ? start.new : start.new + 1, newCount: newCount, lines: slice.map(\.line)))
            index = next
        }
        self.hunks = hunks
    }

    /// Whether there is nothing to show.
    public var isEmpty: Bool { hunks.isEmpty && !finalNewlineDiffers }

    /// The diff as `diff -u` prints it: `---`/`+++` headers, then each hunk. Empty when the
    /// texts are equal.
    public func text(oldName: String, newName: String) -> String {
        guard !isEmpty else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        if hunks.isEmpty { return out + "\\ the files differ only in the newline at their end\n" }
        for hunk in hunks {
            out += hunk.header + "\n"
            for line in hunk.lines {
                switch line {
                case .context(let text): out += " " + text + "\n"
                case .removed(let text): out += "-" + text + "\n"
                case .added(let text): out += "+" + text + "\n"
                }
            }
        }
        return out
    }

    /// The lines of `text`: split at `\n`, without the empty piece after a final newline.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
