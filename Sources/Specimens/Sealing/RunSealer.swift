#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parallel
import Parquet

/// Seals a run: `metrics.parquet`, then `manifest.msgpack` (last: its presence means
/// "sealed"), each created atomically without replacing anything; then the journals and the
/// marker are removed and the run's files made read-only.
///
/// Used by the owner at `finish` (rows from memory) and by recovery (rows from the journal);
/// both go through the same merge and manifest code, so a recovered run looks like any other.
/// Files the owner uploaded just before (``RunFolderUpload``) are listed with the digests of
/// the bytes it uploaded, as is the `metrics.parquet` written here, rather than read back.
///
/// In storage that cannot replace nor remove (``StorageBackend/canReplace`` false: a
/// versioned S3 bucket), nothing is removed: journals, marker and sealing lock stay under
/// their hidden names, a `metrics.parquet` left by a sealer that died is kept (it was built
/// from the same journals), and a stale sealing lock is passed over; the manifest's
/// conditional creation still lets only one sealer finish.
enum RunSealer {
    struct Request {
        var folder: String
        /// Where the run is kept.
        var storage: any StorageBackend = LocalStorage.shared
        var runID: RunID
        var specimenName: String
        var status: RunStatus
        /// The owner's rows; nil to read `.journal`.
        var own: MetricBuffers?
        /// How much of `metrics.jsonl` the owner's rows hold (``LinesProgress``).
        var ownLines: LinesProgress?
        /// The owner's header; nil to take it from `.journal`.
        var header: MessagePackValue?
        /// The owner's metadata updates (notes, tags), when sealing from memory.
        var updates: [MessagePackValue] = []
        /// Microseconds since 1970; nil: now (or, for recovery, the last sign of life).
        var endedAt: Int64?
        var exitCode: Int32?
        var signal: Int32?
        var warnings: [String] = []
        /// Extra manifest keys (e.g. `recovered_at`).
        var extra: [(key: MessagePackValue, value: MessagePackValue)] = []
        /// The files uploaded into the run from a local run folder (``RunFolderUpload``), whose
        /// digests are known: `specimen run` of a specimen not on the local disk.
        var uploaded: RunFolderUpload.Outcome?
        /// Rows per row group when rows are streamed from the journal (nil: about
        /// ``streamedBatchValues`` values each).
        var batchRows: Int?
        /// A local file with the same bytes as the owner's journal (``Journal/localCopy``),
        /// read instead of the journal when rows are streamed from it.
        var journalCopy: String?
        /// The owner's part file, holding the rows `own` handed over (``MetricsPart``):
        /// finished with `own`'s rows as `metrics.parquet` when nothing else is to be merged
        /// and its columns are still `own`'s; otherwise given up.
        var part: MetricsPart?
    }

