import Foundation
import InteropSupport
import Testing
@testable import Specimens

@Suite("UnifiedDiff")
struct UnifiedDiffTests {
    @Test func equalTextsHaveNoHunks() {
        let diff = UnifiedDiff(old: "a\nb\n", new: "a\nb\n")
        #expect(diff.isEmpty)
        #expect(diff.text(oldName: "a/x", newName: "b/x") == "")
    }

    @Test func oneChangedLineWithThreeLinesOfContext() {
        let old = (1 ... 10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        let text = UnifiedDiff(old: old, new: new).text(oldName: "a/p.py", newName: "b/p.py")
        #expect(text == """
            --- a/p.py
            +++ b/p.py
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    @Test func distantChangesMakeTwoHunksAndCloseOnesOne() {
        let old = (1 ... 30).map(String.init)
        var far = old
        far[2] = "x"; far[25] = "y"
        #expect(UnifiedDiff(old: old, new: far).hunks.count == 2)
        var near = old
        near[2] = "x"; near[8] = "y"   // 5 unchanged lines between: contexts of 3 touch
        let joined = UnifiedDiff(old: old, new: near)
        #expect(joined.hunks.count == 1)
        #expect(joined.hunks[0].header == "@@ -1,12 +1,12 @@")
    }

    @Test func insertionIntoEmptyAndDeletionOfAll() {
        #expect(UnifiedDiff(old: "", new: "a\nb\n").hunks.map(\.header) == ["@@ -0,0 +1,2 @@"])
        #expect(UnifiedDiff(old: "a\nb\n", new: "").hunks.map(\.header) == ["@@ -1,2 +0,0 @@"])
        #expect(UnifiedDiff(old: "a\nb\nc\nd\ne\n", new: "a\nb\nc\nd\ne\nf\n").hunks.map(\.header) == ["@@ -3,3 +3,4 @@"])
    }

    @Test func onlyTheFinalNewlineDiffers() {
        let diff = UnifiedDiff(old: "a\nb", new: "a\nb\n")
        #expect(diff.hunks.isEmpty)
        #expect(!diff.isEmpty)
        #expect(diff.text(oldName: "a", newName: "b").contains("differ only in the newline"))
    }

    /// Random edits of random texts: applying the hunks to the old lines gives the new lines,
    /// and every hunk's counts match its lines.
    @Test func hunksApplyBackToTheNewText() {
        var generator = SeededGenerator(seed: 17)
        for _ in 0 ..< 500 {
            let old = (0 ..< Int(generator.next() % 40)).map { _ in "l\(generator.next() % 6)" }
            var new = old
            for _ in 0 ..< Int(generator.next() % 6) {
                let choice = generator.next() % 3
                if choice == 0, !new.isEmpty { new.remove(at: Int(generator.next() % UInt64(new.count))) }
                else if choice == 1 { new.insert("n\(generator.next() % 6)", at: Int(generator.next() % UInt64(new.count + 1))) }
                else if !new.isEmpty { new[Int(generator.next() % UInt64(new.count))] = "c\(generator.next() % 6)" }
            }
            let context = Int(generator.next() % 4)
            let diff = UnifiedDiff(old: old, new: new, context: context)
            #expect(Self.apply(diff, to: old) == new, "old \(old) new \(new) context \(context)")
            for hunk in diff.hunks {
                #expect(hunk.lines.filter { if case .added = $0 { false } else { true } }.count == hunk.oldCount)
                #expect(hunk.lines.filter { if case .removed = $0 { false } else { true } }.count == hunk.newCount)
            }
            #expect(diff.hunks.isEmpty == (old == new))
        }
    }

    /// Applies hunks as `patch` would, checking that context and removed lines match.
    static func apply(_ diff: UnifiedDiff, to old: [String]) -> [String]? {
        var result: [String] = []
        var next = 0   // next old line (0-based) not yet copied
        for hunk in diff.hunks {
            let start = hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1
            guard start >= next, start <= old.count else { return nil }
            result += old[next ..< start]
            next = start
            for line in hunk.lines {
                switch line {
                case .context(let text), .removed(let text):
                    guard next < old.count, old[next] == text else { return nil }
                    if case .context = line { result.append(text) }
                    next += 1
                case .added(let text):
                    result.append(text)
                }
            }
        }
        return result + old[next...]
    }
}

