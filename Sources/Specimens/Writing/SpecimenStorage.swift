#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
public import MessagePack
public import Parquet
import Parallel

/// A specimen opened for writing: each `SpecimenStorage` starts a new run (the specimen is
/// created when it does not exist) and logs rows of metrics into it, crash-safely.
///
/// ```swift
/// let storage = try SpecimenStorage(at: "specimens/mnist", params: ["lr": 0.001, "layers": 4])
/// for epoch in 0 ..< 10 {
///     try storage.log(["loss": .double(loss), "accuracy": .double(accuracy)])
/// }
/// try storage.finish()                      // seals the run: metrics.parquet, manifest.msgpack
/// let table = try storage.readMetrics()     // the latest sealed run
/// ```
///
/// Rows go to typed column buffers in memory and to a journal in the run folder, which a
/// background thread syncs at least every `Options.flushInterval`. `finish(status:)` seals the
/// run; a process that dies leaves a run that readers see as crashed and `Specimen.recover`
/// seals from the journal. Logging is safe from one thread at a time per storage.
///
/// Inside `specimen run` (`SPECIMEN_RUN_DIR` set), the storage joins that run instead: it
/// writes its own journal there and leaves sealing to `specimen run`.
///
/// `storage:` keeps the specimen elsewhere than on the local disk (an S3 bucket through
/// `SpecimenS3`'s `S3Storage`); joining `SPECIMEN_RUN_DIR` and source snapshots are for
/// specimens on the local disk only. (`specimen run` of an S3 specimen runs its protocol in a
/// local copy of the specimen, so a storage opened there on that copy joins the run as on
/// disk: its journal is uploaded and merged when the run is sealed.)
public final class SpecimenStorage: @unchecked Sendable {
    /// The specimen, for reading.
    public let specimen: Specimen
    /// The options the storage was opened with.
    public let options: Options
    private var run: ActiveRun

    /// The flush interval of the current run, in seconds: `options.flushInterval`, else
    /// `$SPECIMEN_FLUSH_INTERVAL`, else the storage's default (1 s local, 10 s in S3).
    public var flushInterval: Double { stateLock.withLock { run.flushInterval } }
    private let stateLock = Lock()

    /// Starts a new run of the specimen at `path` in `storage` (creating the specimen when it
    /// is missing), recording `params` in it. Joins `$SPECIMEN_RUN_DIR` instead when that is a
    /// run of this specimen (see `Options.joinEnvironmentRun`).
    public convenience init<Params: Encodable>(at path: String, storage: any StorageBackend = LocalStorage.shared, params: Params,
                                               options: Options = Options()) throws {
        try self.init(at: path, storage: storage, encodedParams: try SpecimenStorage.encodeParams(params), options: options)
    }

    private init(at path: String, storage: any StorageBackend, encodedParams: MessagePackValue, options: Options) throws {
        let folder = Specimen.trimmed(path)
        self.options = options
        if storage is LocalStorage, options.joinEnvironmentRun, let runDir = ProcessInfo.processInfo.environment[ProtocolEnvironment.runDirectory], !runDir.isEmpty,
           let joined = try SpecimenStorage.joinTarget(runDir: runDir, specimen: folder)
        {
            specimen = Specimen(unchecked: folder)
            run = try RunCreator.join(specimen: specimen, id: joined, params: encodedParams, options: options)
        } else {
            try RunCreator.ensureSpecimen(folder, storage: storage)
            specimen = Specimen(unchecked: folder, storage: storage)
            run = try RunCreator.create(specimen: specimen, params: encodedParams, options: options, runID: options.runID)
        }
        OpenRuns.shared.add(run, sealAtExit: options.sealAtExit)
    }

    /// Starts a new run with params given as a MessagePack value, so that mixed literals
    /// work: `params: ["lr": 0.001, "optimizer": "adam"]`.
    public convenience init(at path: String, storage: any StorageBackend = LocalStorage.shared, params: MessagePackValue,
                            options: Options = Options()) throws {
        try self.init(at: path, storage: storage, encodedParams: params, options: options)
    }

    /// Starts a new run of the specimen at `path` (in `storage`) without params.
    public convenience init(at path: String, storage: any StorageBackend = LocalStorage.shared, options: Options = Options()) throws {
        try self.init(at: path, storage: storage, params: [String: String](), options: options)
    }