    @discardableResult
    static func seal(_ request: Request) throws -> MessagePackValue {
        let folder = request.folder
        let storage = request.storage
        let manifestPath = folder + "/" + RunFolder.manifest
        if storage.exists(manifestPath) {
            throw SpecimenError(.runSealed, "run \(request.runID) is already sealed (\(manifestPath) exists)", path: manifestPath,
                                recovery: "Start a new run to record new results")
        }
        defer { request.part?.abandon() }   // unless finished as metrics.parquet
        try acquireSealingLock(folder, storage: storage)
        defer { if storage.canReplace { storage.remove(folder + "/" + RunFolder.sealingLock) } }

        var known = request.uploaded?.digests ?? [:]
        // Rows that left memory (a long run) are in the owner's part file, which becomes
        // metrics.parquet, or are streamed back from the journal row group by row group —
        // when no other source (a joined process's journal, lines of metrics.jsonl not
        // ingested yet) holds rows to merge with them.
        let spilled = request.own.map { $0.isSpilled || $0.handedOverRows > 0 } ?? false
        var sources = RunSources.load(folder: folder, own: spilled ? MetricBuffers() : request.own, ownLines: request.ownLines, storage: storage)
        let streamed = spilled && sources.table.rowCount == 0
        if spilled && !streamed {
            sources = RunSources.load(folder: folder, own: nil, ownLines: request.ownLines, storage: storage)
        }
        let header = request.header ?? sources.header
        var warnings = sources.warnings + request.warnings + (request.uploaded?.warnings ?? [])
        if header == nil && request.own == nil {
            warnings.append("the journal has no header (the writer died before writing it); params and command are unknown")
        }
        let updates = sources.updates + request.updates

        // 1. metrics.parquet. A leftover one from a seal that died before its manifest was
        //    written is rebuilt from the same journals (the run is not sealed yet).
        let metricsPath = folder + "/" + RunFolder.metrics
        var keepLeftover = false
        if !storage.canReplace, storage.exists(metricsPath) {
            warnings.append("\(RunFolder.metrics) was left by an earlier sealing attempt and was kept (objects are never replaced)")
            keepLeftover = true
        } else if storage.exists(metricsPath) {
            warnings.append("\(RunFolder.metrics) was left by an earlier sealing attempt and was rebuilt from the journal")
            storage.remove(metricsPath)
        }
        let metrics: MessagePackValue
        if streamed, let own = request.own, let part = request.part, !keepLeftover, part.fields == metricsFields(own.schema),
           let written = try? part.finish(last: own.table(), at: metricsPath)
        {
            // Rows that left memory are in the part file; it took the rest and its footer.
            metrics = written.metrics
            known[RunFolder.metrics] = written.digest
        } else if streamed, let own = request.own {
            request.part?.abandon()
            let written = try streamMetrics(folder: folder, storage: storage, runID: request.runID, own: own, batchRows: request.batchRows,
                                            journalCopy: request.journalCopy, write: !keepLeftover, warnings: &warnings)
            metrics = written.metrics
            // Hashed as it was written: the manifest need not read the file again.
            if let digest = written.digest { known[RunFolder.metrics] = digest }
        } else {
            let table = MetricsFile.withRunID(sources.table, request.runID)
            if !keepLeftover {
                let encoded = try MetricsFile.encode(table, runID: request.runID)
                try storage.create(metricsPath, encoded)
                if !storage.canReplace { known[RunFolder.metrics] = (encoded.count, FileDigest.sha256(bytes: encoded)) }
            }
            metrics = metricsSummary(table)
        }

        // 2. The manifest, listing every visible file but itself. Files this seal wrote to
        //    storage that is not the local disk are not read back: their digests are known.
        var files: [(key: MessagePackValue, value: MessagePackValue)] = []
        for relative in FileDigest.visibleFiles(in: folder, excludingTopLevel: [RunFolder.manifest], storage: storage) {
            let path = folder + "/" + relative
            let info = storage.entry(path)
            if let info, info.kind == .symlink {
                files.append((.string(relative), RunManifest.symlinkEntry(target: storage.symlinkTarget(path) ?? "")))
                continue
            }
            if let digest = known[relative], info?.size == digest.size {
                files.append((.string(relative), RunManifest.fileEntry(size: digest.size, sha256: digest.sha256)))
                continue
            }
            let digest = try FileDigest.sha256(path, storage: storage)
            files.append((.string(relative), RunManifest.fileEntry(size: digest.size, sha256: digest.hex)))
        }
        var ended = request.endedAt ?? currentMicroseconds()
        let started = header?["started_at"]?.intValue ?? (request.runID.seconds.map { $0 * 1_000_000 } ?? ended)
        if ended < started { ended = started }
        var manifest = RunManifest.build(
            runID: request.runID, runTimestamp: Timestamps.iso(seconds: request.runID.seconds ?? started / 1_000_000),
            specimen: request.specimenName, status: request.status,
            startedAt: Timestamps.iso(microseconds: started), endedAt: Timestamps.iso(microseconds: ended),
            durationSeconds: (Double(ended) - Double(started)) / 1e6,
            params: mergedParams(header, sources.joinedHeaders), metrics: metrics, files: files)
        typealias Key = RunManifest.Key
        if let command = header?["command"] { manifest[Key.command] = command }
        if let exitCode = request.exitCode { manifest[Key.exitCode] = .int(Int64(exitCode)) }
        if let signal = request.signal { manifest[Key.signal] = .int(Int64(signal)) }
        for key in [Key.protocolFile, Key.git, Key.host, Key.runtime, Key.executable, Key.source, Key.rerunOf] {
            if let value = header?[key], !value.isNil { manifest[key] = value }
        }
        var notes: MessagePackValue?
        var tags: MessagePackValue?
        for update in updates {
            if let value = update[Key.notes] { notes = value }
            if let value = update[Key.tags] { tags = value }
        }
        if let notes { manifest[Key.notes] = notes }
        if let tags { manifest[Key.tags] = tags }
        for pair in request.extra { manifest.append(key: pair.key, value: pair.value) }
        if !warnings.isEmpty { manifest[Key.warnings] = .array(warnings.map { .string($0) }) }
        let value = manifest.value
        do {
            try storage.create(manifestPath, value.encoded())
        } catch let error as SpecimenError where error.code == .alreadyExists {
            throw SpecimenError(.runSealed, "run \(request.runID) was sealed by another process meanwhile", path: manifestPath,
                                recovery: "Read the run: its manifest is there")
        }

        // 3. Clean up and freeze (objects in storage that never replaces are frozen already).
        guard storage.canReplace else { return value }
        for name in storage.list(folder) ?? [] where name.hasPrefix(RunFolder.journal) || name == RunFolder.marker || name.hasPrefix(RunFolder.temporaryPrefix) {
            storage.remove(folder + "/" + name)
        }
        for (key, _) in files {
            if let relative = key.stringValue, let info = storage.entry(folder + "/" + relative), info.kind == .file {
                storage.makeReadOnly(folder + "/" + relative)
            }
        }
        storage.makeReadOnly(manifestPath)
        storage.syncFolder(folder)
        return value
    }

