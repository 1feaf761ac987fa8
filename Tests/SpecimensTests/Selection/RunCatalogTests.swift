import Foundation
import InteropSupport
import MessagePack
import Testing
@testable import Specimens

/// The catalog is a cache: deleted, truncated, corrupted or stale, written by 64 processes at
/// once, or unwritable, the answers always equal those read from the manifests alone.
@Suite struct RunCatalogTests {
    static let queries: [RunQuery] = [
        RunQuery(),
        try! RunQuery(where: "status == 'completed' and params.lr < 1e-2"),
        try! RunQuery(where: "not (params.dropout > 0.2) or tags contains 'baseline'", sort: ["metrics.loss.last:desc"]),
        try! RunQuery(where: "exists params.opt.name", sort: ["params.layers", "started:desc"], limit: 7),
        try! RunQuery(where: "status in ['running', 'crashed', 'damaged']"),
    ]

    /// Each query's IDs, and the notes of the selections.
    static func answers(_ specimen: Specimen, _ mode: RunCatalogMode = .automatic) throws -> (ids: [[String]], notes: [String]) {
        var ids: [[String]] = [], notes: [String] = []
        for query in queries {
            let selection = try specimen.select(query, catalog: mode)
            ids.append(selection.runs.map { "\($0.id) \($0.status)" })
            notes += selection.notes
        }
        return (ids, notes)
    }

    static func segments(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/.catalog")) ?? []).filter { $0.hasSuffix(".segment") }.sorted()
    }

    static func make(_ folder: TemporaryFolder, count: Int = 60, seed: UInt64 = 7) throws -> (String, Specimen) {
        let path = try SyntheticRuns.randomSpecimen(in: folder.path, name: "cat", count: count, seed: seed)
        return (path, try Specimen(at: path))
    }

