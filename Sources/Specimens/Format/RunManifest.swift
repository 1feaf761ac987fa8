public import MessagePack

/// A run's manifest (`runs/<run_id>/manifest.msgpack`): the one place where its keys are
/// spelled, read and written.
///
/// The manifest is a MessagePack map with string keys (DESIGN §1). `RunManifest` keeps its
/// pairs in order, so a manifest read and written back is the same map, unknown keys included;
/// the typed properties read and replace the pairs they name.
///
/// ```swift
/// let manifest = try RunManifest(decoding: bytes, file: path)
/// print(manifest.status ?? .completed, manifest.params, manifest.exitCode ?? 0)
/// ```
public struct RunManifest: Sendable, Equatable {
    /// The value of the `format` key: `specimen.run/1`.
    public static let format = "specimen.run/1"

    /// The manifest's keys, as written on disk.
    public enum Key {
        /// `format`: always ``RunManifest/format``.
        public static let format = "format"
        /// `run_id`: the run folder's name.
        public static let runID = "run_id"
        /// `run_timestamp`: creation time, ISO 8601 UTC to the second.
        public static let runTimestamp = "run_timestamp"
        /// `specimen`: the specimen folder's name.
        public static let specimen = "specimen"
        /// `status`: `completed`, `failed`, `interrupted` or `crashed`.
        public static let status = "status"
        /// `started_at`: ISO 8601 UTC with fractional seconds.
        public static let startedAt = "started_at"
        /// `ended_at`: ISO 8601 UTC with fractional seconds.
        public static let endedAt = "ended_at"
        /// `duration_seconds`: from start to end.
        public static let durationSeconds = "duration_seconds"
        /// `params`: the configuration the run was given.
        public static let params = "params"
        /// `metrics`: `rows`, `columns` (`name`, `type`), `summary` (`last`, `min`, `max`, `count`).
        public static let metrics = "metrics"
        /// `files`: path → `{size, sha256}` (or `{symlink}`) for every file but the manifest.
        public static let files = "files"
        /// `command`: the argv of the process that ran.
        public static let command = "command"
        /// `exit_code`: the protocol's exit status.
        public static let exitCode = "exit_code"
        /// `signal`: the signal that ended the protocol.
        public static let signal = "signal"
        /// `protocol`: `{path, sha256}` of the protocol file.
        public static let protocolFile = "protocol"
        /// `git`: `{commit, branch, dirty}`.
        public static let git = "git"
        /// `host`: `{hostname, os, arch, cpus}`.
        public static let host = "host"
        /// `runtime`: Swift and package versions.
        public static let runtime = "runtime"
        /// `notes`: free text.
        public static let notes = "notes"
        /// `tags`: a list of strs.
        public static let tags = "tags"
        /// `migrated_from`: how a legacy specimen became this run.
        public static let migratedFrom = "migrated_from"
        /// `legacy`: legacy manifest keys that clashed with ours, kept under one key.
        public static let legacy = "legacy"
        /// `recovered_at`: when recovery sealed a crashed run.
        public static let recoveredAt = "recovered_at"
        /// `warnings`: what sealing noticed (a strs list).
        public static let warnings = "warnings"
        /// `executable`: `{path, sha256}` of the program that logged (library runs).
        public static let executable = "executable"
        /// `source`: the snapshot of the protocol's sources in `source/` (files, limit, skipped).
        public static let source = "source"
        /// `rerun_of`: the run whose snapshot this run ran again.
        public static let rerunOf = "rerun_of"

        /// The keys every manifest must have (DESIGN §1).
        public static let required = [format, runID, runTimestamp, specimen, status, startedAt, endedAt, params, metrics, files]
        /// The keys this format defines; any other key is the user's or a later version's, and kept.
        public static let known: Set<String> = Set(required + [durationSeconds, command, exitCode, signal, protocolFile, git, host,
                                                                runtime, notes, tags, migratedFrom, legacy, recoveredAt, warnings,
                                                                executable, source, rerunOf])
    }