    /// The owner's params; keys that processes which joined the run gave, added after them.
    static func mergedParams(_ header: MessagePackValue?, _ joined: [MessagePackValue]) -> MessagePackValue {
        var pairs = Array(header?["params"]?.mapValue ?? [:])
        for other in joined {
            for pair in other["params"]?.mapValue ?? [:] where !pairs.contains(where: { $0.key == pair.key }) {
                pairs.append(pair)
            }
        }
        if let params = header?["params"], params.mapValue == nil, pairs.isEmpty { return params }
        return .map(pairs)
    }

    /// `{rows, columns: [{name, type}], summary: {name: {last, min, max, count}}}`.
    static func metricsSummary(_ table: Table) -> MessagePackValue {
        var summary = MetricsSummary()
        summary.add(table)
        return summary.value
    }

    /// The most values a batch of rows streamed from the journal holds (row groups of a long
    /// run hold about this many values: 4 M, 32 MB of numbers). Sealing keeps up to two batches
    /// in memory (one decoded while the other is written) beside the decoder's own storage.
    static let streamedBatchValues = 4 << 20

    /// Rows per row group of a long run whose metrics have `columns` columns (`requested`,
    /// when given): about ``streamedBatchValues`` values, at least 16,384 rows and at most
    /// 1,048,576.
    static func streamedBatchRows(columns: Int, requested: Int?) -> Int {
        requested ?? Swift.min(1 << 20, Swift.max(1 << 14, streamedBatchValues / (columns + 3)))
    }

    /// The columns of `metrics.parquet` for metric columns `schema`: `run_id`, `step`, `time`,
    /// then each metric of its type (double when it holds only nulls).
    static func metricsFields(_ schema: [(name: String, type: MetricType?)]) -> [Schema.Field] {
        var fields = [Schema.Field(name: MetricsFile.runIDColumn, type: .string), Schema.Field(name: "step", type: .int64),
                      Schema.Field(name: "time", type: .timestamp(.microseconds, isAdjustedToUTC: true))]
        for column in schema { fields.append(Schema.Field(name: column.name, type: column.type?.columnType ?? .double)) }
        return fields
    }

