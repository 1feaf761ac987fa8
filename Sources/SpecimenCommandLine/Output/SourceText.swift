import Specimens
import MessagePack

/// How `compare` and `view` show what code runs ran: source changes with their unified diffs,
/// git commits and patches, and one run's snapshot and git state.
enum SourceText {
    // MARK: compare

    /// Prints, for each run after the first, what changed in its sources against the first.
    static func printComparisons(_ specimen: Specimen, _ infos: [RunInfo], diffs: Bool) {
        guard let base = infos.first else { return }
        for info in infos.dropFirst() {
            print("")
            guard let comparison = try? SourceComparison(specimen, base: base.id, other: info.id) else { continue }
            printComparison(comparison, diffs: diffs)
        }
    }

    private static func printComparison(_ comparison: SourceComparison, diffs: Bool) {
        let pair = "\(comparison.base) → \(comparison.other)"
        switch (comparison.baseHasSnapshot, comparison.otherHasSnapshot) {
        case (false, false): print("sources: not recorded in \(comparison.base) or \(comparison.other) (made before snapshots)")
        case (false, true): print("sources: \(comparison.base) has no snapshot (made before snapshots); \(comparison.other)'s files are all shown as added")
        case (true, false): print("sources: \(comparison.other) has no snapshot (made before snapshots); \(comparison.base)'s files are all shown as removed")
        case (true, true): break
        }
        if comparison.changes.isEmpty {
            if comparison.baseHasSnapshot || comparison.otherHasSnapshot { print("sources: the same (\(pair))") }
        } else {
            print("sources that differ (\(pair))\(diffs ? "" : "; --no-diff hides the diffs")")
            var rows = AlignedRows(indent: 2)
            for change in comparison.changes { rows.add([change.kind.rawValue, shown(change.path)]) }
            rows.print()
            if diffs {
                for change in comparison.changes {
                    print(colored(change.diff ?? "binary file \(shown(change.path)) differs\n"), terminator: "")
                }
            }
        }
        if comparison.commitChanged {
            print("git commit: \(short(comparison.baseCommit)) → \(short(comparison.otherCommit))")
            for line in comparison.log ?? [] { print("  " + line) }
        }
        if let patch = comparison.patchDiff {
            print("git.patch differs (uncommitted changes)")
            if diffs { print(colored(patch), terminator: "") }
        }
    }

    // MARK: view

    /// Prints one run's snapshot and git state.
    static func printProvenance(_ info: RunInfo) {
        let provenance = RunProvenance(manifest: info.manifest ?? .nil)
        print("")
        if provenance.hasSnapshot {
            let linked = provenance.linked > 0 ? ", \(provenance.linked) shared with an earlier run" : ""
            print("source (\(provenance.files.count) file\(provenance.files.count == 1 ? "" : "s"), \(ByteCount.text(Int64(provenance.bytes)))\(linked))")
            for file in provenance.files { print("  source/" + shown(file)) }
            for skipped in provenance.skipped { print("  skipped \(shown(skipped.path)): \(skipped.reason)") }
            if let command = provenance.command { print("  command: " + command.map(shown).joined(separator: " ")) }
        } else {
            print("source: not recorded (made before snapshots)")
        }
        if let rerunOf = provenance.rerunOf { print("  rerun of \(rerunOf)") }
        if let git = provenance.git {
            var line = "git: \(short(git.commit))"
            if let branch = git.branch { line += " on \(branch)" }
            line += git.dirty ? ", dirty" : ", clean"
            if let patch = git.patchFile { line += " (changes in \(patch))" }
            print(line)
            if let reason = git.patchSkipped { print("  git.patch not kept: \(reason)") }
            if !git.untracked.isEmpty { print("  untracked: " + git.untracked.map(shown).joined(separator: ", ")) }
        }
    }

    // MARK: Helpers

    /// A commit's first 12 digits, or `none`.
    static func short(_ commit: String?) -> String {
        commit.map { String($0.prefix(12)) } ?? "none"
    }

    /// A file name on one line: names with newlines or other controls are quoted.
    static func shown(_ name: String) -> String {
        name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } ? name.debugDescription : name
    }

    /// A diff with removed lines red, added lines green and hunk headers cyan, on a terminal.
    static func colored(_ diff: String) -> String {
        guard Terminal.useColor else { return diff }
        var out = ""
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("+++") || line.hasPrefix("---") { out += "\u{1B}[1m\(line)\u{1B}[0m\n" }
            else if line.hasPrefix("+") { out += "\u{1B}[32m\(line)\u{1B}[0m\n" }
            else if line.hasPrefix("-") { out += "\u{1B}[31m\(line)\u{1B}[0m\n" }
            else if line.hasPrefix("@@") { out += "\u{1B}[36m\(line)\u{1B}[0m\n" }
            else { out += line + "\n" }
        }
        return out
    }
}