    /// The keys of the `metrics` map and of its column and summary entries.
    public enum MetricsKey {
        /// `rows`: the number of rows.
        public static let rows = "rows"
        /// `columns`: a list of `{name, type}`.
        public static let columns = "columns"
        /// `summary`: per numeric column, `{last, min, max, count}`.
        public static let summary = "summary"
        /// `name` of a column.
        public static let name = "name"
        /// `type` of a column.
        public static let type = "type"
        /// `last` value of a summary.
        public static let last = "last"
        /// `min` of a summary.
        public static let min = "min"
        /// `max` of a summary.
        public static let max = "max"
        /// `count` of a summary.
        public static let count = "count"
    }

    /// The keys of an entry of the `files` map.
    public enum FileKey {
        /// `size` in bytes.
        public static let size = "size"
        /// `sha256`, lowercase hex.
        public static let sha256 = "sha256"
        /// `symlink`: the target of a symbolic link (which is listed, never followed).
        public static let symlink = "symlink"
    }

    /// The manifest's pairs, in order.
    public var pairs: [(key: MessagePackValue, value: MessagePackValue)] { storage.pairs }
    private var storage: ManifestPairs

    /// A manifest of exactly these pairs.
    public init(pairs: [(key: MessagePackValue, value: MessagePackValue)]) {
        storage = ManifestPairs(pairs: pairs)
    }

    /// The manifest a value holds; throws `.damaged` when it is not a map or has another
    /// `format`. `file` names the manifest in errors. Other keys are read when asked for: a
    /// manifest missing one is still a manifest, and viewers show what it has.
    public init(_ value: MessagePackValue, file: String? = nil) throws {
        guard let map = value.mapValue else {
            throw SpecimenError(.damaged, "\(file ?? "the run manifest") is not a map", path: file,
                                recovery: "Restore the file from a copy, or run `specimen verify` to see what else is damaged")
        }
        storage = ManifestPairs(pairs: Array(map))
        guard self[Key.format]?.stringValue == Self.format else {
            throw SpecimenError(.damaged, "\(file ?? "the run manifest") has format \(self[Key.format].map { "\($0)" } ?? "none"), not \(Self.format)",
                                path: file, recovery: "Check that the file is a Specimen run manifest")
        }
    }

    /// Decodes a manifest's bytes; errors name `file`.
    public init(decoding bytes: [UInt8], file: String? = nil) throws {
        let value: MessagePackValue
        do {
            value = try MessagePackValue(decoding: bytes)
        } catch {
            var located = error
            located.location.file = file
            throw SpecimenError(.damaged, "\(file ?? "the run manifest") cannot be read: \(error)", path: file,
                                recovery: "Restore the file from a copy", underlying: located)
        }
        try self.init(value, file: file)
    }

    /// The manifest as one MessagePack map.
    public var value: MessagePackValue { .map(pairs) }

    /// Its bytes, as written to `manifest.msgpack`.
    public func encoded() -> [UInt8] { value.encoded() }

    /// The value of `key`, or nil when the manifest has no such key. Setting replaces the pair
    /// in place, appends a new one, or (nil) removes it.
    public subscript(key: String) -> MessagePackValue? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    /// Appends a pair as it is (a key that is not a str, or one the manifest already has, is
    /// kept as the writer gave it).
    public mutating func append(key: MessagePackValue, value: MessagePackValue) {
        storage.pairs.append((key, value))
    }

}

// MARK: - Typed fields

