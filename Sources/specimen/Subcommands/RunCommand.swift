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

            Ctrl-C or SIGTERM goes to the protocol and the run is sealed as interrupted;
            a non-zero exit seals it as failed, and `specimen run` exits with the same
            status.

            Examples:
              specimen run rosenbrock --param step=0.001 --param steps=2000
              specimen run mnist -- python3 train.py --epochs 3
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, key=value (numbers and true/false are typed); repeatable.", valueName: "key=value"))
    var params: [String] = []

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
        let opened = try Specimen(at: specimenPath)
        let directory = Self.absolute(specimenPath)
        let arguments = try command.isEmpty ? discoverProtocol(opened, directory: directory) : command
        let paramValue = ParamText.map(params)

        var options = SpecimenStorage.Options()
        options.joinEnvironmentRun = false
        let storage = try SpecimenStorage(at: specimenPath, params: paramValue, options: options)
        let runDir = Self.absolute(storage.strataPath)
        var environment = ProcessInfo.processInfo.environment
        environment["SPECIMEN_RUN_DIR"] = runDir
        environment["SPECIMEN_RUN_ID"] = storage.runID.rawValue
        environment["SPECIMEN_METRICS"] = runDir + "/metrics.jsonl"
        environment["SPECIMEN_PARAMS"] = paramValue.jsonText()
        environment["SPECIMEN_SPECIMEN"] = directory
        if environment["PYTHONUNBUFFERED"] == nil { environment["PYTHONUNBUFFERED"] = "1" }   // live output through the pipe

        Standard.error("specimen: run \(storage.runID) of \(opened.name): \(arguments.joined(separator: " "))")
        let child = ChildProcess(arguments: arguments, environment: environment, directory: directory, logPath: runDir + "/output.log")
        let outcome: (ending: ChildProcess.Ending, forwarded: Int32?)
        do {
            outcome = try child.run()
        } catch {
            try? storage.finish(status: .failed, exitCode: 127)
            throw error
        }
        let runStatus: RunStatus
        let exitStatus: Int32
        switch outcome.ending {
        case .exited(let code):
            runStatus = outcome.forwarded != nil ? .interrupted : (code == 0 ? .completed : .failed)
            exitStatus = code
            try storage.finish(status: runStatus, exitCode: code)
        case .signaled(let signal):
            runStatus = outcome.forwarded != nil ? .interrupted : .failed
            exitStatus = 128 + signal
            try storage.finish(status: runStatus, signal: signal)
        }
        let info = try? opened.runInfo(storage.runID)
        let rows = info?.rows.map { ", \($0) row\($0 == 1 ? "" : "s")" } ?? ""
        Standard.error("specimen: run \(storage.runID) \(runStatus) in \(RunText.duration(info?.duration))\(rows); see `specimen view \(specimen)`")
        return exitStatus
    }

    private func discoverProtocol(_ specimen: Specimen, directory: String) throws -> [String] {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory + "/protocol.py") { return ["python3", "protocol.py"] }
        if manager.fileExists(atPath: directory + "/protocol.sh") { return ["bash", "protocol.sh"] }
        if manager.isExecutableFile(atPath: directory + "/protocol") { return [directory + "/protocol"] }
        switch specimen.manifest?["command"] {
        case .string(let text)?: return ["/bin/sh", "-c", text]
        case .array(let parts)?:
            let strings = parts.compactMap(\.stringValue)
            if !strings.isEmpty, strings.count == parts.count { return strings }
        default: break
        }
        throw CommandFailure("\(specimen.path) has no protocol",
                             fix: "Add protocol.py, protocol.sh or an executable `protocol` there, set `command` in its manifest, or give one: specimen run \(self.specimen) -- <command>")
    }

    /// `path` made absolute against the current folder.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = FileManager.default.currentDirectoryPath
        return path == "." ? base : base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}
