#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import MessagePack
import Specimens

/// `specimen run`: runs a specimen's protocol once, as a new run, and seals it.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a specimen's protocol once, as a new run.",
        discussion: """
            Without a command, runs protocol.py (python3), protocol.sh (bash), an
            executable `protocol`, or the `command` of the specimen's manifest. The
            protocol runs in the specimen's folder and gets SPECIMEN_RUN_DIR,
            SPECIMEN_RUN_ID, SPECIMEN_PARAMS (a JSON object) and SPECIMEN_METRICS (a
            file: append one JSON object per line, one row of metrics each). Its output
            passes through and is kept in the run as output.log.

            Before it starts, the protocol file (or the specimen manifest's `sources`
            globs, and every --source) is copied into the run's source/ folder, and a
            dirty git tree's changes into git.patch, within --source-limit.

            Ctrl-C or SIGTERM goes to the protocol and the run is sealed as interrupted;
            a non-zero exit seals it as failed, and `specimen run` exits with the same
            status.

            An S3 specimen (s3://bucket/prefix/name, or a name under an s3:// --root) is
            run from a local scratch folder under $TMPDIR holding a copy of its files;
            its rows go to the run in the bucket every flush interval, and the files the
            protocol leaves in SPECIMEN_RUN_DIR are uploaded into the run when it is
            sealed. The scratch folder is removed then, or kept and named if sealing fails.

            Examples:
              specimen run rosenbrock --param step=0.001 --param steps=2000
              specimen run mnist -- python3 train.py --epochs 3
              specimen run s3://lab/specimens/mnist --param lr=0.01
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, key=value (numbers and true/false are typed); repeatable.", valueName: "key=value"))
    var params: [String] = []

    @OptionGroup var snapshot: SourceOptions

    @Argument(parsing: .postTerminator, help: "The command to run instead of the protocol (after --).")
    var command: [String] = []

    func validate() throws {
        for param in params where ParamText.split(param) == nil {
            throw ValidationError("--param \(param): expected key=value, e.g. --param lr=0.01")
        }
    }

    func run() throws {
        var status: Int32 = 0
        try reportingFailures {
            status = try runProtocol()
        }
        if status != 0 { throw ExitCode(status) }
    }

    private func runProtocol() throws -> Int32 {
        let specimenPath = location.specimenPath(specimen)
        let opened = try StorageLocator.specimen(specimenPath)
        var launcher = ProtocolLauncher(specimen: specimenPath, storage: opened.storage)
        if StorageLocator.isRemote(specimenPath) {
            // The launcher finds the protocol in its local copy of the specimen.
            if !command.isEmpty { launcher.command = ProtocolCommand(arguments: command) }
        } else if command.isEmpty {
            do {
                launcher.command = try ProtocolCommand.discover(in: opened)
            } catch let error as SpecimenError where error.code == .notFound {
                throw CommandFailure("\(opened.path) has no protocol",
                                     fix: "Add protocol.py, protocol.sh or an executable `protocol` there, set `command` in its manifest, or give one: specimen run \(self.specimen) -- <command>")
            }
        } else {
            launcher.command = ProtocolCommand(arguments: command)
        }
        let paramValue = ParamText.map(params)
        launcher.params = paramValue
        launcher.paramsJSON = paramValue.jsonText()
        launcher.sources = snapshot.sources
        launcher.sourceLimit = snapshot.sourceLimit
        return try Self.launch(launcher, opened, specimen)
    }

    /// Launches, announcing the run on stderr, and reports how it ended; returns the exit status.
    static func launch(_ launcher: ProtocolLauncher, _ opened: Specimen, _ specimen: String) throws -> Int32 {
        var launcher = launcher
        launcher.warn = { Standard.error("specimen: warning: \($0)") }
        let outcome = try launcher.launch { id, arguments in
            Standard.error("specimen: run \(id) of \(opened.name): \(arguments.joined(separator: " "))")
        }
        let info = try? opened.runInfo(outcome.runID)
        let rows = info?.rows.map { ", \($0) row\($0 == 1 ? "" : "s")" } ?? ""
        Standard.error("specimen: run \(outcome.runID) \(outcome.status) in \(RunText.duration(info?.duration))\(rows); see `specimen view \(specimen)`")
        return outcome.exitStatus
    }
}
