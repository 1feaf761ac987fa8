import Foundation
public import MessagePack

/// Starts a specimen's protocol as a new run, as `specimen run` does: keeps the protocol's
/// sources in the run, runs it in the specimen's folder with the `SPECIMEN_*` environment
/// (see ``ProtocolEnvironment``), passes its output through into `output.log`, forwards
/// SIGINT and SIGTERM to it, and seals the run with its exit status.
///
/// ```swift
/// var launcher = ProtocolLauncher(specimen: "specimens/rosenbrock")
/// launcher.params = ["step_size": 0.001]
/// let outcome = try launcher.launch()
/// print(outcome.runID, outcome.status, outcome.exitStatus)
/// ```
///
/// A specimen kept in other storage (an S3 bucket, through `SpecimenS3`'s `S3Storage`) is run
/// from a local scratch folder, `$TMPDIR/specimen-run-<random>/<name>/`, holding a copy of
/// the specimen's files (all but `runs/`): the protocol's working folder. Its run folder
/// (`SPECIMEN_RUN_DIR`) is `runs/<id>/` there, while the run itself is created in the storage
/// from the start: `metrics.jsonl` is followed into the run's journal there (uploaded every
/// flush interval), and at sealing every file the protocol left in its run folder is uploaded
/// into the run (never replacing anything) and listed with its SHA-256 in the manifest,
/// before `metrics.parquet` and the manifest. The scratch folder is removed once the run is
/// sealed; when sealing fails (an upload failed), the run is left unsealed for `recover`,
/// the folder is kept, and the error names it.
///
/// ```swift
/// let storage = try S3Storage.fromEnvironment("s3://lab")
/// let outcome = try ProtocolLauncher(specimen: "s3://lab/specimens/mnist", storage: storage).launch()
/// ```
public struct ProtocolLauncher: Sendable {
    /// The specimen's folder (in ``storage``).
    public var specimenPath: String
    /// Where the specimen is kept: the local disk by default.
    public var storage: any StorageBackend
    /// The params given to the protocol (`SPECIMEN_PARAMS`) and recorded in the run.
    public var params: MessagePackValue = .map([])
    /// The params as JSON text for `SPECIMEN_PARAMS`; nil: written from `params`.
    public var paramsJSON: String?
    /// The command to run; nil: the specimen's protocol (``ProtocolCommand/discover(in:)``).
    public var command: ProtocolCommand?
    /// Extra source patterns to keep (`--source`), besides the protocol file or the specimen
    /// manifest's `sources`.
    public var sources: [String] = []
    /// The most bytes of sources (and of `git.patch`) to keep; nil: the specimen manifest's
    /// `source_limit`, else 1,000,000.
    public var sourceLimit: Int?
    /// Receives each warning about `metrics.jsonl` as it happens (a skipped line, by number);
    /// the warnings are recorded in the manifest as well.
    public var warn: (@Sendable (String) -> Void)?
    /// What a rerun adds (set by ``rerun(specimen:storage:run:overrides:currentProtocol:)``).
    var replay: Replay?

    /// A launcher of the protocol of the specimen at `path` in `storage`.
    public init(specimen path: String, storage: any StorageBackend = LocalStorage.shared) {
        specimenPath = path
        self.storage = storage
    }

    /// Runs the protocol once as a new run and seals it. `started` is called once the run
    /// exists, just before the protocol starts, with the run's ID and the argv.
    /// Throws when the specimen or its protocol is missing or the run cannot be created;
    /// a protocol that fails is not an error (see ``ProtocolOutcome/status``).
    public func launch(started: (RunID, [String]) -> Void = { _, _ in }) throws -> ProtocolOutcome {
        let specimen = try Specimen(at: specimenPath, storage: storage)
        guard !specimen.isLocal else { return try launch(specimen, remote: nil, started: started) }
        // Elsewhere than on the local disk: the protocol runs in a local copy of the specimen.
        let remote = try RemoteScratch.create(for: specimen)
        var keep = false
        defer { if !keep { remote.remove() } }
        do {
            return try launch(specimen, remote: remote, started: started)
        } catch let failure as RemoteFailure {
            keep = true
            throw failure.error
        }
    }