    /// Writes `metrics.parquet` (unless `write` is false) from the rows of the owner's journal
    /// (or of its local copy, `journalCopy`), batch by batch, with `own`'s columns and types;
    /// returns the manifest's `metrics` entry and the written file's size and SHA-256.
    ///
    /// A pipeline of two stages, with at most two batches in memory. On the local disk, this
    /// thread decodes the next batch from the journal while a ``MetricsPart`` writes the last
    /// one (encoding it on every core, hashing it, starting its write-back) into a hidden
    /// temporary file, synced and moved into place at the end. Elsewhere, a background thread
    /// (``SealingStage``) decodes the next batch while the writer encodes the last one, and the
    /// storage receives the file's bytes at once.
    private static func streamMetrics(folder: String, storage: any StorageBackend, runID: RunID, own: MetricBuffers, batchRows: Int?,
                                      journalCopy: String?, write: Bool, warnings: inout [String])
        throws -> (metrics: MessagePackValue, digest: (size: Int, sha256: String)?)
    {
        let schema = own.schema
        let batchRows = streamedBatchRows(columns: schema.count, requested: batchRows)
        let fields = metricsFields(schema)
        let metricsPath = folder + "/" + RunFolder.metrics
        var batches = JournalBatches(path: journalCopy ?? folder + "/" + RunFolder.journal, name: RunFolder.journal,
                                     storage: journalCopy == nil ? storage : LocalStorage.shared, schema: schema, batchRows: batchRows,
                                     linesFolder: journalCopy == nil ? folder : nil)
        let noRows = MetricBuffers(schema: schema).table()
        let metrics: MessagePackValue
        var digest: (size: Int, sha256: String)?
        do {
            if write, storage is LocalStorage {
                let part = try MetricsPart(folder: folder, runID: runID, fields: fields, batchRows: batchRows)
                defer { part.abandon() }   // unless finished
                while let batch = try batches.next() { try part.append([batch]) }
                let written = try part.finish(last: noRows, at: metricsPath)
                metrics = written.metrics
                digest = written.digest
            } else {
                var options = MetricsFile.writerOptions(runID: runID)
                options.rowGroupRowLimit = batchRows
                let writer = write ? try ParquetWriter(schema: Schema(fields: fields), options: options) : nil
                let stage = SealingStage(batches: batches, runID: runID)
                var next = BackgroundWork { stage.step() }
                while let table = try next.wait().get() {
                    next = BackgroundWork { stage.step() }
                    try writer?.write(table)
                }
                if stage.batches.rows == 0 { stage.summary.add(MetricsFile.withRunID(noRows, runID)) }
                if let writer {
                    try writer.close()
                    let bytes = writer.bytes
                    try storage.create(metricsPath, bytes)
                    digest = (bytes.count, FileDigest.sha256(bytes: bytes))
                }
                metrics = stage.summary.value
                batches = stage.batches
            }
        } catch where !(error is SpecimenError) {
            throw SpecimenError(.metrics, "cannot encode the metrics of run \(runID)", path: metricsPath, underlying: error)
        }
        warnings += batches.warnings
        if batches.rows != own.rowCount {
            warnings.append("\(RunFolder.journal) holds \(batches.rows) rows but \(own.rowCount) were logged; \(RunFolder.metrics) has the journal's rows")
        }
        return (metrics, digest)
    }

    /// The manifest's name for a column type.
    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case .timestamp: "timestamp"
        default: type.description
        }
    }

    /// Creates `.sealing`, so two processes never seal one run at once; a lock left by a
    /// process that died is taken over.
    private static func acquireSealingLock(_ folder: String, storage: any StorageBackend) throws {
        let path = folder + "/" + RunFolder.sealingLock
        let me = RunMarker(owner: .current, startedAt: Double(currentMicroseconds()) / 1e6,
                           heartbeat: Double(currentMicroseconds()) / 1e6, flushInterval: 1)
        for _ in 0 ..< 2 {
            if try storage.createExclusively(path, me.encoded()) { return }
            if let bytes = try? storage.read(path, limit: 1 << 16), let holder = RunMarker(decoding: bytes),
               holder.deathReason(now: Double(currentMicroseconds()) / 1e6) == nil
            {
                throw SpecimenError(.runSealed, "run folder \(folder) is being sealed by pid \(holder.owner.pid) on \(holder.owner.host)", path: folder,
                                    recovery: "Wait for it to finish")
            }
            guard storage.canReplace else { return }   // stale, and never removed: the manifest's creation decides
            storage.remove(path)   // stale (or unreadable, written by a process killed mid-write)
        }
        throw SpecimenError(.runSealed, "run folder \(folder) is being sealed by another process", path: folder, recovery: "Wait for it to finish")
    }
}
