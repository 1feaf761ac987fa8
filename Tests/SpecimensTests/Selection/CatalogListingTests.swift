import Foundation
import InteropSupport
import MessagePack
import Testing
@testable import Specimens

/// The catalog's recorded listing of `runs/` (`.catalog/runs.listing`): used only while the
/// folder keeps the device, inode, size, links, mtime and ctime it had when listed, recorded
/// only once the folder has been quiet for `RunListing.quietPeriod`, and never the source of
/// truth: runs added or removed by hand (within the same second), runs sealed since, and a
/// damaged file all give the answer read from the manifests alone.
@Suite struct CatalogListingTests {
    static func listingPath(_ specimen: String) -> String { specimen + "/.catalog/" + RunListing.fileName }

    /// Waits until `runs/` has been unchanged for the quiet period, so a query records its listing.
    static func waitUntilQuiet(_ specimen: String) throws {
        let stamp = try #require(RunListing.Stamp.of(specimen + "/runs"))
        while !RunListing.mayRecord(stamp, statTime: RunListing.now()) { usleep(50_000) }
    }

    @Test func quietRule() {
        let now = RunListing.now()
        func stamp(changedAt time: Int64) -> RunListing.Stamp {
            RunListing.Stamp(device: 1, inode: 2, size: 4096, links: 2, mtime: (time / 1_000_000_000, time % 1_000_000_000),
                             ctime: (time / 1_000_000_000, time % 1_000_000_000))
        }
        #expect(!RunListing.mayRecord(stamp(changedAt: now), statTime: now))
        #expect(!RunListing.mayRecord(stamp(changedAt: now - RunListing.quietPeriod + 1), statTime: now))
        #expect(RunListing.mayRecord(stamp(changedAt: now - RunListing.quietPeriod), statTime: now))
        #expect(!RunListing.mayRecord(stamp(changedAt: now + 5_000_000_000), statTime: now))   // a time in the future
        var mixed = stamp(changedAt: now - 10_000_000_000)
        mixed.ctime = (now / 1_000_000_000, 0)   // ctime recent (e.g. `touch -d` set mtime back)
        #expect(!RunListing.mayRecord(mixed, statTime: now + 500_000_000))
    }

    @Test func encodedListingReadsBackOnlyForTheSameStamp() throws {
        let folder = try TemporaryFolder()
        let stamp = RunListing.Stamp(device: 7, inode: 99, size: 4096, links: 12, mtime: (1_700_000_000, 5), ctime: (1_700_000_001, 6))
        let keys: [UInt64] = [2026010100000000, 2026010100000100, 2026010212000001]
        try RunListing.write(keys, stamp: stamp, to: folder.path)
        guard case .success(let read)? = RunListing.read(folder.path, current: stamp) else { Issue.record("not read back"); return }
        #expect(read == keys)
        for changed in [\RunListing.Stamp.inode, \.size, \.links, \.device] {
            var other = stamp
            other[keyPath: changed] += 1
            #expect(RunListing.read(folder.path, current: other) == nil)
        }
        var other = stamp
        other.mtime.nanoseconds += 1
        #expect(RunListing.read(folder.path, current: other) == nil)
        other = stamp
        other.ctime.seconds += 1
        #expect(RunListing.read(folder.path, current: other) == nil)
    }

