import ArgumentParser
import Specimens

/// `specimen push`: copies a specimen's sealed runs to another place, usually S3.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy a specimen's sealed runs to S3 (or another folder).",
        discussion: """
            Copies every sealed run that the destination lacks, and the specimen's
            manifest.msgpack, field_notes.md and protocol.* when the destination lacks
            them (one that differs there is reported, never replaced). Runs already
            there with the same checksums are skipped; a different run under the same
            ID is a clash and is left alone; running runs are not copied. Every file
            is checked against the SHA-256 in its run's manifest. Nothing is ever
            overwritten: an interrupted push is completed by pushing again. Exits 1
            when a run clashed or failed.

            Examples:
              specimen push mnist s3://lab/specimens/mnist
              specimen push specimens/mnist s3://lab/specimens/mnist --dry-run
              specimen push mnist s3://lab/specimens/mnist --json
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The specimen to copy from (name under --root, folder, or s3:// address).", completion: .directory)
    var source: String

    @Argument(help: "The specimen to copy to: an s3://bucket/prefix/<specimen> address or a folder.")
    var destination: String

    @Flag(help: "Only report what would be copied; write nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON document (format specimen.push/1) instead.")
    var json = false

    func run() throws {
        try TransferRun(pull: false, source: location.specimenPath(source), destination: destination, dryRun: dryRun, json: json).run()
    }
}
