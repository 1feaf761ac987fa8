#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack

/// Keeps what a new run runs: copies its source files into `source/` in the run folder before
/// it starts, writes `git.patch` when the work tree is dirty, and returns the manifest keys
/// that describe them (`source`, `git`, `executable`, `rerun_of`, `protocol`).
///
/// ```
/// runs/<id>/source/protocol.py      a copy, or a hard link to the previous run's identical,
/// runs/<id>/source/lib/util.py      read-only file (same inode; sealed files never change)
/// runs/<id>/git.patch               git diff HEAD, when tracked files changed
/// ```
///
/// Nothing here stops a run from starting: a file that cannot be kept is recorded in
/// `source.skipped` with the reason, and one warning goes to stderr.
enum SourceSnapshot {
    /// The folder in a run that holds its sources.
    static let folderName = "source"
    /// The default limit of sources, and separately of `git.patch`, per run: 1,000,000 bytes.
    static let defaultLimit = 1_000_000

    /// Takes the snapshot of a new run (created, not started yet) and returns its manifest keys.
    static func record(runFolder: String, runID: RunID, specimen: Specimen, options: SpecimenStorage.Options) -> [(key: MessagePackValue, value: MessagePackValue)] {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = []
        var warnings: [String] = []
        let limit = max(0, options.sourceLimit)
        let launch = options.launch
        let patterns = options.sources
        if !patterns.isEmpty || launch != nil {
            var outcome = Outcome()
            if let from = launch?.snapshotRunFolder {
                outcome.reuse(runFolder: from, into: runFolder)
            } else {
                outcome.copy(patterns, from: specimen.path, into: runFolder, limit: limit,
                             previous: previousRunFolder(specimen, before: runID))
            }
            var source: [(key: MessagePackValue, value: MessagePackValue)] = []
            if let command = launch?.command { source.append(("command", .array(command.map { .string($0) }))) }
            source.append(("patterns", .array(patterns.map { .string($0) })))
            source.append(("files", .array(outcome.files.map { .string($0) })))
            source.append(("bytes", .int(Int64(outcome.bytes))))
            source.append(("linked", .int(Int64(outcome.linked))))
            source.append(("limit", .int(Int64(limit))))
            source.append(("skipped", .array(outcome.skipped.map { .map([("path", .string($0.path)), ("reason", .string($0.reason))]) })))
            if let rerunOf = launch?.rerunOf, launch?.snapshotRunFolder != nil { source.append(("from_run", .string(rerunOf.rawValue))) }
            pairs.append(("source", .map(source)))
            if !outcome.skipped.isEmpty {
                let first = outcome.skipped[0]
                let more = outcome.skipped.count > 1 ? " (and \(outcome.skipped.count - 1) more; see `source.skipped` in its manifest)" : ""
                warnings.append("run \(runID) did not keep \(Self.quoted(first.path)): \(first.reason)\(more)")
            }
            if let file = launch?.protocolFile, let index = outcome.files.firstIndex(of: file), let digest = outcome.digests[index] {
                pairs.append(("protocol", .map([("path", .string(file)), ("sha256", .string(digest))])))
            }
        }
        if options.recordGit, let git = GitState.capture(folder: specimen.path, patchLimit: limit) {
            var written = false
            if let patch = git.patch {
                do {
                    try LocalStorage.shared.create(runFolder + "/" + GitState.patchName, patch)
                    written = true
                } catch {
                    warnings.append("run \(runID) could not write \(GitState.patchName): \(error)")
                }
            } else if let reason = git.patchSkipped {
                warnings.append("run \(runID) did not keep \(GitState.patchName): \(reason)")
            }
            pairs.append(("git", git.value(patchFile: written)))
        }
        if options.recordExecutable, let executable = ExecutableIdentity.current { pairs.append(("executable", executable)) }
        if let rerunOf = launch?.rerunOf { pairs.append(("rerun_of", .string(rerunOf.rawValue))) }
        if !warnings.isEmpty { Self.warn(warnings.joined(separator: "; ")) }
        return pairs
    }

    /// The newest sealed run before `id` that holds a `source/` folder.
    static func previousRunFolder(_ specimen: Specimen, before id: RunID) -> String? {
        guard let ids = try? specimen.runFolderIDs() else { return nil }
        for other in ids.reversed() where other < id {
            let folder = specimen.runPath(other)
            if LocalStorage.shared.exists(folder + "/" + RunFolder.manifest), LocalStorage.shared.isFolder(folder + "/" + folderName) { return folder }
        }
        return nil
    }