    @Test func recordedOnlyOnceRunsIsQuiet() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try RunCatalogTests.make(folder, count: 30)
        let reference = try RunCatalogTests.answers(specimen, .bypass)
        // runs/ was just written: listed, not recorded.
        #expect(try RunCatalogTests.answers(specimen).ids == reference.ids)
        #expect(!FileManager.default.fileExists(atPath: Self.listingPath(path)))
        try Self.waitUntilQuiet(path)
        #expect(try RunCatalogTests.answers(specimen).ids == reference.ids)
        #expect(FileManager.default.fileExists(atPath: Self.listingPath(path)))
        // Used while runs/ is unchanged: a recorded listing that (falsely) lacks a run is
        // believed, which shows that the folder is not read again...
        let stamp = try #require(RunListing.Stamp.of(path + "/runs"))
        let keys = try specimen.listRuns().map(\.key)
        try RunListing.write(Array(keys.dropFirst()), stamp: stamp, to: path + "/.catalog")
        #expect(try specimen.runs(RunQuery()).count == keys.count - 1)
        // ...and dropped as soon as runs/ changes.
        try SyntheticRuns.write(path, id: SyntheticRuns.id(500), started: 1_793_800_000_000_000, ended: 1_793_800_060_000_000)
        #expect(try specimen.runs(RunQuery()).count == keys.count + 1)
        #expect(try RunCatalogTests.answers(specimen).ids == (try RunCatalogTests.answers(specimen, .bypass)).ids)
    }

    /// Right after a listing is recorded, runs added and removed by hand (within the same
    /// second, with no catalog write in between) and a run sealed since are all seen.
    @Test func changesRightAfterRecordingAreSeen() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try RunCatalogTests.make(folder, count: 40)
        let unsealed = path + "/runs/" + SyntheticRuns.id(101)
        try FileManager.default.createDirectory(atPath: unsealed, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: unsealed + "/.journal"))
        try Self.waitUntilQuiet(path)
        _ = try RunCatalogTests.answers(specimen)
        #expect(FileManager.default.fileExists(atPath: Self.listingPath(path)))

        // Added by hand, at once.
        try SyntheticRuns.write(path, id: SyntheticRuns.id(100), status: "failed", started: 1_793_500_000_000_000, ended: 1_793_500_060_000_000,
                                params: ["lr": 0.001], extra: [("tags", ["baseline"])])
        var now = try RunCatalogTests.answers(specimen)
        #expect(now.ids == (try RunCatalogTests.answers(specimen, .bypass)).ids)
        #expect(now.ids[0].contains(SyntheticRuns.id(100) + " failed"))

        // Removed by hand, twice within a moment (the second with no query in between).
        try Self.waitUntilQuiet(path)
        _ = try RunCatalogTests.answers(specimen)
        try FileManager.default.removeItem(atPath: path + "/runs/" + SyntheticRuns.id(3))
        _ = try RunCatalogTests.answers(specimen)
        try FileManager.default.removeItem(atPath: path + "/runs/" + SyntheticRuns.id(17))
        now = try RunCatalogTests.answers(specimen)
        #expect(now.ids == (try RunCatalogTests.answers(specimen, .bypass)).ids)
        #expect(!now.ids[0].contains { $0.hasPrefix(SyntheticRuns.id(3)) || $0.hasPrefix(SyntheticRuns.id(17)) })

        // Sealed since: runs/ itself does not change, the run's own files do.
        try Self.waitUntilQuiet(path)
        now = try RunCatalogTests.answers(specimen)
        #expect(now.ids[0].contains(SyntheticRuns.id(101) + " crashed"))
        let recorded = try #require(RunListing.Stamp.of(path + "/runs"))
        try FileManager.default.removeItem(atPath: unsealed + "/.journal")
        try SyntheticRuns.write(path, id: SyntheticRuns.id(101), status: "completed", started: 1_793_500_100_000_000, ended: 1_793_500_160_000_000)
        #expect(RunListing.Stamp.of(path + "/runs") == recorded)
        now = try RunCatalogTests.answers(specimen)
        #expect(now.ids == (try RunCatalogTests.answers(specimen, .bypass)).ids)
        #expect(now.ids[0].contains(SyntheticRuns.id(101) + " completed"))
    }

    @Test func damagedListingIsIgnoredReportedAndReplaced() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try RunCatalogTests.make(folder, count: 25)
        let reference = try RunCatalogTests.answers(specimen, .bypass)
        try Self.waitUntilQuiet(path)
        var g = SeededGenerator(seed: 0x1157)
        for trial in 0 ..< 6 {
            _ = try RunCatalogTests.answers(specimen)
            let file = Self.listingPath(path)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            switch trial % 3 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0 ..< bytes.count, using: &g)))
            case 1: bytes[Int.random(in: 0 ..< bytes.count, using: &g)] ^= UInt8.random(in: 1 ... 255, using: &g)
            default: bytes += [0, 0, 0, 0, 0, 0, 0, 0]
            }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let damaged = try specimen.select(RunQuery())
            #expect(damaged.runs.map { "\($0.id) \($0.status)" } == reference.ids[0], "trial \(trial)")
            #expect(damaged.notes.count == 1 && damaged.notes[0].contains(RunListing.fileName), "trial \(trial): \(damaged.notes)")
            let again = try RunCatalogTests.answers(specimen)
            #expect(again.ids == reference.ids && again.notes.isEmpty, "trial \(trial): \(again.notes)")
        }
    }

    @Test func readOnlyModeUsesButNeverWritesIt() throws {
        let folder = try TemporaryFolder()
        let (path, specimen) = try RunCatalogTests.make(folder, count: 20)
        try Self.waitUntilQuiet(path)
        _ = try RunCatalogTests.answers(specimen, .readOnly)
        #expect(!FileManager.default.fileExists(atPath: Self.listingPath(path)))
        _ = try RunCatalogTests.answers(specimen)
        let before = try Data(contentsOf: URL(fileURLWithPath: Self.listingPath(path)))
        #expect(try RunCatalogTests.answers(specimen, .readOnly).ids == (try RunCatalogTests.answers(specimen, .bypass)).ids)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.listingPath(path))) == before)
    }
}
