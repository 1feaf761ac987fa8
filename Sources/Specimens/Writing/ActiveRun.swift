#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import MessagePack
import Parallel

/// One run being written by this process: its journal, the rows in memory, the marker, and
/// the background flusher that makes rows durable and refreshes the heartbeat.
///
/// The heartbeat: where storage replaces files, the marker is rewritten at every synced
/// flush; where it cannot (``StorageBackend/canReplace`` false: object storage), the marker is
/// created once and every synced flush writes the journal (an empty chunk when no rows came),
/// whose newest write time readers take as the heartbeat (`RunInspector.heartbeat`).
///
/// Every mutable field is guarded by `lock` except the journal's file, which `Journal.writeLock`
/// serializes. Logging holds `lock` for one row; the flusher holds it only to copy the pending
/// bytes out.
final class ActiveRun: @unchecked Sendable {
    enum Phase { case open, sealing, closed }

    let id: RunID
    let folder: String
    /// Where the run is kept.
    let storage: any StorageBackend
    let specimenName: String
    /// True when this process joined a run that `specimen run` owns (it never seals it).
    let joined: Bool
    let flushInterval: Double
    let header: MessagePackValue
    let startedMicros: Int64

    let lock = Lock()
    // The fields `lock` guards skip the runtime's exclusivity checks (two per access on the
    // logging path): the lock already makes every access exclusive.
    @exclusivity(unchecked) private var phase = Phase.open
    @exclusivity(unchecked) private var buffers = MetricBuffers()
    @exclusivity(unchecked) private var pending = MessagePackBuffer(capacity: 1 << 16)
    private var updates: [MessagePackValue] = []
    /// How much of `metrics.jsonl` has been ingested into `buffers` (``MetricsFollower``).
    private var linesProgress: LinesProgress?
    @exclusivity(unchecked) private var backgroundError: SpecimenError?

    private let journal: Journal
    private var outgoing = MessagePackBuffer(capacity: 1 << 16)   // guarded by journal.writeLock
    private var marker: RunMarker?                          // guarded by journal.writeLock
    private let stopFlusher = DispatchSemaphore(value: 0)
    private let flusherStopped = DispatchSemaphore(value: 0)
    private var flusherRunning = false
    private let stopUploader = DispatchSemaphore(value: 0)
    private let uploaderStopped = DispatchSemaphore(value: 0)
    private var uploaderRunning = false
    /// Whether frames were written since the uploader's last sync (guarded by `journal.writeLock`).
    private var framesSinceSync = false
    /// When pending rows last went to the journal (µs, guarded by `lock`): a `log` call that
    /// finds them older than one flush interval writes them itself (``flushesInline``), so
    /// rows reach the journal on time even when the flusher thread is starved or stuck in an
    /// fsync.
    @exclusivity(unchecked) private var lastWriteMicros: Int64 = 0
    private let flushIntervalMicros: Int64
    /// Whether a logging call writes due rows to the journal itself: not where written frames
    /// would only wait in memory for the flusher's upload anyway (object storage), which
    /// keeps copying them off the logging thread.
    private let flushesInline: Bool

    /// Pending bytes beyond which the logging thread flushes (without fsync) itself.
    static let inlineFlushBytes = 8 << 20
    /// The most logged values kept in memory by default (about 16 MB of doubles): a run that
    /// logs more hands its rows to its part file (``MetricsPart``) or lets them go
    /// (``MetricBuffers/isSpilled``) and is sealed from its journal batch by batch, so a run
    /// of any length logs and seals in bounded memory.
    static let defaultRetainedValues = 1 << 21
    /// Rows per row group when sealing from the journal (nil: the sealer's choice).
    private let sealBatchRows: Int?
    /// The part file that the rows `buffers` hand over go to (``MetricsPart``): created at the
    /// first hand-over; nil before, and for good once given up (`partGivenUp`). Guarded by
    /// `partLock`, which is taken before `lock` when both are held.
    private var part: MetricsPart?
    private var partGivenUp = false
    private let partLock = Lock()
    /// Whether ingested lines are journaled by reference to `metrics.jsonl` (``ingest(arrival:_:)``):
    /// the owner of a run on the local disk.
    private let ingestsByReference: Bool
    /// `metrics.jsonl`, read-only, for syncing it before the journal (−1: not open). Opened
    /// under `lock` by the first batch journaled by reference; closed once the run is finished.
    @exclusivity(unchecked) private var linesDescriptor: Int32 = -1

