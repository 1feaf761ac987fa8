public import Foundation
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
public struct ProtocolLauncher: Sendable {
    /// The specimen's folder.
    public var specimenPath: String
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
    /// What a rerun adds (set by ``rerun(specimen:run:overrides:currentProtocol:)``).
    var replay: Replay?

    /// A launcher of the protocol of the specimen at `path`.
    public init(specimen path: String) {
        specimenPath = path
    }

    /// Runs the protocol once as a new run and seals it. `started` is called once the run
    /// exists, just before the protocol starts, with the run's ID and the argv.
    /// Throws when the specimen or its protocol is missing or the run cannot be created;
    /// a protocol that fails is not an error (see ``ProtocolOutcome/status``).
    public func launch(started: (RunID, [String]) -> Void = { _, _ in }) throws -> ProtocolOutcome {
        let specimen = try Specimen(at: specimenPath)
        let directory = ProtocolEnvironment.absolute(specimen.path)
        let chosen = try replay?.command ?? command ?? ProtocolCommand.discover(in: specimen)
        let limit = sourceLimit ?? specimen.manifest?["source_limit"]?.intValue.map { Int(clamping: $0) } ?? SourceSnapshot.defaultLimit

        var patterns: [String] = []
        if replay?.snapshotRunFolder == nil {
            if let listed = Self.manifestSources(specimen) {
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

        // A rerun runs a scratch copy of the old run's sources, never the specimen's own files.
        // It is written after the run is created, so the run's git state does not list it.
        var scratch: ReplayScratch.Plan?
        if let replay, let from = replay.snapshotRunFolder {
            scratch = try ReplayScratch.plan(specimen: specimen, from: from, run: replay.of, arguments: chosen.arguments,
                                             protocolFile: chosen.protocolFile)
        }
        let arguments = scratch?.arguments ?? chosen.arguments
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch.folder) } }

        let storage = try SpecimenStorage(at: specimen.path, params: params, options: options)
        if let scratch {
            do {
                try ReplayScratch.create(scratch)
            } catch {
                try? storage.finish(status: .failed, exitCode: 127)
                throw error
            }
        }
        let runFolder = ProtocolEnvironment.absolute(storage.strataPath)
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
            try? storage.finish(status: .failed, exitCode: 127, signal: nil, warnings: stopFollowing())
            throw error
        }
        let warnings = stopFollowing()
        switch outcome.ending {
        case .exited(let code):
            let status: RunStatus = outcome.forwarded != nil ? .interrupted : (code == 0 ? .completed : .failed)
            try storage.finish(status: status, exitCode: code, signal: nil, warnings: warnings)
            return ProtocolOutcome(runID: storage.runID, status: status, exitStatus: code, arguments: arguments)
        case .signaled(let signal):
            let status: RunStatus = outcome.forwarded != nil ? .interrupted : .failed
            try storage.finish(status: status, exitCode: nil, signal: signal, warnings: warnings)
            return ProtocolOutcome(runID: storage.runID, status: status, exitStatus: 128 + signal, arguments: arguments)
        }
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
