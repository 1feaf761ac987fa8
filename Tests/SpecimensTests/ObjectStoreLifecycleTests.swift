import Foundation
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// The run lifecycle in storage that never replaces nor removes (`canReplace` false, as a
/// versioned S3 bucket): one write per file, the heartbeat from the journal's writes.
@Suite("Lifecycle in storage that never replaces")
struct ObjectStoreLifecycleTests {
    /// Makes every sync of `memory` signal `entered`, then wait for `gate` (as an upload that
    /// stalls until the test lets it go).
    func holdSyncs(_ memory: MemoryStorage) -> (entered: DispatchSemaphore, gate: DispatchSemaphore) {
        let entered = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        memory.onSync {
            entered.signal()
            gate.wait()
        }
        return (entered, gate)
    }

    func options() -> SpecimenStorage.Options {
        var options = SpecimenStorage.Options()
        options.flushInterval = 0.05
        options.recordGit = false
        return options
    }

    @Test("a run is written, sealed and read with every file written once and nothing removed")
    func sealsWithoutReplacing() throws {
        let memory = MemoryStorage()
        let writer = try SpecimenStorage(at: "mem/s", storage: memory, params: ["a": MessagePackValue.int(1)], options: options())
        for step in 0 ..< 40 { try writer.log(["x": .double(Double(step))]) }
        try writer.flush()
        let specimen = try Specimen(at: "mem/s", storage: memory)
        #expect(try specimen.runInfo(writer.runID).state == .running)
        try writer.finish()
        let info = try specimen.runInfo(writer.runID)
        #expect(info.state == .sealed(.completed))
        #expect(info.rows == 40)
        #expect(try specimen.readAllRuns().rowCount == 40)
        let folder = specimen.runPath(writer.runID)
        #expect(memory.removed.isEmpty)
        #expect(memory.writes[folder + "/" + RunFolder.marker] == 1)
        #expect(memory.writes[folder + "/" + RunFolder.manifest] == 1)
        #expect(memory.writes[folder + "/" + RunFolder.metrics] == 1)
        #expect(memory.object(folder + "/" + RunFolder.journal) != nil)   // kept, hidden
        #expect(try specimen.verify(run: writer.runID).extra.isEmpty)
    }

    @Test("a run of another host is running while its journal is written, crashed when it stops, and recovered")
    func heartbeatFromTheJournal() throws {
        let memory = MemoryStorage()
        let writer = try SpecimenStorage(at: "mem/h", storage: memory, params: ["k": MessagePackValue.int(2)], options: options())
        for step in 0 ..< 10 { try writer.log(["y": .double(Double(step))]) }
        try writer.flush()
        let id = writer.runID
        let specimen = try Specimen(at: "mem/h", storage: memory)
        let folder = specimen.runPath(id)
        try writer.finish()
        // The same run as another host's writer leaves it: the manifest gone, the marker foreign
        // and written long ago.
        _ = memory.remove(folder + "/" + RunFolder.manifest)
        let long = Double(currentMicroseconds()) / 1e6 - 3600
        let foreign = RunMarker(owner: ProcessIdentity(pid: 1, processStart: nil, host: "elsewhere.example", bootID: nil),
                                startedAt: long, heartbeat: long, flushInterval: 1)
        memory.put(folder + "/" + RunFolder.marker, foreign.encoded())
        memory.setModified(folder + "/" + RunFolder.journal, Double(currentMicroseconds()) / 1e6)
        #expect(try specimen.runInfo(id).state == .running)   // its journal was written just now
        memory.setModified(folder + "/" + RunFolder.journal, long + 10)
        guard case .crashed(let reason) = try specimen.runInfo(id).state else {
            Issue.record("expected crashed")
            return
        }
        #expect(reason.contains("elsewhere.example"))
        _ = memory.remove(folder + "/" + RunFolder.sealingLock)
        #expect(try specimen.recover() == [id])
        let info = try specimen.runInfo(id)
        #expect(info.state == .sealed(.crashed))
        #expect(info.rows == 10)
        #expect(info.manifest?["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("was kept") == true } == true)
    }

    @Test("a sync in progress (a slow upload) does not hold up logging: rows that are due reach the journal meanwhile")
    func loggingGoesOnDuringASlowSync() throws {
        let memory = MemoryStorage()
        let writer = try SpecimenStorage(at: "mem/slow", storage: memory, params: ["k": MessagePackValue.int(3)], options: options())
        let folder = try Specimen(at: "mem/slow", storage: memory).runPath(writer.runID)
        let (entered, gate) = holdSyncs(memory)
        try writer.log(["x": .double(1)])
        // The flusher (every 50 ms) is now held inside its sync, as by an upload that stalls.
        #expect(entered.wait(timeout: .now() + 10) == .success)
        let before = memory.object(folder + "/" + RunFolder.journal)?.bytes.count ?? 0
        Thread.sleep(forTimeInterval: 0.08)   // more than one flush interval: the next row is due at once
        let logged = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for step in 0 ..< 5 { try? writer.log(["x": .double(Double(step))]) }
            logged.signal()
        }
        let loggedInTime = logged.wait(timeout: .now() + 10) == .success
        let after = memory.object(folder + "/" + RunFolder.journal)?.bytes.count ?? 0
        memory.onSync(nil)
        for _ in 0 ..< 4 { gate.signal() }
        if !loggedInTime { _ = logged.wait(timeout: .now() + 10) }
        #expect(loggedInTime, "logging waited for the flusher's sync")
        #expect(after > before, "the due rows were not written to the journal while the sync was held")
        try writer.finish()
        #expect(try Specimen(at: "mem/slow", storage: memory).runInfo(writer.runID).rows == 6)
    }

    @Test("where appends wait for an upload, a slow upload does not hold up the flusher: it keeps writing the logged rows every tick")
    func flusherGoesOnDuringASlowUpload() throws {
        let memory = MemoryStorage()
        memory.appendsWaitForSync = true
        let writer = try SpecimenStorage(at: "mem/upload", storage: memory, params: ["k": MessagePackValue.int(4)], options: options())
        let folder = try Specimen(at: "mem/upload", storage: memory).runPath(writer.runID)
        let (entered, gate) = holdSyncs(memory)
        // The uploader is now held inside a sync, as by an upload that stalls.
        #expect(entered.wait(timeout: .now() + 10) == .success)
        let before = memory.object(folder + "/" + RunFolder.journal)?.bytes.count ?? 0
        for step in 0 ..< 5 { try writer.log(["x": .double(Double(step))]) }
        // The flusher (every 25 ms) writes the rows to the journal file meanwhile.
        var after = before
        for _ in 0 ..< 200 where after <= before {
            Thread.sleep(forTimeInterval: 0.01)
            after = memory.object(folder + "/" + RunFolder.journal)?.bytes.count ?? 0
        }
        memory.onSync(nil)
        for _ in 0 ..< 4 { gate.signal() }
        #expect(after > before, "no rows were written while the upload was held")
        try writer.finish()
        #expect(try Specimen(at: "mem/upload", storage: memory).runInfo(writer.runID).rows == 5)
    }
}