    @Test func builtOnFirstReadAndHiddenFromGlobs() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder)
        let reference = try Self.answers(specimen, .bypass)
        #expect(Self.segments(path).isEmpty)
        let first = try Self.answers(specimen)
        #expect(first.ids == reference.ids && first.notes.isEmpty)
        #expect(Self.segments(path).count == 1)
        // Warm: everything comes from the one segment; nothing more is written.
        #expect(try Self.answers(specimen).ids == reference.ids)
        #expect(Self.segments(path).count == 1)
        let globbed = try FileManager.default.contentsOfDirectory(atPath: path + "/runs").filter { !$0.hasPrefix(".") }
        #expect(globbed.count == 60 && !globbed.contains { $0.contains("catalog") })
    }

    @Test func deletedCatalogIsRebuilt() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder)
        let reference = try Self.answers(specimen, .bypass)
        _ = try Self.answers(specimen)
        try FileManager.default.removeItem(atPath: path + "/.catalog")
        #expect(try Self.answers(specimen).ids == reference.ids)
        #expect(Self.segments(path).count == 1)
    }

    /// Truncated at every kind of place, overwritten with garbage, or with bytes flipped: each
    /// time one note, the right answer, the segment replaced, and no note the next time.
    @Test func damagedSegmentsAreIgnoredReportedAndRebuilt() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder)
        let reference = try Self.answers(specimen, .bypass)
        var g = SeededGenerator(seed: 0xca7a_1065)
        for trial in 0 ..< 12 {
            _ = try Self.answers(specimen)
            let names = Self.segments(path)
            #expect(names.count == 1)
            let file = path + "/.catalog/" + names[0]
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            switch trial % 4 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0 ..< bytes.count, using: &g)))
            case 1: bytes = (0 ..< bytes.count).map { _ in UInt8.random(in: 0 ... 255, using: &g) }
            case 2:
                let index = Int.random(in: 0 ..< bytes.count, using: &g)
                bytes[index] ^= UInt8.random(in: 1 ... 255, using: &g)
            default:
                bytes += [0x90]
            }
            try FileManager.default.removeItem(atPath: file)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let damaged = try Self.answers(specimen)
            #expect(damaged.ids == reference.ids, "trial \(trial)")
            #expect(damaged.notes.count == 1 && damaged.notes[0].contains(names[0]) && damaged.notes[0].contains("damaged"), "trial \(trial): \(damaged.notes)")
            #expect(!Self.segments(path).contains(names[0]))
            let again = try Self.answers(specimen)
            #expect(again.ids == reference.ids && again.notes.isEmpty)
        }
    }

    @Test func staleCatalogFollowsTheRunsFolder() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder, count: 40)
        _ = try Self.answers(specimen)
        // Added by hand, removed by hand, and one created (unsealed) then sealed.
        try SyntheticRuns.write(path, id: SyntheticRuns.id(100), status: "failed", started: 1_793_500_000_000_000, ended: 1_793_500_060_000_000,
                                params: ["lr": 0.001, "dropout": 0.1], extra: [("tags", ["baseline"])])
        try FileManager.default.removeItem(atPath: path + "/runs/" + SyntheticRuns.id(3))
        try FileManager.default.removeItem(atPath: path + "/runs/" + SyntheticRuns.id(17))
        let unsealed = path + "/runs/" + SyntheticRuns.id(101)
        try FileManager.default.createDirectory(atPath: unsealed, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: unsealed + "/.journal"))
        var now = try Self.answers(specimen)
        #expect(now.ids == (try Self.answers(specimen, .bypass)).ids)
        #expect(now.ids[0].contains(SyntheticRuns.id(100) + " failed"))
        #expect(now.ids[0].contains(SyntheticRuns.id(101) + " crashed"))
        #expect(!now.ids[0].contains { $0.hasPrefix(SyntheticRuns.id(3)) })
        try FileManager.default.removeItem(atPath: unsealed + "/.journal")
        try SyntheticRuns.write(path, id: SyntheticRuns.id(101), status: "completed", started: 1_793_500_100_000_000, ended: 1_793_500_160_000_000)
        now = try Self.answers(specimen)
        #expect(now.ids == (try Self.answers(specimen, .bypass)).ids)
        #expect(now.ids[0].contains(SyntheticRuns.id(101) + " completed"))
    }

    @Test func manySegmentsAreMerged() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder, count: 10)
        for index in 0 ..< 2 * RunCatalog.segmentLimit + 2 {
            try SyntheticRuns.write(path, id: SyntheticRuns.id(200 + index), started: 1_793_600_000_000_000 + Int64(index), ended: 1_793_600_100_000_000)
            let answer = try Self.answers(specimen)
            #expect(answer.ids == (try Self.answers(specimen, .bypass)).ids)
            #expect(Self.segments(path).count <= RunCatalog.segmentLimit)
        }
        let snapshot = RunCatalog.read(path + "/.catalog", removeDamaged: false)
        #expect(snapshot.entries.count == 10 + 2 * RunCatalog.segmentLimit + 2 && snapshot.notes.isEmpty)
    }

    @Test func readOnlySpecimenIsQueriedInMemory() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder)
        let reference = try Self.answers(specimen, .bypass)
        chmod(path, 0o555)
        defer { chmod(path, 0o755) }
        #expect(try Self.answers(specimen).ids == reference.ids)
        #expect(!FileManager.default.fileExists(atPath: path + "/.catalog"))
        chmod(path, 0o755)
        _ = try Self.answers(specimen)
        try SyntheticRuns.write(path, id: SyntheticRuns.id(300), started: 1_793_700_000_000_000, ended: 1_793_700_100_000_000)
        chmod(path + "/.catalog", 0o555)
        defer { chmod(path + "/.catalog", 0o755) }
        let before = Self.segments(path)
        #expect(try Self.answers(specimen).ids == (try Self.answers(specimen, .bypass)).ids)
        #expect(Self.segments(path) == before)
        #expect(try Self.answers(specimen, .readOnly).ids == (try Self.answers(specimen, .bypass)).ids)
    }

    /// 32 processes sealing runs and 32 querying at once: every query succeeds, no segment is
    /// left that a reader cannot use, and afterwards the catalog holds each sealed run once.
    @Test func sixtyFourProcessesAtOnce() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try Self.make(folder, count: 30)
        var processes: [Process] = []
        for index in 0 ..< 64 {
            let arguments = index % 2 == 0 ? ["create", path, "2"] : ["select", path, "status == 'completed' or exists params.pid"]
            processes.append(try Testbed.start(arguments))
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(processes.map(\.terminationStatus))")
        let ids = try specimen.listRuns()
        #expect(ids.count == 30 + 32)
        let snapshot = RunCatalog.read(path + "/.catalog", removeDamaged: false)
        #expect(snapshot.notes.isEmpty, "\(snapshot.notes)")
        #expect(Set(snapshot.entries.map(\.key)).isSubset(of: Set(ids.map(\.key))))
        let answer = try Self.answers(specimen)
        #expect(answer.ids == (try Self.answers(specimen, .bypass)).ids && answer.notes.isEmpty)
        let after = RunCatalog.read(path + "/.catalog", removeDamaged: false)
        #expect(after.entries.map(\.key) == ids.map(\.key))
        #expect(try specimen.runs(where: "exists params.pid").count == 32)
    }
}
