#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import MessagePack
@testable import Specimens

import Testing

@Suite("Source snapshots")
struct SourceSnapshotTests {
    /// A specimen folder with source files, plus a folder outside it.
    final class Layout {
        let folder: TemporaryFolder
        var specimen: String { folder.path + "/specimens/s" }
        var outside: String { folder.path + "/outside" }

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try Specimen.create(at: specimen)
        }

        func write(_ relative: String, _ text: String) throws {
            let path = specimen + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }

        /// One run with `sources`, sealed; returns its folder and manifest.
        func run(_ sources: [String], limit: Int? = nil) throws -> (folder: String, manifest: MessagePackValue) {
            var options = testOptions()
            options.sources = sources
            if let limit { options.sourceLimit = limit }
            let storage = try SpecimenStorage(at: specimen, options: options)
            try storage.log(["x": 1.0])
            try storage.finish()
            return (storage.strataPath, try readManifest(storage.strataPath))
        }
    }

    static func skipped(_ manifest: MessagePackValue) -> [String: String] {
        var result: [String: String] = [:]
        for item in manifest["source"]?["skipped"]?.arrayValue ?? [] {
            if let path = item["path"]?.stringValue, let reason = item["reason"]?.stringValue { result[path] = reason }
        }
        return result
    }

    @Test func globsCopyMatchingFilesAndTheManifestListsThemWithTheirDigests() throws {
        let layout = try Layout()
        try layout.write("train.py", "print('train')\n")
        try layout.write("lib/util.py", "X = 1\n")
        try layout.write("lib/deep/more.py", "Y = 2\n")
        try layout.write("lib/notes.txt", "not python\n")
        try layout.write(".hidden.py", "secret\n")
        let (folder, manifest) = try layout.run(["*.py", "lib/**/*.py", "missing/*.csv"])
        #expect(manifest["source"]?["files"] == ["lib/deep/more.py", "lib/util.py", "train.py"].map { MessagePackValue.string($0) }.messagePackArray)
        for file in ["train.py", "lib/util.py", "lib/deep/more.py"] {
            let copy = folder + "/source/" + file
            #expect(try String(contentsOfFile: copy, encoding: .utf8) == String(contentsOfFile: layout.specimen + "/" + file, encoding: .utf8))
            let digest = try FileDigest.sha256(copy)
            #expect(manifest["files"]?["source/" + file]?["sha256"]?.stringValue == digest.hex)
            #expect(fileMode(copy) == 0o444)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/source/.hidden.py"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/source/lib/notes.txt"))
        #expect(Self.skipped(manifest)["missing/*.csv"] == "matched no file")
        #expect(manifest["executable"]?["sha256"]?.stringValue?.count == 64)
    }

    @Test func hostileNamesAreKeptOrRefusedNeverFollowed() throws {
        let layout = try Layout()
        try layout.write("with space.py", "a = 1\n")
        try layout.write("new\nline.py", "b = 2\n")
        try Data("outside secret\n".utf8).write(to: URL(fileURLWithPath: layout.outside + "/secret.py"))
        try FileManager.default.createDirectory(atPath: layout.outside + "/dir", withIntermediateDirectories: true)
        try Data("in a linked folder\n".utf8).write(to: URL(fileURLWithPath: layout.outside + "/dir/inner.py"))
        #expect(symlink("../../outside/secret.py", layout.specimen + "/link.py") == 0)
        #expect(symlink(layout.outside + "/dir", layout.specimen + "/linked") == 0)
        let (folder, manifest) = try layout.run(["*.py", "linked/*.py", "linked/**", "../outside/*.py", "/etc/hostname", "runs/**", "..", "*/../outside/secret.py"])
        let files = Set(FileDigest.visibleFiles(in: folder + "/source"))
        #expect(files == ["with space.py", "new\nline.py"])
        #expect(manifest["files"]?["source/new\nline.py"]?["size"]?.intValue == 6)
        let skipped = Self.skipped(manifest)
        #expect(skipped["link.py"]?.contains("symbolic link") == true)
        #expect(skipped["linked"]?.contains("symbolic link") == true)
        #expect(skipped["../outside/*.py"]?.contains("..") == true)
        #expect(skipped[".."]?.contains("..") == true)
        #expect(skipped["*/../outside/secret.py"]?.contains("..") == true)
        #expect(skipped["/etc/hostname"]?.contains("absolute") == true)
        #expect(skipped["runs"]?.contains("inside runs/") == true)
        // Nothing of the outside folder reached the run, under any name.
        for file in files {
            #expect(try String(contentsOfFile: folder + "/source/" + file, encoding: .utf8).contains("outside") == false)
        }
    }

    @Test func filesPastTheLimitAreSkippedAndTheRunStillCompletes() throws {
        let layout = try Layout()
        try layout.write("small.py", String(repeating: "s", count: 100))
        try layout.write("zbig.bin", String(repeating: "b", count: 5000))
        let (folder, manifest) = try layout.run(["*.py", "*.bin"], limit: 1000)
        #expect(manifest["status"]?.stringValue == "completed")
        #expect(FileManager.default.fileExists(atPath: folder + "/source/small.py"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/source/zbig.bin"))
        #expect(Self.skipped(manifest)["zbig.bin"]?.contains("1000-byte source limit") == true)
        #expect(manifest["source"]?["bytes"]?.intValue == 100)
        #expect(manifest["source"]?["limit"]?.intValue == 1000)
    }

    @Test func anUnchangedFileIsAHardLinkToThePreviousRunsCopy() throws {
        let layout = try Layout()
        try layout.write("protocol.py", "v = 1\n")
        try layout.write("other.py", "w = 1\n")
        let first = try layout.run(["*.py"])
        try layout.write("other.py", "w = 2\n")
        let second = try layout.run(["*.py"])
        func inode(_ path: String) -> UInt64 { LocalStorage.shared.entry(path)?.inode ?? 0 }
        #expect(inode(first.folder + "/source/protocol.py") == inode(second.folder + "/source/protocol.py"))
        #expect(inode(first.folder + "/source/other.py") != inode(second.folder + "/source/other.py"))
        #expect(second.manifest["source"]?["linked"]?.intValue == 1)
        #expect(try String(contentsOfFile: first.folder + "/source/other.py", encoding: .utf8) == "w = 1\n")
        #expect(try String(contentsOfFile: second.folder + "/source/other.py", encoding: .utf8) == "w = 2\n")
        // Both runs verify: the shared file is read-only and unchanged.
        #expect(fileMode(second.folder + "/source/protocol.py") == 0o444)
        let specimen = try Specimen(at: layout.specimen)
        for id in try specimen.listRuns() {
            let report = try specimen.verify(run: id)
            #expect(report.isIntact, "\(report)")
        }
    }

    @Test func runsWithoutSourcesRecordNoSnapshot() throws {
        let layout = try Layout()
        let (folder, manifest) = try layout.run([])
        #expect(manifest["source"] == nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/source"))
        #expect(RunProvenance(manifest: manifest).hasSnapshot == false)
    }
}

extension Array where Element == MessagePackValue {
    /// The array as a MessagePack array value.
    var messagePackArray: MessagePackValue { .array(MessagePackArray(self)) }
}