extension RunManifest {
    /// `run_id`.
    public var runID: RunID? { self[Key.runID]?.stringValue.flatMap { try? RunID($0) } }
    /// `run_timestamp`, as written.
    public var runTimestamp: String? { self[Key.runTimestamp]?.stringValue }
    /// `specimen`.
    public var specimen: String? { self[Key.specimen]?.stringValue }
    /// `status`; nil when missing or not one of the four.
    public var status: RunStatus? { self[Key.status]?.stringValue.flatMap { RunStatus(rawValue: $0) } }
    /// `started_at`, as written.
    public var startedAt: String? { self[Key.startedAt]?.stringValue }
    /// `ended_at`, as written.
    public var endedAt: String? { self[Key.endedAt]?.stringValue }
    /// `params`; an empty map when missing.
    public var params: MessagePackValue { self[Key.params] ?? .map([]) }
    /// `metrics.rows`.
    public var rows: Int? { self[Key.metrics]?[MetricsKey.rows]?.intValue.map { Int($0) } }
    /// `metrics.columns`.
    public var columns: [MetricColumnInfo] {
        (self[Key.metrics]?[MetricsKey.columns]?.arrayValue ?? []).compactMap { column in
            guard let name = column[MetricsKey.name]?.stringValue, let type = column[MetricsKey.type]?.stringValue else { return nil }
            return MetricColumnInfo(name: name, typeName: type)
        }
    }
    /// `metrics.summary`.
    public var summary: [ColumnSummary] {
        (self[Key.metrics]?[MetricsKey.summary]?.mapValue ?? [:]).compactMap { pair in
            guard let name = pair.key.stringValue else { return nil }
            let entry = pair.value
            return ColumnSummary(name: name, last: entry[MetricsKey.last]?.doubleValue, min: entry[MetricsKey.min]?.doubleValue,
                                 max: entry[MetricsKey.max]?.doubleValue, count: Int(entry[MetricsKey.count]?.intValue ?? 0))
        }
    }
    /// `files`: each listed path with its size and SHA-256, or its symlink target.
    public var files: [RunFileEntry] {
        (self[Key.files]?.mapValue ?? [:]).compactMap { pair in
            guard let path = pair.key.stringValue else { return nil }
            return RunFileEntry(path: path, value: pair.value)
        }
    }
    /// `command`: the argv, when recorded.
    public var command: [String]? { self[Key.command]?.arrayValue?.compactMap(\.stringValue) }
    /// `exit_code`.
    public var exitCode: Int? { self[Key.exitCode]?.intValue.map { Int($0) } }
    /// `signal`.
    public var signal: Int? { self[Key.signal]?.intValue.map { Int($0) } }
    /// `notes`.
    public var notes: String? { self[Key.notes]?.stringValue }
    /// `tags` (strs only).
    public var tags: [String] { (self[Key.tags]?.arrayValue ?? []).compactMap(\.stringValue) }
    /// `git.commit`.
    public var gitCommit: String? { self[Key.git]?["commit"]?.stringValue }
    /// `host.hostname`.
    public var hostname: String? { self[Key.host]?["hostname"]?.stringValue }
    /// `warnings`.
    public var warnings: [String] { (self[Key.warnings]?.arrayValue ?? []).compactMap(\.stringValue) }
}

// MARK: - Building

extension RunManifest {
    /// The one builder of a run manifest, used by sealing and by migration: the required keys
    /// in their order (with `duration_seconds` after `ended_at` when given). Callers then set the
    /// optional keys they know, in the order they should appear.
    static func build(runID: RunID, runTimestamp: String, specimen: String, status: RunStatus, startedAt: String, endedAt: String,
                      durationSeconds: Double?, params: MessagePackValue, metrics: MessagePackValue,
                      files: [(key: MessagePackValue, value: MessagePackValue)]) -> RunManifest
    {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [
            (.string(Key.format), .string(format)),
            (.string(Key.runID), .string(runID.rawValue)),
            (.string(Key.runTimestamp), .string(runTimestamp)),
            (.string(Key.specimen), .string(specimen)),
            (.string(Key.status), .string(status.rawValue)),
            (.string(Key.startedAt), .string(startedAt)),
            (.string(Key.endedAt), .string(endedAt)),
        ]
        if let durationSeconds { pairs.append((.string(Key.durationSeconds), .float64(durationSeconds))) }
        pairs += [(.string(Key.params), params), (.string(Key.metrics), metrics), (.string(Key.files), .map(files))]
        return RunManifest(pairs: pairs)
    }

    /// A `files` entry for a regular file.
    static func fileEntry(size: Int, sha256: String) -> MessagePackValue {
        .map([(.string(FileKey.size), .int(Int64(size))), (.string(FileKey.sha256), .string(sha256))])
    }

    /// A `files` entry for a symbolic link (listed, never followed).
    static func symlinkEntry(target: String) -> MessagePackValue {
        .map([(.string(FileKey.symlink), .string(target))])
    }
}