    deinit {
        // A storage dropped without finish() seals its run as completed, with a warning.
        if run.isOpen {
            _ = try? run.finish(status: .completed, warnings: ["sealed when its SpecimenStorage was released, without finish(status:)"])
        }
        OpenRuns.shared.remove(run)
    }

    // MARK: The current run

    /// The current run's ID.
    public var runID: RunID { stateLock.withLock { run.id } }

    /// The current run's folder, where a protocol may write its own files (they are listed
    /// with their checksums in the manifest when the run is sealed).
    public var strataPath: String { stateLock.withLock { run.folder } }

    /// Whether this storage joined a run owned by `specimen run` rather than creating one.
    public var isJoined: Bool { stateLock.withLock { run.joined } }

    /// Rows logged into the current run by this storage.
    public var rowCount: Int { current.rowCount }

    private var current: ActiveRun { stateLock.withLock { run } }

    // MARK: Logging

    /// Logs one row: named values, with `step` (counted from 0 when not given) and `time`
    /// (the current time when not given). A column first given an int becomes double when given a double; any
    /// other type clash throws before anything is recorded, naming the column and both types.
    /// Names `run_id`, `step` and `time` are reserved. Throws `.runSealed` after `finish`.
    public func log(step: Int? = nil, time: Date? = nil, _ values: KeyValuePairs<String, MetricValue>) throws {
        // `run` changes only in newRun(), which the logging thread calls itself, so the hot
        // path reads it without taking `stateLock`.
        try run.log(step: step.map { Int64($0) }, time: time.map(Self.microseconds), values)
    }

    /// Logs one row of doubles: `values[i]` under `names[i]` — the fastest path, for tight
    /// loops (keep `names` in a constant outside the loop). Same rules as `log(step:_:)`.
    ///
    /// ```swift
    /// let names = ["loss", "accuracy"]
    /// for batch in batches { try storage.log(names, [loss, accuracy]) }
    /// ```
    public func log(step: Int? = nil, time: Date? = nil, _ names: [String], _ values: [Double]) throws {
        guard names.count == values.count else {
            throw SpecimenError(.invalidName, "log got \(names.count) names but \(values.count) values")
        }
        try names.withUnsafeBufferPointer { names in
            try values.withUnsafeBufferPointer { values in
                try run.logDoubles(step: step.map { Int64($0) }, time: time.map(Self.microseconds), names: names, values: values)
            }
        }
    }

    /// Logs one row from an array of name–value pairs (for names built at run time).
    public func log(step: Int? = nil, time: Date? = nil, pairs values: [(key: String, value: MetricValue)]) throws {
        try current.log(step: step.map { Int64($0) }, time: time.map(Self.microseconds), values)
    }

