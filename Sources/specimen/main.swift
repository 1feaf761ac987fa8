// `specimen`: keeps every run of an experiment, and reads the files it keeps.
//
// This executable links no networking, so that every command starts fast. A command that names
// an `s3://` address, or runs with an `s3://` SPECIMEN_ROOT, is handed to `specimen-s3` (the same
// command line with S3 support) by replacing this process with it.
import ArgumentParser
import SpecimenCommandLine

if RemoteHandoff.isNeeded(arguments: CommandLine.arguments) {
    RemoteHandoff.replaceProcess(arguments: CommandLine.arguments)
}
SpecimenCommand.main()
