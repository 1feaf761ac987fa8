#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack
import Parallel

/// Ingests a run's `metrics.jsonl` while the protocol appends to it: each complete line becomes
/// a row of the run as it arrives (a row without `time` gets its arrival time, UTC µs), and
/// each batch of lines goes to the run's journal (on the local disk by reference to the file:
/// ``ActiveRun/ingest(arrival:_:)``), so readers see a running run's rows and a killed
/// `specimen run` loses at most one flush interval of arrival times. The file itself is only read.
///
/// A partial last line waits for its newline (at `stop()`, the unterminated rest of the file
/// is read as a last line); a malformed line, or one whose types clash with earlier rows, is
/// skipped with a warning naming its line number. The follower sleeps on ``GrowingFile``
/// between writes: no busy polling.
///
/// ```swift
/// let follower = MetricsFollower(path: runFolder + "/metrics.jsonl", run: storage.activeRun)
/// follower.start()
/// // … the protocol runs …
/// follower.stop()          // reads the rest of the file
/// ```
final class MetricsFollower: @unchecked Sendable {
    /// The most warnings kept (and printed); later skipped lines are only counted.
    static let warningLimit = 20
    /// The follower thread's nice value on Linux: below the protocol, which it must not slow.
    static let niceness: Int32 = 10
    /// The most bytes read and ingested at once: a protocol that writes faster than the
    /// follower ingests (or a file written before `specimen run` looked) is taken in batches
    /// of this size, so the follower's memory stays bounded.
    static let batchBytes = 4 << 20
    /// The pause (µs) after a wake-up that found rows, so that while the protocol writes, its
    /// writes are taken in a few larger batches (one read, one journal write each) rather than
    /// one wake-up per write: the follower's CPU, on a core the protocol may need, stays low.
    /// Far below the flush interval (rows still reach the journal as they arrive); cut short
    /// when the protocol has ended.
    static let gatherPause: UInt32 = 20_000
    /// Batches of at least this many bytes are parsed on two threads (``LineParseHelper``);
    /// smaller ones — a protocol's writes as they come — on the follower's alone.
    static let splitBytes = 256 << 10
    /// Where a split batch is split, in eighths of its bytes: the follower parses the part
    /// before the split and appends its rows; the helper hashes the batch's new bytes and
    /// parses the part after, whose rows the follower appends at the next batch, while the
    /// helper parses that one (a pipeline: neither thread waits for the other's stage).
    /// Three eighths balance the two threads (profiled on 2 M rows: the follower's reads and
    /// appends of both parts cost about what the helper's hashing does plus an eighth).
    static let splitEighths = 3
    /// Seconds between checks where change notifications are missing (or missed).
    let fallbackPoll: Double

    private let file: GrowingFile
    private let run: ActiveRun
    private let name = RunFolder.metricsLines
    private let warn: @Sendable (String) -> Void
    private let lock = Lock()
    private var stopping = false              // guarded by lock
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled by `stop()`, so that a gathering pause ends at once when the protocol has ended.
    private let stopRequested = DispatchSemaphore(value: 0)

    // Owned by the follower's thread (and by `stop()` after the thread ended).
    /// The bytes read and not yet taken; `spare`, the other buffer: the helper may still be
    /// parsing the batch it holds (``pendingArrival``), so only the next split batch writes to it.
    private var buffer = LineBuffer()
    private var spare = LineBuffer()
    private var progress = LinesProgress()
    private var parsed = ParsedLines()
    /// The second parsing thread (nil on one core).
    private var helper: LineParseHelper?
    /// The helper's lines of the last split batch once collected, and that batch's arrival
    /// time while the helper still holds them (nil: no job of the helper's is pending).
    private var helperLines = ParsedLines()
    private var pendingArrival: Int64?
    /// The SHA-256 of every byte read, in order; `hashed`: how many bytes at the start of
    /// `buffer` it holds already.
    private let digest = RunningDigest()
    private var hashed = 0
    private var kept: [String] = []
    private var skipped = 0
    private var ingestError: (any Error)?

    /// Follows `path` into `run`; `warn` receives each warning as it happens (for stderr).
    init(path: String, run: ActiveRun, fallbackPoll: Double = 1, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        file = GrowingFile(path: path)
        self.run = run
        self.fallbackPoll = fallbackPoll
        self.warn = warn
    }

