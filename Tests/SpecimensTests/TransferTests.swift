import Foundation
import InteropSupport
import MessagePack
@testable import Specimens
import Testing

/// `SpecimenTransfer` between two folders on disk: the algorithm is the one `push` and
/// `pull` use with S3 at one end.
@Suite struct TransferTests {
    /// A specimen with `sealed` sealed runs (each with a file in a subfolder) and, when
    /// `running`, one more run left open; returns the open writer (keep it alive).
    static func makeSpecimen(_ folder: String, sealed: Int, running: Bool) throws -> SpecimenStorage? {
        for index in 0 ..< sealed {
            let writer = try SpecimenStorage(at: folder, params: ["index": .int(Int64(index))], options: testOptions())
            for step in 0 ..< 20 { try writer.log(["loss": .double(Double(index * 100 + step))]) }
            let extra = writer.strataPath + "/out"
            try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
            try Data("model \(index)\n".utf8).write(to: URL(fileURLWithPath: extra + "/model.txt"))
            try writer.finish()
        }
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: folder + "/field_notes.md"))
        guard running else { return nil }
        let open = try SpecimenStorage(at: folder, params: ["open": true], options: testOptions())
        try open.log(["loss": .double(1)])
        try open.flush()
        return open
    }

    /// Every visible file under `folder`, relative path → bytes.
    static func tree(_ folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for path in FileDigest.visibleFiles(in: folder) { result[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)) }
        return result
    }

    @Test func localFilesAreCopiedPieceByPieceWithTheirDigest() throws {
        let temp = try TemporaryFolder()
        let bytes = (0 ..< LocalStorage.pieceBytes + 5).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 13) }
        let source = temp.path + "/big.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        var pieces: [Int] = []
        try LocalStorage.shared.readPieces(source, limit: bytes.count) { pieces.append($0.count) }
        #expect(pieces == [LocalStorage.pieceBytes, 5])
        #expect(throws: SpecimenError.self) { try LocalStorage.shared.readPieces(source, limit: bytes.count - 1) { _ in } }

        let copied = try LocalStorage.shared.createCopy(of: source, at: temp.path + "/copy.bin")
        let digest = try FileDigest.sha256(source)
        #expect(copied.size == bytes.count && copied.sha256 == digest.hex)
        #expect(try Data(contentsOf: URL(fileURLWithPath: temp.path + "/copy.bin")) == Data(bytes))
        // Never replaced: a second copy to the same path is refused and leaves no temporary file.
        #expect(throws: SpecimenError.self) { try LocalStorage.shared.createCopy(of: source, at: temp.path + "/copy.bin") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted() == ["big.bin", "copy.bin"])
    }

    @Test func aSourceFileThatNoLongerMatchesItsManifestIsNotCopied() throws {
        let temp = try TemporaryFolder()
        _ = try Self.makeSpecimen(temp.path + "/a/demo", sealed: 2, running: false)
        let source = try Specimen(at: temp.path + "/a/demo")
        let ids = try source.listRuns()
        let changed = source.runPath(ids[0]) + "/out/model.txt"
        chmod(changed, 0o644)
        try Data("model 0, changed after sealing\n".utf8).write(to: URL(fileURLWithPath: changed))

        let report = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        #expect(report.runs(.failed) == [ids[0]])
        #expect(report.runs(.copied) == [ids[1]])
        let failed = try #require(report.runs.first { $0.id == ids[0] })
        #expect(failed.message?.contains("does not match the size and SHA-256") == true, "\(failed.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/b/demo/runs/\(ids[0])/out/model.txt"))
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/b/demo/runs/\(ids[0])/manifest.msgpack"))
    }

    @Test func copiesSealedRunsBetweenFoldersAndSkipsThemTheSecondTime() throws {
        let temp = try TemporaryFolder()
        let open = try Self.makeSpecimen(temp.path + "/a/demo", sealed: 3, running: true)
        defer { try? open?.finish() }
        let source = try Specimen(at: temp.path + "/a/demo")
        let ids = try source.listRuns()
        let openID = try #require(open?.runID)

        let first = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        #expect(first.runs(.copied) == ids.filter { $0 != openID })
        #expect(first.runs(.running) == [openID])
        #expect(!first.hasProblems)
        #expect(Set(first.specimenFiles.map(\.name)) == ["manifest.msgpack", "field_notes.md"])
        let copy = try Specimen(at: temp.path + "/b/demo")
        #expect(try copy.listRuns() == ids.filter { $0 != openID })
        for id in try copy.listRuns() {
            #expect(try Self.tree(copy.runPath(id)) == Self.tree(source.runPath(id)))
            #expect(try copy.verify(run: id).isIntact)
            #expect(fileMode(copy.runPath(id) + "/metrics.parquet") & 0o222 == 0)
        }

        let second = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        #expect(second.runs(.copied).isEmpty)
        #expect(second.runs(.skipped).count == 3)
        #expect(second.specimenFiles.allSatisfy { $0.outcome == .same })
        #expect(second.bytesCopied == 0)
    }

    @Test func aDryRunWritesNothing() throws {
        let temp = try TemporaryFolder()
        _ = try Self.makeSpecimen(temp.path + "/a/demo", sealed: 2, running: false)
        var options = TransferOptions()
        options.dryRun = true
        let report = try SpecimenTransfer(from: try Specimen(at: temp.path + "/a/demo"), to: temp.path + "/b/demo",
                                          storage: LocalStorage.shared, options: options).run()
        #expect(report.runs(.copied).count == 2)
        #expect(!FileManager.default.fileExists(atPath: temp.path + "/b"))
    }

    @Test func aDifferentRunUnderTheSameIDIsAClashAndIsLeftAlone() throws {
        let temp = try TemporaryFolder()
        _ = try Self.makeSpecimen(temp.path + "/a/demo", sealed: 1, running: false)
        let source = try Specimen(at: temp.path + "/a/demo")
        let id = try #require(try source.listRuns().first)
        // The same tree, but one run's manifest differs (another run under the same ID).
        _ = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        let manifest = temp.path + "/b/demo/runs/\(id)/manifest.msgpack"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: manifest)
        var changed = try RunManifest(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: manifest))))
        changed.append(key: "notes", value: "another run")
        try Data(changed.encoded()).write(to: URL(fileURLWithPath: manifest))
        let before = try Self.tree(temp.path + "/b/demo")

        let report = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        #expect(report.runs(.clash) == [id])
        #expect(report.hasProblems)
        #expect(report.runs.first?.message?.contains("manifest differs") == true)
        #expect(try Self.tree(temp.path + "/b/demo") == before)
    }

    @Test func anInterruptedCopyIsCompletedAndAForeignFileIsAClash() throws {
        let temp = try TemporaryFolder()
        _ = try Self.makeSpecimen(temp.path + "/a/demo", sealed: 2, running: false)
        let source = try Specimen(at: temp.path + "/a/demo")
        let ids = try source.listRuns()
        // Interrupted: the first run's metrics copied, not its other file nor its manifest.
        let partial = temp.path + "/b/demo/runs/\(ids[0])"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source.runPath(ids[0]) + "/metrics.parquet", toPath: partial + "/metrics.parquet")
        // The second run's folder holds a file the source run lacks: not this run.
        let foreign = temp.path + "/b/demo/runs/\(ids[1])"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: foreign + "/other.txt"))

        let report = try SpecimenTransfer(from: source, to: temp.path + "/b/demo", storage: LocalStorage.shared).run()
        #expect(report.runs(.copied) == [ids[0]])
        #expect(report.runs.first?.filesPresent == 1)
        #expect(report.runs(.clash) == [ids[1]])
        #expect(try Self.tree(partial) == Self.tree(source.runPath(ids[0])))
        #expect(try Self.tree(foreign) == ["other.txt": Data("x".utf8)])
    }

    @Test func aManifestCannotMakeItWriteOutsideTheRun() throws {
        for path in ["../x", "/etc/x", "a//b", ".hidden", "a/../../b", ""] {
            #expect(throws: SpecimenError.self) { try SpecimenTransfer.checkRelativePath(path, run: RunID("20250101_120000"), manifest: "m") }
        }
        try SpecimenTransfer.checkRelativePath("out/model.txt", run: RunID("20250101_120000"), manifest: "m")
    }
}
