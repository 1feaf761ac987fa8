import ArgumentParser
import Specimens

/// `specimen rerun`: runs a past run's protocol snapshot again, as a new run.
struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Run a past run's protocol snapshot again, as a new run.",
        discussion: """
            Starts a new run with the old run's params (each --param replaces or adds
            one) and the protocol files kept in its source/ folder, run from a scratch
            copy in the specimen's folder: the specimen's current protocol is neither
            used nor touched. The new run records `rerun_of` and keeps the same sources,
            so `specimen compare` of the two shows no source changes.

            Runs made before snapshots (or migrated from the legacy layout) have none:
            --current-protocol runs the specimen's current protocol with their params.

            A run of an S3 specimen is rerun as `specimen run` runs one there: from a local
            scratch folder, into which its snapshot is downloaded.

            Examples:
              specimen rerun rosenbrock 20250101_120000
              specimen rerun rosenbrock 20250101_120000 --param step_size=0.002
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @Argument(help: ArgumentHelp("The run to repeat (see `specimen view <specimen>`).", valueName: "run"))
    var runID: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Replace or add a parameter, key=value; repeatable.", valueName: "key=value"))
    var params: [String] = []

    @Flag(help: "Run the specimen's current protocol instead of the run's snapshot.")
    var currentProtocol = false

    func validate() throws {
        if (try? RunID(runID)) == nil {
            throw ValidationError("\(runID) is not a run ID: they look like 20250101_120000 (see `specimen view \(specimen)`)")
        }
        for param in params where ParamText.split(param) == nil {
            throw ValidationError("--param \(param): expected key=value, e.g. --param lr=0.01")
        }
    }

    func run() throws {
        var status: Int32 = 0
        try reportingFailures {
            let specimenPath = location.specimenPath(specimen)
            let opened = try StorageLocator.specimen(specimenPath)
            let id = try RunID(runID)
            var launcher = try ProtocolLauncher.rerun(specimen: specimenPath, storage: opened.storage, run: id,
                                                      overrides: ParamText.map(params), currentProtocol: currentProtocol)
            launcher.paramsJSON = launcher.params.jsonText()
            if currentProtocol && !StorageLocator.isRemote(specimenPath) {   // an S3 specimen's protocol is found in its local copy
                do {
                    launcher.command = try ProtocolCommand.discover(in: opened)
                } catch let error as SpecimenError where error.code == .notFound {
                    throw CommandFailure("\(opened.path) has no protocol", fix: "Add protocol.py, protocol.sh or an executable `protocol` there, or set `command` in its manifest")
                }
            }
            Standard.error("specimen: rerun of \(id)")
            status = try RunCommand.launch(launcher, opened, specimen)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