    init(id: RunID, folder: String, storage: any StorageBackend = LocalStorage.shared, specimenName: String, joined: Bool,
         flushInterval: Double, header: MessagePackValue, startedMicros: Int64, journalName: String,
         retainedValues: Int = ActiveRun.defaultRetainedValues, sealBatchRows: Int? = nil) throws
    {
        self.sealBatchRows = sealBatchRows
        self.id = id
        self.folder = folder
        self.storage = storage
        self.specimenName = specimenName
        self.joined = joined
        self.flushInterval = flushInterval
        flushIntervalMicros = Int64(Swift.min(flushInterval, 1e9) * 1e6)   // validated positive and finite
        self.header = header
        self.startedMicros = startedMicros
        journal = try Journal(path: folder + "/" + journalName, storage: storage)
        ingestsByReference = !joined && storage is LocalStorage
        flushesInline = !journal.holdsFramesUntilSync
        // Past `retainedValues`, rows leave memory: on the local disk, the owner's rows go to
        // its part file as row groups (``MetricsPart``); otherwise, or once the part file is
        // given up, sealing reads them back from the journal (in an object store, from the
        // journal's local copy, or its chunks when that is lost).
        buffers.retainLimit = retainedValues
        if !joined, storage is LocalStorage { buffers.startHandingOver() }
        if !joined {
            let now = Double(startedMicros) / 1e6
            let marker = RunMarker(owner: .current, startedAt: now, heartbeat: now, flushInterval: flushInterval)
            if storage.canReplace {
                try storage.replace(folder + "/" + RunFolder.marker, marker.encoded(), sync: true)
            } else {
                try storage.create(folder + "/" + RunFolder.marker, marker.encoded())
            }
            self.marker = marker
        }
        // The header goes out first, synced, so that recovery knows the params even when the
        // process dies before its first flush.
        JournalRecord.writeMapRecord(kind: JournalRecord.Kind.header, header, into: &pending)
        try flush(sync: true)
        storage.syncFolder(folder)
    }

    /// Starts the background flusher: every half flush interval it writes the logged rows to
    /// the journal and syncs it. Where written frames only wait in memory for an upload
    /// (``flushesInline`` false: object storage), a second thread, the uploader, syncs them,
    /// so that a slow upload never holds up the flusher: it keeps taking the logged rows every
    /// tick, and the logging thread's buffer stays the size of one tick's rows instead of
    /// growing (into fresh memory) for as long as an upload takes.
    func startFlusher() {
        flusherRunning = true
        let tick = Swift.max(0.005, flushInterval / 2)
        let uploads = !flushesInline
        if uploads {
            uploaderRunning = true
            let uploader = Thread { [self] in
                while stopUploader.wait(timeout: .now() + tick) == .timedOut {
                    background { try syncWritten() }
                }
                uploaderStopped.signal()
            }
            uploader.name = "specimen-uploader-\(id)"
            uploader.start()
        }
        let thread = Thread { [self] in
            while stopFlusher.wait(timeout: .now() + tick) == .timedOut {
                background { try flush(sync: !uploads) }
            }
            flusherStopped.signal()
        }
        thread.name = "specimen-flusher-\(id)"
        thread.start()
    }

    /// Runs `work` on a background thread, keeping its error for the logging calls to throw.
    private func background(_ work: () throws -> Void) {
        do { try work() } catch let error as SpecimenError {
            lock.withLock { backgroundError = error }
        } catch {}
    }