    /// Starts following on a thread of its own.
    func start() {
        if LineParseHelper.isUseful { helper = LineParseHelper(niceness: Self.niceness) }
        let thread = Thread { [self] in
            #if os(Linux)
            // Background work: where cores are scarce the protocol comes first (this thread only).
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)   // Linux: 0 is the calling thread
            #endif
            while true {
                let last = lock.withLock { stopping }
                var total = 0
                while true {
                    let got = buffer.fill(Self.batchBytes) { file.readNew(into: $0, count: $1) }
                    total += got
                    let atEnd = got < Self.batchBytes
                    if got > 0 || (last && atEnd) { ingest(final: last && atEnd) }
                    if atEnd { break }
                }
                // Rows reach the run before the follower pauses or sleeps.
                finishPending()
                if last { break }
                // Rows came: let the protocol's next writes gather before the next read.
                if total > 0 { _ = stopRequested.wait(timeout: .now() + .microseconds(Int(Self.gatherPause))) }
                file.wait(timeout: fallbackPoll)
            }
            file.close()
            helper?.stop()
            finished.signal()
        }
        thread.name = "specimen-metrics-follower"
        self.thread = thread
        thread.start()
    }

    /// Reads what is left of the file (an unterminated last line included), ingests it and
    /// stops. Returns the warnings to record in the manifest; throws when the run could not
    /// take the rows (it was sealed, or its journal failed).
    func stop() throws -> [String] {
        guard thread != nil else { return [] }
        lock.withLock { stopping = true }
        stopRequested.signal()
        file.wake()
        finished.wait()
        thread = nil
        if let ingestError { throw ingestError }
        var warnings = kept
        if skipped > kept.count {
            warnings.append("\(name): \(skipped - kept.count) more lines were skipped (the first \(kept.count) are listed)")
        }
        return warnings
    }

    /// The size and SHA-256 of `metrics.jsonl` as it was read to its end, after `stop()`: the
    /// digest sealing lists for the file (it checks the size), so that it need not read the
    /// file again. Nil when nothing was read or the rows could not all be ingested.
    var fileDigest: (size: Int, sha256: String)? {
        guard thread == nil, ingestError == nil, digest.count > 0, Int64(digest.count) == file.offset else { return nil }
        return digest.finalize()
    }

    /// Turns the complete lines in `buffer` (all of it when `final`) into rows: a batch of at
    /// least ``splitBytes`` is parsed in two parts on two threads (the helper takes the later
    /// part, split at a newline, and its rows are appended at the next batch or at
    /// ``finishPending()``), each part's rows appended in order under one hold of the run's
    /// lock and journaled in one frame.
    private func ingest(final: Bool) {
        let arrival = currentMicroseconds()
        var problems: [(line: Int64, message: String)] = []
        defer { report(problems) }
        let base = buffer.base, count = buffer.count
        var split = count
        if count >= Self.splitBytes, helper != nil {
            let newline = MetricLines.lineEnd(base, count * Self.splitEighths / 8, count)
            if newline < count { split = newline + 1 }
        }
        let helping = split < count
        // The bytes read since the last batch join the file's digest: on the helper's thread
        // when it helps (before its part, while this thread appends and parses).
        let fresh = UnsafeRawBufferPointer(start: base + hashed, count: count - hashed)
        hashed = count
        // The helper's part of the last batch: collected first (the helper is then free) and
        // appended while the helper parses this batch's part.
        let previous = collectPending()
        if helping, let helper {
            helper.parse(base, split, count, final: final, first: { [digest] in digest.update(fresh) })
            pendingArrival = arrival
        } else {
            digest.update(fresh)
        }
        if let previous, !append(helperLines, arrival: previous, problems: &problems) {
            _ = collectPending()
            return
        }
        parsed.reset()
        parsed.parse(base, 0, split, final: final && !helping)
        guard append(parsed, arrival: arrival, problems: &problems) else {
            _ = collectPending()
            return
        }
        if helping {
            // The bytes after the batch's last complete line go to the other buffer (free: its
            // job was collected above), so that this one stays as the helper reads it.
            var end = count
            if !final {
                while end > split && base[end - 1] != 0x0A { end -= 1 }
            }
            buffer.moveTail(from: end, to: spare)
            swap(&buffer, &spare)
            hashed = buffer.count
        } else {
            buffer.removeFirst(parsed.consumed)
            hashed -= parsed.consumed
        }
    }

    /// Waits for the helper's pending job, if any, and appends its rows.
    private func finishPending() {
        guard let arrival = collectPending() else { return }
        var problems: [(line: Int64, message: String)] = []
        _ = append(helperLines, arrival: arrival, problems: &problems)
        report(problems)
    }

    /// Waits for the helper's pending job and takes its lines into `helperLines`; returns the
    /// job's arrival time, or nil when no job was pending.
    private func collectPending() -> Int64? {
        guard let arrival = pendingArrival, let helper else { return nil }
        pendingArrival = nil
        helper.wait()
        helper.exchange(&helperLines)
        return arrival
    }

    /// Counts and keeps (up to ``warningLimit``) the warnings for skipped lines.
    private func report(_ problems: [(line: Int64, message: String)]) {
        for problem in problems {
            skipped += 1
            guard kept.count < Self.warningLimit else { continue }
            let text = MetricLines.warning(name, Int(problem.line), problem.message)
            kept.append(text)
            warn(text)
        }
    }

    /// Appends `lines`' rows to the run under one hold of its lock (``ParsedLines/append``),
    /// then journals how far the file is ingested, in the same frame. Appends each line that
    /// cannot be a row to `problems`; returns false (recording `ingestError`) when the run
    /// could not take the rows.
    private func append(_ lines: ParsedLines, arrival: Int64, problems: inout [(line: Int64, message: String)]) -> Bool {
        let firstLine = progress.lines + 1
        do {
            try run.ingest(arrival: arrival) { rows, journal, encode in
                lines.append(to: &rows, journal: &journal, encode: encode, arrival: arrival, firstLine: firstLine, problems: &problems)
                progress.lines += Int64(lines.lineCount)
                progress.offset += Int64(lines.consumed)
                progress.nextStep = rows.nextStep
                return progress
            }
        } catch {
            ingestError = ingestError ?? error
            return false
        }
        return true
    }
}