    /// A name as it is printed in one line: newlines and other controls escaped.
    static func quoted(_ name: String) -> String {
        name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) ? name.debugDescription : name
    }

    private static func warn(_ text: String) {
        FileHandle.standardError.write(Data("specimen: warning: \(text)\n".utf8))
    }

    /// The files kept, what was skipped, and how.
    struct Outcome {
        var files: [String] = []
        /// The SHA-256 of each kept file, where known.
        var digests: [String?] = []
        var skipped: [(path: String, reason: String)] = []
        var bytes = 0
        var linked = 0

        /// Copies the files `patterns` match under `base` into `runFolder/source/`, within `limit` bytes.
        mutating func copy(_ patterns: [String], from base: String, into runFolder: String, limit: Int, previous: String?) {
            var chosen: [String] = []
            for pattern in patterns {
                let found = SourceGlob.expand(pattern, in: base)
                skipped += found.skipped.filter { item in !skipped.contains { $0.path == item.path } }
                for file in found.files where !chosen.contains(file) { chosen.append(file) }
            }
            for relative in chosen.sorted() {
                let remaining = limit - bytes
                let target = runFolder + "/" + SourceSnapshot.folderName + "/" + relative
                do {
                    guard let bytesRead = try Self.readRegular(base + "/" + relative, limit: remaining) else {
                        skipped.append((relative, "would pass the \(limit)-byte source limit (--source-limit or `source_limit` in the specimen manifest)"))
                        continue
                    }
                    try Self.makeParents(of: target, under: runFolder)
                    let digest = FileDigest.sha256(bytes: bytesRead)
                    if let previous, Self.linkIfSame(previous + "/" + SourceSnapshot.folderName + "/" + relative, to: target, size: bytesRead.count, digest: digest) {
                        linked += 1
                    } else {
                        try LocalStorage.shared.create(target, bytesRead)
                    }
                    files.append(relative)
                    digests.append(digest)
                    bytes += bytesRead.count
                } catch {
                    skipped.append((relative, "could not be copied: \(error)"))
                }
            }
        }

        /// Gives the new run the sources of an earlier run: hard links (sealed files are
        /// read-only), or copies where linking fails.
        mutating func reuse(runFolder from: String, into runFolder: String) {
            let sourceFolder = from + "/" + SourceSnapshot.folderName
            for relative in FileDigest.visibleFiles(in: sourceFolder) {
                let path = sourceFolder + "/" + relative
                let target = runFolder + "/" + SourceSnapshot.folderName + "/" + relative
                guard let info = LocalStorage.shared.entry(path), info.kind == .file else {
                    skipped.append((relative, "is not a regular file in run \(from)'s source/; not followed"))
                    continue
                }
                do {
                    try Self.makeParents(of: target, under: runFolder)
                    let digest = try FileDigest.sha256(path)
                    if link(path, target) == 0 {
                        linked += 1
                    } else {
                        try LocalStorage.shared.create(target, try LocalStorage.shared.read(path, limit: 1 << 30))
                    }
                    files.append(relative)
                    digests.append(digest.hex)
                    bytes += digest.size
                } catch {
                    skipped.append((relative, "could not be copied: \(error)"))
                }
            }
        }

        /// The file's bytes when it is a regular file of at most `limit` bytes (opened without
        /// following a symbolic link); nil when it is larger.
        static func readRegular(_ path: String, limit: Int) throws -> [UInt8]? {
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
            var info = stat()
            let isRegular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            close(fd)
            guard isRegular else { throw SpecimenError(.notFound, "\(path) is not a regular file", path: path) }
            guard Int(info.st_size) <= limit else { return nil }
            do {
                return try LocalStorage.shared.read(path, limit: limit)
            } catch let error as SpecimenError where error.code == .damaged {
                return nil   // grew past the limit while being read
            }
        }

        /// Creates the folders between `runFolder` and `target`'s parent.
        static func makeParents(of target: String, under runFolder: String) throws {
            let relative = target.dropFirst(runFolder.count + 1)
            var folder = runFolder
            for component in relative.split(separator: "/").dropLast() {
                folder += "/" + component
                try LocalStorage.shared.createFolder(folder)
            }
        }

        /// Hard-links `previous` to `target` when it is a regular file with the same size and digest.
        static func linkIfSame(_ previous: String, to target: String, size: Int, digest: String) -> Bool {
            guard let info = LocalStorage.shared.entry(previous), info.kind == .file, info.size == size,
                  let existing = try? FileDigest.sha256(previous), existing.hex == digest
            else { return false }
            return link(previous, target) == 0
        }
    }
}