    /// The uploader's sync: what was written since the last one, or, for the run's owner, an
    /// empty write (the heartbeat).
    private func syncWritten() throws {
        let due = journal.writeLock.withLock { () -> Bool in
            defer { framesSinceSync = false }
            return framesSinceSync || marker != nil
        }
        guard due else { return }
        do {
            try journal.syncFile()
        } catch {
            journal.writeLock.withLock { framesSinceSync = true }   // retried at the next tick
            throw error
        }
    }

    private func stopFlusherThread() {
        guard flusherRunning else { return }
        flusherRunning = false
        stopFlusher.signal()
        flusherStopped.wait()
        if uploaderRunning {
            uploaderRunning = false
            stopUploader.signal()
            uploaderStopped.wait()
        }
    }

    /// Logs one row (the hot path).
    @inline(__always)
    func log<C: Collection>(step: Int64?, time: Int64?, _ values: C) throws where C.Element == (key: String, value: MetricValue) {
        try appendRow(time: time) { buffers, now, journal in
            try buffers.append(step: step, time: now, values: values, journal: &journal, encode: true)
        }
    }

    /// Logs one row of doubles (the `log(names, values)` hot path): `log`, through
    /// ``MetricBuffers/appendDoubles``.
    @inline(__always)
    func logDoubles(step: Int64?, time: Int64?, names: UnsafeBufferPointer<String>, values: UnsafeBufferPointer<Double>) throws {
        try appendRow(time: time) { buffers, now, journal in
            try buffers.appendDoubles(step: step, time: now, names: names, values: values, journal: &journal)
        }
    }

    /// What both logging paths do around appending a row: take the lock, refuse when closed,
    /// `append` the row at `time` (now when nil) to the buffers and the pending journal bytes,
    /// and flush when enough is pending or the flush interval has passed.
    @inline(__always)
    private func appendRow(time: Int64?, _ append: (inout MetricBuffers, Int64, inout MessagePackBuffer) throws -> Void) throws {
        let now = time ?? currentMicroseconds()
        lock.lock()
        guard phase == .open, backgroundError == nil else {
            let error = closedError()
            lock.unlock()
            throw error
        }
        do {
            try append(&buffers, now, &pending)
        } catch {
            lock.unlock()
            throw error
        }
        let clock = time == nil ? now : currentMicroseconds()
        let due = flushesInline && (pending.count > ActiveRun.inlineFlushBytes || clock - lastWriteMicros >= flushIntervalMicros)
        let handedOver = !buffers.released.isEmpty
        lock.unlock()
        if due { try flush(sync: false) }
        if handedOver { writeHandedOverRows() }
    }

    /// Sends the batches of rows `buffers` handed over to the part file, creating it at the
    /// first; waits while the part file still writes the batches before (so that memory holds
    /// at most one batch being written). A part file that cannot be created or written is
    /// given up: the rows in memory are let go too, and sealing streams every row from the
    /// journal, which holds them all.
    private func writeHandedOverRows() {
        partLock.withLock { writeHandedOverRowsLocked() }
    }

    /// ``writeHandedOverRows()`` with `partLock` held.
    private func writeHandedOverRowsLocked() {
        let batches = lock.withLock { buffers.takeReleased() }
        guard let first = batches.first, !partGivenUp else { return }
        do {
            if part == nil { part = try MetricsPart(folder: folder, runID: id, first: first, batchRows: sealBatchRows) }
            try part?.append(batches)
        } catch {
            part?.abandon()
            part = nil
            partGivenUp = true
            lock.withLock { buffers.stopHandingOver() }
        }
    }

