#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parallel
import Parquet

/// A long run's `metrics.parquet` written batch by batch on the local disk, under a hidden
/// temporary name until ``finish(last:at:)`` syncs it and moves it into place: the part file
/// that a run writes while it logs, so that rows leave memory as row groups and sealing only
/// appends the rows still in memory and the footer, and the file that sealing streams from a
/// journal (``RunSealer``).
///
/// Batches are written on a thread of their own (``append(_:)``), one batch at a time: a batch
/// given while the last one is still being written waits for it, so memory holds at most the
/// batch being written, the writer's unfinished row group and the batch being made (logged, or
/// decoded from the journal). Row groups hold ``RunSealer/streamedBatchRows(columns:requested:)``
/// rows either way, so both give the same file. The file's SHA-256 is taken as it grows
/// (``GrowingFileDigest``) and its write-back started row group by row group (``WriteBack``),
/// so sealing neither reads it again nor waits long for its `fsync`.
///
/// The part file is an optimization, never the record: the journal holds every row. A part
/// file that cannot be written — its columns changed (a new metric, an int64 metric that
/// became double), or the disk refused it — is given up (``abandon()``), and sealing streams
/// the rows from the journal as before. It lives under a temporary name (`.tmp-…`), which
/// sealing and recovery remove when it is left behind.
///
/// `@unchecked Sendable`: its owner (``ActiveRun``) calls it under one lock; the background
/// work started by one call is joined before the next call touches the state it uses.
final class MetricsPart: @unchecked Sendable {
    /// The columns of the file: `run_id`, `step`, `time`, then the metrics.
    let fields: [Schema.Field]
    /// The hidden file's path.
    let path: String
    private let runID: RunID
    private var fileDescriptor: Int32
    private let writer: ParquetWriter
    private var runIDs: RunIDPrefix
    private var summary = MetricsSummary()
    private var digest: GrowingFileDigest
    /// Bytes whose write-back has been started.
    private var writeBackStart = 0
    /// The batches being written, on their thread.
    private var work: BackgroundWork<Result<Void, any Error>>?
    /// The batches that work takes (set before it starts): taken from here rather than
    /// captured, so that they leave memory once written instead of when the next work starts.
    private var queued: [Table] = []
    private var done = false

    /// Creates the file in `folder` for the columns `fields` (as ``RunSealer/metricsFields(_:)``
    /// gives them), with row groups of `batchRows` rows (nil: as sealing streams them).
    init(folder: String, runID: RunID, fields: [Schema.Field], batchRows: Int?) throws {
        self.runID = runID
        self.fields = fields
        path = folder + "/" + RunFolder.temporaryPrefix + RunFolder.metrics + "-part-" + LocalStorage.randomSuffix()
        var options = MetricsFile.writerOptions(runID: runID)
        options.rowGroupRowLimit = RunSealer.streamedBatchRows(columns: fields.count - 3, requested: batchRows)
        fileDescriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fileDescriptor >= 0 else { throw SpecimenError.system("create", path, errno: errno) }
        do {
            writer = try ParquetWriter(fileDescriptor: fileDescriptor, path: path, schema: Schema(fields: fields), options: options)
        } catch {
            close(fileDescriptor)
            unlink(path)
            throw error
        }
        runIDs = RunIDPrefix(runID: runID)
        digest = GrowingFileDigest(fileDescriptor: fileDescriptor, path: path)
    }

    /// Creates the part file in `folder` for rows like `first` (`step`, `time`, the metric
    /// columns), with row groups of `batchRows` rows (nil: as sealing streams them).
    convenience init(folder: String, runID: RunID, first: Table, batchRows: Int?) throws {
        let fields = [Schema.Field(name: MetricsFile.runIDColumn, type: .string)] + first.columns.map { Schema.Field(name: $0.name, type: $0.type) }
        try self.init(folder: folder, runID: runID, fields: fields, batchRows: batchRows)
    }

    /// Starts writing `batches` (oldest first) on a thread of its own, once the batches before
    /// them are written; throws what writing those met.
    func append(_ batches: [Table]) throws {
        try waitForWork()
        queued = batches
        work = BackgroundWork { [self] in
            Result {
                var batches: [Table] = []
                swap(&batches, &queued)
                try write(batches)
            }
        }
    }

    /// Writes `last` (the rows still in memory, which may be none) and the footer, syncs the
    /// file and moves it to `target` without replacing anything; returns the manifest's
    /// `metrics` entry and the file's size and SHA-256.
    func finish(last: Table, at target: String) throws -> (metrics: MessagePackValue, digest: (size: Int, sha256: String)) {
        try waitForWork()
        try write([last])   // when no row came at all, the summary still takes the columns
        try writer.close(sync: true)
        let size = Int(lseek(fileDescriptor, 0, SEEK_CUR))
        try digest.catchUp(to: size)
        close(fileDescriptor)
        fileDescriptor = -1
        try LocalStorage.shared.moveWithoutReplacing(path, target)
        done = true
        return (summary.value, (size, digest.finish()))
    }

    /// Gives the part file up: waits for the batches being written, closes and removes it.
    /// Does nothing once the file is finished or given up.
    func abandon() {
        guard !done else { return }
        done = true
        _ = try? waitForWork()
        if fileDescriptor >= 0 { close(fileDescriptor) }
        fileDescriptor = -1
        unlink(path)
    }

    deinit { abandon() }

    /// Waits for the batches being written; throws what writing them met.
    private func waitForWork() throws {
        guard let running = work else { return }
        work = nil
        try running.wait().get()
    }

    /// Writes `batches` with their `run_id` column, adds them to the summary, starts the
    /// write-back of the row groups written, and hashes them.
    private func write(_ batches: [Table]) throws {
        for batch in batches {
            let table = runIDs.prepend(to: batch)
            try writer.write(table)   // checks the columns against the file's
            summary.add(table)
        }
        writeBackStart = WriteBack.start(fileDescriptor, from: writeBackStart)
        try digest.catchUp(to: writeBackStart)
    }
}
