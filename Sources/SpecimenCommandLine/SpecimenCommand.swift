public import ArgumentParser
import Specimens

/// The `specimen` command: keeps every run of an experiment, and reads the files it keeps.
///
/// The executables `specimen` and `specimen-s3` run it (`SpecimenCommand.main()`); tests call
/// its subcommands directly.
public struct SpecimenCommand: ParsableCommand {
    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "specimen",
        abstract: "Keep every run of an experiment: metrics as Parquet, metadata as MessagePack.",
        discussion: """
            Runs live in specimens/<name>/runs/<YYYYMMDD_HHMMSS>/ and are never overwritten.
            Every listing command takes --json for scripts. Exit status: 0 ok, 1 error, 64 usage.
            """,
        version: specimenVersion,
        subcommands: [
            NewCommand.self, RunCommand.self, RerunCommand.self, RunsCommand.self, ViewCommand.self, CompareCommand.self, VerifyCommand.self,
            RecoverCommand.self, ExportCommand.self, CatCommand.self, SchemaCommand.self, MigrateCommand.self,
            ReportCommand.self, PushCommand.self, PullCommand.self,
        ]
    )

    /// Creates the command (ArgumentParser fills it in from the arguments).
    public init() {}
}