    /// A failure after which the scratch folder of a remote launch is kept.
    private struct RemoteFailure: Error {
        var error: any Error
    }

    /// `launch`, for `specimen` on the local disk (`remote` nil) or run from `remote`.
    private func launch(_ specimen: Specimen, remote: RemoteScratch?, started: (RunID, [String]) -> Void) throws -> ProtocolOutcome {
        let local = remote?.specimen ?? specimen   // the local folder the protocol runs in
        let directory = ProtocolEnvironment.absolute(local.path)
        var replay = self.replay
        if let remote, let from = replay?.snapshotRunFolder, let of = replay?.of {
            replay?.snapshotRunFolder = try remote.downloadSnapshot(of: from, run: of, storage: specimen.storage)
        }
        let chosen: ProtocolCommand
        do {
            chosen = try replay?.command ?? command ?? ProtocolCommand.discover(in: local)
        } catch let error as SpecimenError where error.code == .notFound && remote != nil {
            throw SpecimenError(.notFound, "\(specimen.path) has no protocol", path: specimen.path,
                                recovery: "Add protocol.py, protocol.sh or `protocol` there, set `command` in its manifest, or give a command to run")
        }
        let limit = sourceLimit ?? local.manifest?["source_limit"]?.intValue.map { Int(clamping: $0) } ?? SourceSnapshot.defaultLimit

        var patterns: [String] = []
        if replay?.snapshotRunFolder == nil {
            if let listed = Self.manifestSources(local) {
                patterns = listed
            } else if let file = chosen.protocolFile {
                patterns = [file]
            }
        }
        for pattern in sources where !patterns.contains(pattern) { patterns.append(pattern) }

        var options = SpecimenStorage.Options()
        options.joinEnvironmentRun = false
        options.sources = replay?.snapshotRunFolder == nil ? patterns : []
        options.sourceLimit = limit
        options.recordExecutable = false   // the launcher's own binary; the protocol is what source/ keeps
        options.launch = LaunchRecord(command: chosen.arguments, protocolFile: chosen.protocolFile, rerunOf: replay?.of,
                                      snapshotRunFolder: replay?.snapshotRunFolder)
        if let remote {
            options.localMirror = remote.specimen.path
            options.recordGit = false   // the scratch copy is in no work tree of the user's
        }

        // A rerun runs a scratch copy of the old run's sources, never the specimen's own files.
        // It is written after the run is created, so the run's git state does not list it.
        var scratch: ReplayScratch.Plan?
        if let replay, let from = replay.snapshotRunFolder {
            scratch = try ReplayScratch.plan(specimen: local, from: from, run: replay.of, arguments: chosen.arguments,
                                             protocolFile: chosen.protocolFile)
        }
        let arguments = scratch?.arguments ?? chosen.arguments
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch.folder) } }

        let storage = try SpecimenStorage(at: specimen.path, storage: specimen.storage, params: params, options: options)
        let runFolder = remote.map { $0.runFolder(storage.runID) } ?? ProtocolEnvironment.absolute(storage.strataPath)
        // Seals the run; from a remote launch, the files of the local run folder are uploaded
        // first, and a failure keeps the scratch folder and says how to finish the run.
        func seal(_ status: RunStatus, exitCode: Int32?, signal: Int32?, warnings: [String],
                  knownDigests: [String: (size: Int, sha256: String)] = [:]) throws {
            guard let remote else {
                return try storage.finish(status: status, exitCode: exitCode, signal: signal, warnings: warnings, knownDigests: knownDigests)
            }
            do {
                try storage.finish(status: status, exitCode: exitCode, signal: signal, warnings: warnings, localFiles: runFolder)
            } catch {
                throw RemoteFailure(error: Self.sealingFailure(error, run: storage.runID, specimen: specimen, runFolder: runFolder,
                                                               scratch: remote.folder))
            }
        }
        do {
            if remote != nil { try LocalStorage.shared.createFolder(runFolder) }
            if let scratch { try ReplayScratch.create(scratch) }
        } catch {
            try? seal(.failed, exitCode: 127, signal: nil, warnings: [])
            throw error
        }
        let environment = ProtocolEnvironment.environment(runFolder: runFolder, runID: storage.runID,
                                                          paramsJSON: paramsJSON ?? ParamsJSON.text(params), specimenFolder: directory)
        started(storage.runID, arguments)
        let child = ChildProcess(arguments: arguments, environment: environment, directory: directory,
                                 logPath: runFolder + "/" + ProtocolEnvironment.outputLogName)
        // metrics.jsonl becomes rows of the run as it grows, not only when the protocol ends.
        let follower = MetricsFollower(path: runFolder + "/" + ProtocolEnvironment.metricsFileName, run: storage.activeRun,
                                       warn: warn ?? { _ in })
        follower.start()
        func stopFollowing() -> [String] {
            do { return try follower.stop() } catch { return ["\(RunFolder.metricsLines) could not be ingested to its end: \(error)"] }
        }
        let outcome: (ending: ChildProcess.Ending, forwarded: Int32?)
        do {
            outcome = try child.run()
        } catch {
            do {
                try seal(.failed, exitCode: 127, signal: nil, warnings: stopFollowing())
            } catch let failure as RemoteFailure {
                throw failure
            } catch {}
            throw error
        }
        let warnings = stopFollowing()
        // metrics.jsonl was hashed as it was read: sealing lists it without reading it again.
        var digests: [String: (size: Int, sha256: String)] = [:]
        if let digest = follower.fileDigest { digests[ProtocolEnvironment.metricsFileName] = digest }
        switch outcome.ending {
        case .exited(let code):
            let status: RunStatus = outcome.forwarded != nil ? .interrupted : (code == 0 ? .completed : .failed)
            try seal(status, exitCode: code, signal: nil, warnings: warnings, knownDigests: digests)
            return ProtocolOutcome(runID: storage.runID, status: status, exitStatus: code, arguments: arguments)
        case .signaled(let signal):
            let status: RunStatus = outcome.forwarded != nil ? .interrupted : .failed
            try seal(status, exitCode: nil, signal: signal, warnings: warnings, knownDigests: digests)
            return ProtocolOutcome(runID: storage.runID, status: status, exitStatus: 128 + signal, arguments: arguments)
        }
    }

    /// The error of a remote launch whose run could not be sealed: what failed, where the
    /// protocol's files are kept, and how to finish the run.
    static func sealingFailure(_ error: any Error, run: RunID, specimen: Specimen, runFolder: String, scratch: String) -> SpecimenError {
        let known = error as? SpecimenError
        let cause = known?.message ?? "\(error)"
        let next = "The run is left unsealed (crashed, once this process has ended): copy any file of \(runFolder) "
            + "missing from \(specimen.runPath(run)) there, then seal the run with `specimen recover \(specimen.path)`, and remove \(scratch)"
        var recovery = known?.recovery ?? ""
        while recovery.hasSuffix(".") || recovery.hasSuffix(" ") { recovery.removeLast() }
        return SpecimenError(known?.code ?? .fileSystem,
                             "run \(run) of \(specimen.name) could not be sealed: \(cause); the files its protocol left are kept in \(runFolder)",
                             path: specimen.runPath(run), run: run,
                             recovery: recovery.isEmpty ? next : recovery + ". " + next,
                             underlying: known?.underlying ?? error)
    }

    /// The specimen manifest's `sources`: a list of patterns, or one pattern; nil when absent.
    static func manifestSources(_ specimen: Specimen) -> [String]? {
        switch specimen.manifest?["sources"] {
        case .string(let pattern)?: return [pattern]
        case .array(let items)?: return items.compactMap(\.stringValue)
        default: return nil
        }
    }
}