    /// Ingests a batch of `metrics.jsonl` lines, which arrived at `arrival`, under one hold of
    /// the lock: `body` appends rows to the buffers (encoding them into the journal when its
    /// last argument says so) and returns how far the file is now ingested, which is journaled
    /// right after the rows, in the same frame; the frame is written before this returns.
    ///
    /// On the local disk, the owner journals the batch by reference (``JournalRecord/linesBatch(from:to:arrival:)``,
    /// with a column record for each new column): the file holds its rows already, and every
    /// synced flush syncs the file before the journal. Elsewhere, or when the file cannot be
    /// opened, the rows are encoded into the journal.
    func ingest(arrival: Int64, _ body: (inout MetricBuffers, inout MessagePackBuffer, _ encode: Bool) -> LinesProgress) throws {
        lock.lock()
        guard phase == .open, backgroundError == nil else {
            let error = closedError()
            lock.unlock()
            throw error
        }
        if ingestsByReference, linesDescriptor < 0 {
            linesDescriptor = open(folder + "/" + RunFolder.metricsLines, O_RDONLY | O_CLOEXEC)
        }
        let byReference = ingestsByReference && linesDescriptor >= 0
        var from = linesProgress ?? LinesProgress()
        from.nextStep = buffers.nextStep   // rows logged since the last batch took steps too
        let columnsBefore = buffers.columnCount
        let progress = body(&buffers, &pending, !byReference)
        if byReference {
            // Rows journaled later (another batch encoded, a logged row) may name these columns.
            if buffers.columnCount > columnsBefore {
                for (number, name) in buffers.columnNames.enumerated().dropFirst(columnsBefore) {
                    JournalRecord.writeColumn(number: number, name: name, into: &pending)
                }
            }
            JournalRecord.writeLinesBatch(from: from, to: progress, arrival: arrival, into: &pending)
        } else {
            JournalRecord.writeLines(progress, into: &pending)
        }
        linesProgress = progress
        let handedOver = !buffers.released.isEmpty
        lock.unlock()
        // Written at once (one write per batch, no fsync: the flusher syncs), so readers see
        // the rows as they arrive and a killed `specimen run` loses none that reached here.
        try flush(sync: false)
        if handedOver { writeHandedOverRows() }
    }

    private func closedError() -> SpecimenError {
        if let backgroundError { return backgroundError }
        return SpecimenError(.runSealed, joined
            ? "this process's part of run \(id) is finished; the run itself is sealed by `specimen run`"
            : "run \(id) is sealed; its files can no longer change", path: folder, recovery: "Call newRun(params:) to start another run")
    }

    /// Records notes or tags (an update journal record).
    func update(_ value: MessagePackValue) throws {
        try lock.withLock {
            guard phase == .open else { throw closedError() }
            updates.append(value)
            JournalRecord.writeMapRecord(kind: JournalRecord.Kind.update, value, into: &pending)
        }
    }

    /// Rows logged so far by this process.
    var rowCount: Int { lock.withLock { buffers.rowCount } }

    /// Copies the pending records out and appends them to the journal as one frame; when
    /// `sync`, makes the journal durable (in object storage: uploads it as the next chunk) and
    /// refreshes the heartbeat.
    ///
    /// The sync happens after `journal.writeLock` is released: an fsync or an upload can take
    /// milliseconds to seconds, and a logging thread whose rows are due must be able to write
    /// its frame meanwhile instead of waiting for it. Syncing after the release still covers
    /// this frame (an fsync covers every write before it; an upload takes every byte appended
    /// before it).
    func flush(sync: Bool) throws {
        journal.writeLock.lock()
        lock.lock()
        // The pending records become the outgoing frame by exchanging the two buffers (no copy);
        // logging goes on into the emptied one.
        outgoing.reset()
        swap(&outgoing, &pending)
        lastWriteMicros = currentMicroseconds()
        let lines = linesDescriptor
        lock.unlock()
        let wrote = outgoing.count > 0
        if wrote { framesSinceSync = true }
        do {
            try journal.writeFrame(outgoing.bytes, sync: false)
        } catch {
            journal.writeLock.unlock()
            throw error
        }
        let hasMarker = marker != nil
        if sync, var marker, storage.canReplace {   // a small local write, kept in order under the lock
            marker.heartbeat = Double(currentMicroseconds()) / 1e6
            try? storage.replace(folder + "/" + RunFolder.marker, marker.encoded(), sync: false)
            self.marker = marker
        }
        journal.writeLock.unlock()
        // Where files cannot be replaced, the journal's write is the owner's heartbeat: synced
        // even when nothing was written (an empty chunk).
        if sync && (wrote || (hasMarker && !storage.canReplace)) {
            // The lines the journal refers to are durable before the journal that names them.
            if lines >= 0 {
                #if os(Linux)
                let synced = fdatasync(lines)
                #else
                let synced = fsync(lines)
                #endif
                if synced != 0 { throw SpecimenError.system("sync", folder + "/" + RunFolder.metricsLines, errno: errno) }
            }
            try journal.syncFile()
        }
    }

