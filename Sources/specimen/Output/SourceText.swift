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

    /// Adds `sources`: one entry per run after the first, with changed files and diffs.
    static func appendComparisons(_ specimen: Specimen, _ infos: [RunInfo], to json: inout JSONText, diffs: Bool) {
        json.key("sources")
        json.beginArray()
        if let base = infos.first {
            for info in infos.dropFirst() {
                guard let comparison = try? SourceComparison(specimen, base: base.id, other: info.id) else { continue }
                json.beginObject()
                json.key("base_run"); json.append(comparison.base.rawValue)
                json.key("run"); json.append(comparison.other.rawValue)
                json.key("base_has_snapshot"); json.append(comparison.baseHasSnapshot)
                json.key("has_snapshot"); json.append(comparison.otherHasSnapshot)
                json.key("changed")
                json.beginArray()
                for change in comparison.changes {
                    json.beginObject()
                    json.key("path"); json.append(change.path)
                    json.key("change"); json.append(change.kind.rawValue)
                    json.key("binary"); json.append(change.diff == nil)
                    json.key("diff"); if diffs, let diff = change.diff { json.append(diff) } else { json.appendNull() }
                    json.endObject()
                }
                json.endArray()
                json.key("git")
                json.beginObject()
                json.key("base_commit"); optional(comparison.baseCommit, &json)
                json.key("commit"); optional(comparison.otherCommit, &json)
                json.key("commit_changed"); json.append(comparison.commitChanged)
                json.key("log")
                if let log = comparison.log {
                    json.beginArray(); for line in log { json.append(line) }; json.endArray()
                } else { json.appendNull() }
                json.key("patch_changed"); json.append(comparison.patchDiff != nil)
                json.key("patch_diff"); optional(diffs ? comparison.patchDiff : nil, &json)
                json.endObject()
                json.endObject()
            }
        }
        json.endArray()
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

    /// Adds `source` and `git` for one run.
    static func appendProvenance(_ info: RunInfo, to json: inout JSONText) {
        let provenance = RunProvenance(manifest: info.manifest ?? .nil)
        json.key("source")
        if provenance.hasSnapshot {
            json.beginObject()
            json.key("files"); json.beginArray(); for file in provenance.files { json.append(file) }; json.endArray()
            json.key("bytes"); json.append(Int64(provenance.bytes))
            json.key("linked"); json.append(Int64(provenance.linked))
            json.key("skipped")
            json.beginArray()
            for skipped in provenance.skipped {
                json.beginObject(); json.key("path"); json.append(skipped.path); json.key("reason"); json.append(skipped.reason); json.endObject()
            }
            json.endArray()
            json.key("command")
            if let command = provenance.command { json.beginArray(); for part in command { json.append(part) }; json.endArray() } else { json.appendNull() }
            json.endObject()
        } else {
            json.appendNull()
        }
        json.key("rerun_of"); optional(provenance.rerunOf, &json)
        json.key("git")
        if let git = provenance.git {
            json.beginObject()
            json.key("commit"); optional(git.commit, &json)
            json.key("branch"); optional(git.branch, &json)
            json.key("dirty"); json.append(git.dirty)
            json.key("patch"); optional(git.patchFile, &json)
            json.key("patch_skipped"); optional(git.patchSkipped, &json)
            json.key("untracked"); json.beginArray(); for name in git.untracked { json.append(name) }; json.endArray()
            json.endObject()
        } else {
            json.appendNull()
        }
    }

    // MARK: Helpers

    private static func optional(_ text: String?, _ json: inout JSONText) {
        if let text { json.append(text) } else { json.appendNull() }
    }

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