    /// A time as microseconds since 1970, rounded down (the `time` column's unit).
    private static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1e6).rounded(.down))
    }

    /// Sets the run's notes (free text, recorded in the manifest as `notes`).
    public func setNotes(_ notes: String) throws {
        try current.update(.map([("notes", .string(notes))]))
    }

    /// Sets the run's tags (recorded in the manifest as `tags`).
    public func setTags(_ tags: [String]) throws {
        try current.update(.map([("tags", .array(tags.map { .string($0) }))]))
    }

    /// Writes logged rows to the journal and syncs it now (the background flusher does this
    /// at least every flush interval anyway).
    public func flush() throws {
        try current.flush(sync: true)
    }

    // MARK: Lifecycle

    /// Seals the current run with `status` (and, for `specimen run`, the protocol's exit code or
    /// signal): metrics.parquet, then manifest.msgpack, then the run's files become read-only.
    /// A storage that joined a run only makes its journal durable. Calling it again does nothing.
    public func finish(status: RunStatus = .completed, exitCode: Int32? = nil, signal: Int32? = nil) throws {
        try finish(status: status, exitCode: exitCode, signal: signal, warnings: [])
    }

    /// `finish`, recording `warnings` in the manifest (those of `specimen run`'s ingestion),
    /// and uploading the files of the local folder `localFiles` into the run first (`specimen
    /// run` of a specimen not on the local disk). `knownDigests`: the sizes and SHA-256 of run
    /// files already hashed (by path in the run folder), listed without reading them again
    /// when their size still matches.
    func finish(status: RunStatus, exitCode: Int32?, signal: Int32?, warnings: [String], localFiles: String? = nil,
                knownDigests: [String: (size: Int, sha256: String)] = [:]) throws {
        let run = current
        try run.finish(status: status, exitCode: exitCode, signal: signal, warnings: warnings, localFiles: localFiles,
                       knownDigests: knownDigests)
        OpenRuns.shared.remove(run)
    }

    /// The current run, for `specimen run`'s ingestion of `metrics.jsonl`.
    var activeRun: ActiveRun { current }

    /// Seals the current run as completed if it is still open, then starts the next run of
    /// the same specimen with `params` (a config loop in one process). The new run is always
    /// this process's own, even when the first one was joined.
    public func newRun<Params: Encodable>(params: Params) throws {
        try startNextRun(try SpecimenStorage.encodeParams(params))
    }

    private func startNextRun(_ encodedParams: MessagePackValue) throws {
        try finish(status: .completed)
        let next = try RunCreator.create(specimen: specimen, params: encodedParams, options: options, runID: nil)
        stateLock.withLock { run = next }
        OpenRuns.shared.add(next, sealAtExit: options.sealAtExit)
    }

    /// `newRun(params:)` with params as a MessagePack value (mixed literals).
    public func newRun(params: MessagePackValue) throws {
        try startNextRun(params)
    }

    /// `newRun(params:)` without params.
    public func newRun() throws {
        try newRun(params: [String: String]())
    }

    // MARK: Reading (the specimen's runs)

    /// The IDs of every run of the specimen, oldest first.
    public func listRuns() throws -> [RunID] { try specimen.listRuns() }

    /// The newest run's ID (often the current one).
    public var latestRun: RunID? {
        get throws { try specimen.latestRun }
    }

    /// The metrics of run `id` (live from its journals while unsealed).
    public func readMetrics(run id: RunID) throws -> Table { try specimen.readMetrics(run: id) }

    /// The metrics of the latest sealed run with rows — never this storage's unfinished run.
    public func readMetrics() throws -> Table { try specimen.readMetrics() }

    /// Every sealed run's metrics in one table, `run_id` first.
    public func readAllRuns() throws -> Table { try specimen.readAllRuns() }

    /// Details of run `id`.
    public func runInfo(_ id: RunID) throws -> RunInfo { try specimen.runInfo(id) }

    // MARK: Signals

    /// Makes SIGINT and SIGTERM seal every open run of this process as `interrupted` (with
    /// the signal recorded), then end the process as that signal would. Call once, early.
    public static func installSignalHandlers() {
        SignalSealer.install()
    }

    // MARK: Helpers

    static func encodeParams<Params: Encodable>(_ params: Params) throws -> MessagePackValue {
        do {
            return try MessagePackEncoder().encodeToValue(params)
        } catch {
            throw SpecimenError(.params, "the params cannot be encoded as MessagePack: \(error)",
                                recovery: "Params must be Encodable values made of numbers, strings, booleans, dates, arrays and string-keyed maps",
                                underlying: error)
        }
    }

    /// The run to join when `runDir` is a run folder of `specimen`; nil when it belongs to
    /// another specimen; throws when it is malformed or sealed.
    static func joinTarget(runDir: String, specimen: String) throws -> RunID? {
        let trimmed = Specimen.trimmed(runDir)
        let parts = trimmed.split(separator: "/")
        guard parts.count >= 2, parts[parts.count - 2] == "runs" else {
            throw SpecimenError(.invalidName, "SPECIMEN_RUN_DIR=\(runDir) is not a run folder (<specimen>/runs/<run_id>)", path: runDir,
                                recovery: "Unset SPECIMEN_RUN_DIR, or start the protocol with `specimen run`")
        }
        let id = try RunID(String(parts[parts.count - 1]))
        let specimenOfRun = LocalStorage.shared.resolved(trimmed + "/../..")
        guard LocalStorage.shared.isFolder(specimen), LocalStorage.shared.resolved(specimen) == specimenOfRun else { return nil }
        guard LocalStorage.shared.isFolder(trimmed) else {
            throw SpecimenError(.notFound, "SPECIMEN_RUN_DIR=\(runDir) does not exist", path: runDir, recovery: "Start the protocol with `specimen run`")
        }
        if LocalStorage.shared.exists(trimmed + "/" + RunFolder.manifest) {
            throw SpecimenError(.runSealed, "run \(id) in SPECIMEN_RUN_DIR is already sealed; its files can no longer change", path: runDir,
                                recovery: "Start a new run with `specimen run`")
        }
        return id
    }
}
