import Foundation
import InteropSupport
import MessagePack
@testable import Specimens

import Testing

@Suite("Git state of runs")
struct GitStateTests {
    /// A git repository made by the test, holding a specimen with a committed protocol.
    final class Repository {
        let folder: TemporaryFolder
        var root: String { folder.path + "/repo" }
        var specimen: String { root + "/specimens/s" }

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try git(["init", "-q", "."])
            try git(["config", "user.name", "Specimen Tests"])
            try git(["config", "user.email", "tests@specimen.invalid"])
            try git(["config", "commit.gpgsign", "false"])
            try Specimen.create(at: specimen)
            try write("specimens/s/protocol.py", "print(1)\n")
            try git(["add", "-A"])
            try git(["commit", "-q", "-m", "first"])
        }

        func write(_ relative: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + relative))
        }

        @discardableResult
        func git(_ arguments: [String]) throws -> String {
            let result = try ProcessResult.run("/usr/bin/env", ["git", "-C", root] + arguments)
            guard result.status == 0 else { throw FixtureFailure("git \(arguments.joined(separator: " ")): \(result.stderrText)") }
            return result.stdoutText
        }

        func run(limit: Int? = nil) throws -> (folder: String, manifest: MessagePackValue) {
            var options = testOptions()
            options.recordGit = true
            if let limit { options.sourceLimit = limit }
            let storage = try SpecimenStorage(at: specimen, options: options)
            try storage.finish()
            return (storage.strataPath, try readManifest(storage.strataPath))
        }
    }

    struct FixtureFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func aCleanTreeRecordsItsCommitAndNoPatch() throws {
        let repository = try Repository()
        let head = try repository.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let (folder, manifest) = try repository.run()
        #expect(manifest["git"]?["commit"]?.stringValue == head)
        #expect(manifest["git"]?["dirty"] == .bool(false))
        #expect(manifest["git"]?["patch"] == nil)
        #expect(manifest["git"]?["untracked"] == .array([]))
        #expect(!FileManager.default.fileExists(atPath: folder + "/git.patch"))
        let provenance = RunProvenance(manifest: manifest)
        #expect(provenance.git?.commit == head)
        #expect(provenance.git?.branch?.isEmpty == false)
    }

    @Test func aDirtyTreeKeepsItsPatchAndNamesUntrackedFiles() throws {
        let repository = try Repository()
        try repository.write("specimens/s/protocol.py", "print(2)\n")
        try repository.write("notes with space.txt", "untracked\n")
        try repository.write("odd\nname.txt", "untracked too\n")
        let (folder, manifest) = try repository.run()
        #expect(manifest["git"]?["dirty"] == .bool(true))
        #expect(manifest["git"]?["patch"]?.stringValue == "git.patch")
        let patch = try String(contentsOfFile: folder + "/git.patch", encoding: .utf8)
        #expect(patch.contains("-print(1)\n+print(2)\n"))
        #expect(patch.contains("specimens/s/protocol.py"))
        #expect(manifest["files"]?["git.patch"]?["sha256"]?.stringValue == (try FileDigest.sha256(folder + "/git.patch")).hex)
        let untracked = Set(manifest["git"]?["untracked"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(untracked.contains("notes with space.txt"))
        #expect(untracked.contains("odd\nname.txt"))
        #expect(!patch.contains("untracked too"))   // untracked files by name only
    }

    @Test func aPatchOverTheLimitIsSkippedWithItsReason() throws {
        let repository = try Repository()
        try repository.write("specimens/s/protocol.py", String(repeating: "print('a long line of changes')\n", count: 200))
        let (folder, manifest) = try repository.run(limit: 500)
        #expect(manifest["status"]?.stringValue == "completed")
        #expect(manifest["git"]?["dirty"] == .bool(true))
        #expect(manifest["git"]?["patch"] == nil)
        #expect(manifest["git"]?["patch_skipped"]?.stringValue?.contains("500-byte limit") == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/git.patch"))
    }

    @Test func outsideARepositoryThereIsNoGitState() throws {
        let folder = try TemporaryFolder()
        var options = testOptions()
        options.recordGit = true
        let storage = try SpecimenStorage(at: folder.path + "/s", options: options)
        try storage.finish()
        #expect(try readManifest(storage.strataPath)["git"] == nil)
    }

    @Test("git is asked only where a folder at or above the specimen holds .git (a folder or a file)")
    func gitIsAskedOnlyNearADotGit() throws {
        let folder = try TemporaryFolder()
        let nested = folder.path + "/a/b/c"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
        #expect(!GitCommand.mayBeInRepository(nested))
        #expect(!GitCommand.mayBeInRepository(folder.path + "/a/missing"))
        try Data("gitdir: /elsewhere\n".utf8).write(to: URL(fileURLWithPath: folder.path + "/a/.git"))
        #expect(GitCommand.mayBeInRepository(nested))
        #expect(GitCommand.mayBeInRepository(folder.path + "/a"))
        #expect(!GitCommand.mayBeInRepository(folder.path))
        let repository = try Repository()
        #expect(GitCommand.mayBeInRepository(repository.specimen))
    }
}