    /// Closes `metrics.jsonl` (the run is finished: nothing syncs it any more).
    private func closeLines() {
        lock.withLock {
            if linesDescriptor >= 0 { close(linesDescriptor) }
            linesDescriptor = -1
        }
    }

    /// Stops logging, makes everything durable, and (unless joined) seals the run.
    /// Returns false when the run was already closed or being closed.
    ///
    /// `localFiles`: a local folder whose files are uploaded into the run first
    /// (``RunFolderUpload``; `specimen run` of a specimen not on the local disk), while the
    /// flusher still writes heartbeats, so that no reader takes a long upload for a dead
    /// writer. When an upload fails, the run is closed unsealed (for `recover`) and the error
    /// is thrown.
    ///
    /// `knownDigests`: run files already hashed (by path in the run folder: size, SHA-256),
    /// which the manifest lists without reading them again when the size still matches.
    @discardableResult
    func finish(status: RunStatus, exitCode: Int32? = nil, signal: Int32? = nil, warnings: [String] = [],
                localFiles: String? = nil, knownDigests: [String: (size: Int, sha256: String)] = [:]) throws -> Bool {
        let proceed = lock.withLock { () -> Bool in
            guard phase == .open else { return false }
            phase = .sealing
            return true
        }
        guard proceed else { return false }
        defer { lock.withLock { phase = .closed } }
        var uploaded: Result<RunFolderUpload.Outcome, any Error>?
        if let localFiles, !joined {
            uploaded = Result { try RunFolderUpload.upload(from: localFiles, to: folder, storage: storage) }
        }
        stopFlusherThread()
        defer { closeLines() }
        try flush(sync: true)
        journal.closeFile()
        var files = try uploaded?.get()
        if !knownDigests.isEmpty {
            // Files hashed before (metrics.jsonl, as it was ingested) join the uploaded ones'
            // digests, which the sealer lists when the size still matches.
            var outcome = files ?? RunFolderUpload.Outcome()
            for (name, digest) in knownDigests where outcome.digests[name] == nil { outcome.digests[name] = digest }
            files = outcome
        }
        guard !joined else { return true }
        // The part file, with the last batches handed over (no row is logged any more).
        let part = partLock.withLock { () -> MetricsPart? in
            writeHandedOverRowsLocked()
            defer { self.part = nil }
            return self.part
        }
        let (rows, updates, lines) = lock.withLock { (buffers, self.updates, linesProgress) }
        defer { journal.removeLocalCopy() }   // a run left unsealed is recovered from the journal itself
        try RunSealer.seal(RunSealer.Request(
            folder: folder, storage: storage, runID: id, specimenName: specimenName, status: status, own: rows, ownLines: lines, header: header,
            updates: updates, endedAt: nil, exitCode: exitCode, signal: signal, warnings: warnings, uploaded: files, batchRows: sealBatchRows,
            journalCopy: journal.localCopy, part: part))
        return true
    }

    var isOpen: Bool { lock.withLock { phase == .open } }

    deinit {
        stopFlusherThread()
        if linesDescriptor >= 0 { close(linesDescriptor) }
        part?.abandon()   // a run left unsealed is recovered from its journal
    }
}
