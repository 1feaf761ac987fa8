#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack
import Parquet

/// Seals a run: `metrics.parquet`, then `manifest.msgpack` (last: its presence means
/// "sealed"), each created atomically without replacing anything; then the journals and the
/// marker are removed and the run's files made read-only.
///
/// Used by the owner at `finish` (rows from memory) and by recovery (rows from the journal);
/// both go through the same merge and manifest code, so a recovered run looks like any other.
enum RunSealer {
    static let manifestName = "manifest.msgpack"
    static let sealingName = ".sealing"

    struct Request {
        var folder: String
        var runID: RunID
        var specimenName: String
        var status: RunStatus
        /// The owner's rows; nil to read `.journal`.
        var own: MetricBuffers?
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
    }

    @discardableResult
    static func seal(_ request: Request) throws -> MessagePackValue {
        let folder = request.folder
        let manifestPath = folder + "/" + manifestName
        if FileIO.exists(manifestPath) {
            throw SpecimenError(.runSealed, "run \(request.runID) is already sealed (\(manifestPath) exists)", path: manifestPath,
                                recovery: "Start a new run to record new results")
        }
        try acquireSealingLock(folder)
        defer { unlink(folder + "/" + sealingName) }

        let sources = RunSources.load(folder: folder, own: request.own)
        let header = request.header ?? sources.header
        var warnings = sources.warnings + request.warnings
        if header == nil && request.own == nil {
            warnings.append("the journal has no header (the writer died before writing it); params and command are unknown")
        }
        let updates = sources.updates + request.updates

        // 1. metrics.parquet. A leftover one from a seal that died before its manifest was
        //    written is rebuilt from the same journals (the run is not sealed yet).
        let table = MetricsFile.withRunID(sources.table, request.runID)
        let metricsPath = folder + "/" + MetricsFile.fileName
        if FileIO.exists(metricsPath) {
            warnings.append("\(MetricsFile.fileName) was left by an earlier sealing attempt and was rebuilt from the journal")
            unlink(metricsPath)
        }
        try AtomicFile.create(metricsPath, try MetricsFile.encode(table, runID: request.runID))

        // 2. The manifest, listing every visible file but itself.
        var files: [(key: MessagePackValue, value: MessagePackValue)] = []
        for relative in FileDigest.visibleFiles(in: folder, excludingTopLevel: [manifestName]) {
            let path = folder + "/" + relative
            if let info = FileIO.status(path), (info.st_mode & S_IFMT) == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: 4097)
                let n = readlink(path, &buffer, 4096)
                let target = n > 0 ? String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
                files.append((.string(relative), .map([("symlink", .string(target))])))
                continue
            }
            let digest = try FileDigest.sha256(path)
            files.append((.string(relative), .map([("size", .int(Int64(digest.size))), ("sha256", .string(digest.hex))])))
        }
        var ended = request.endedAt ?? currentMicroseconds()
        let started = header?["started_at"]?.intValue ?? (request.runID.seconds.map { $0 * 1_000_000 } ?? ended)
        if ended < started { ended = started }
        var manifest: [(key: MessagePackValue, value: MessagePackValue)] = [
            ("format", "specimen.run/1"),
            ("run_id", .string(request.runID.rawValue)),
            ("run_timestamp", .string(Timestamps.iso(seconds: request.runID.seconds ?? started / 1_000_000))),
            ("specimen", .string(request.specimenName)),
            ("status", .string(request.status.rawValue)),
            ("started_at", .string(Timestamps.iso(microseconds: started))),
            ("ended_at", .string(Timestamps.iso(microseconds: ended))),
            ("duration_seconds", .float64((Double(ended) - Double(started)) / 1e6)),
            ("params", mergedParams(header, sources.joinedHeaders)),
            ("metrics", metricsSummary(table)),
            ("files", .map(files)),
        ]
        if let command = header?["command"] { manifest.append(("command", command)) }
        if let exitCode = request.exitCode { manifest.append(("exit_code", .int(Int64(exitCode)))) }
        if let signal = request.signal { manifest.append(("signal", .int(Int64(signal)))) }
        for key in ["protocol", "git", "host", "runtime", "executable", "source", "rerun_of"] {
            if let value = header?[key], !value.isNil { manifest.append((.string(key), value)) }
        }
        var notes: MessagePackValue?
        var tags: MessagePackValue?
        for update in updates {
            if let value = update["notes"] { notes = value }
            if let value = update["tags"] { tags = value }
        }
        if let notes { manifest.append(("notes", notes)) }
        if let tags { manifest.append(("tags", tags)) }
        manifest += request.extra
        if !warnings.isEmpty { manifest.append(("warnings", .array(warnings.map { .string($0) }))) }
        let value = MessagePackValue.map(manifest)
        try AtomicFile.create(manifestPath, value.encoded())

        // 3. Clean up and freeze.
        for name in FileIO.names(in: folder) ?? [] where name.hasPrefix(Journal.mainName) || name == RunMarker.fileName || name.hasPrefix(".tmp-") {
            unlink(folder + "/" + name)
        }
        for (key, _) in files {
            if let relative = key.stringValue, let info = FileIO.status(folder + "/" + relative), (info.st_mode & S_IFMT) == S_IFREG {
                chmod(folder + "/" + relative, 0o444)
            }
        }
        chmod(manifestPath, 0o444)
        FileIO.syncFolder(folder)
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
        var columns: [MessagePackValue] = []
        var summary: [(key: MessagePackValue, value: MessagePackValue)] = []
        for column in table.columns {
            columns.append(.map([("name", .string(column.name)), ("type", .string(typeName(column.type)))]))
            guard !["run_id", "step", "time"].contains(column.name) else { continue }
            switch column.values {
            case .double(let values):
                var count = 0
                var minimum: Double?, maximum: Double?, last: Double?
                for row in 0 ..< values.count where !column.isNull(row) {
                    let v = values[row]
                    count += 1
                    last = v
                    if v.isNaN { continue }
                    if minimum == nil || v < minimum! { minimum = v }
                    if maximum == nil || v > maximum! { maximum = v }
                }
                summary.append((.string(column.name), .map([
                    ("last", last.map { .float64($0) } ?? .nil), ("min", minimum.map { .float64($0) } ?? .nil),
                    ("max", maximum.map { .float64($0) } ?? .nil), ("count", .int(Int64(count))),
                ])))
            case .int64(let values) where column.type == .int64:
                var count = 0
                var minimum: Int64?, maximum: Int64?, last: Int64?
                for row in 0 ..< values.count where !column.isNull(row) {
                    let v = values[row]
                    count += 1
                    last = v
                    if minimum == nil || v < minimum! { minimum = v }
                    if maximum == nil || v > maximum! { maximum = v }
                }
                summary.append((.string(column.name), .map([
                    ("last", last.map { .int($0) } ?? .nil), ("min", minimum.map { .int($0) } ?? .nil),
                    ("max", maximum.map { .int($0) } ?? .nil), ("count", .int(Int64(count))),
                ])))
            default:
                continue
            }
        }
        return .map([("rows", .int(Int64(table.rowCount))), ("columns", .array(columns)), ("summary", .map(summary))])
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
    private static func acquireSealingLock(_ folder: String) throws {
        let path = folder + "/" + sealingName
        let me = RunMarker(owner: .current, startedAt: Double(currentMicroseconds()) / 1e6,
                           heartbeat: Double(currentMicroseconds()) / 1e6, flushInterval: 1)
        for _ in 0 ..< 2 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let bytes = me.encoded()
                _ = try? bytes.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw SpecimenError.system("create", path, errno: errno) }
            if let bytes = try? FileIO.readFile(path, limit: 1 << 16), let holder = RunMarker(decoding: bytes),
               holder.deathReason(now: Double(currentMicroseconds()) / 1e6) == nil
            {
                throw SpecimenError(.runSealed, "run folder \(folder) is being sealed by pid \(holder.owner.pid) on \(holder.owner.host)", path: folder,
                                    recovery: "Wait for it to finish")
            }
            unlink(path)   // stale (or unreadable, written by a process killed mid-write)
        }
        throw SpecimenError(.runSealed, "run folder \(folder) is being sealed by another process", path: folder, recovery: "Wait for it to finish")
    }
}
