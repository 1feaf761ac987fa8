import ArgumentParser
import Specimens

/// `specimen pull`: copies a specimen's sealed runs from S3 (or another folder) to a local folder.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Copy a specimen's sealed runs from S3 to a local folder.",
        discussion: """
            The local folder is the specimen's folder, created when missing. Copies
            every sealed run it lacks, and the specimen's manifest.msgpack,
            field_notes.md and protocol.* when it lacks them (one that differs is
            reported, never replaced). Runs already there with the same checksums are
            skipped; a different run under the same ID is a clash and is left alone;
            running runs are not copied. Every file is checked against the SHA-256 in
            its run's manifest, and created atomically without replacing anything: an
            interrupted pull is completed by pulling again. Exits 1 when a run
            clashed or failed.

            Examples:
              specimen pull s3://lab/specimens/mnist specimens/mnist
              specimen pull s3://lab/specimens/mnist specimens/mnist --dry-run
              specimen pull s3://lab/specimens/mnist specimens/mnist --json
            """
    )

    @Argument(help: "The specimen to copy from: an s3://bucket/prefix/<specimen> address or a folder.")
    var source: String

    @Argument(help: "The local specimen folder to copy to (created when missing).", completion: .directory)
    var destination: String

    @Flag(help: "Only report what would be copied; write nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON document (format specimen.pull/1) instead.")
    var json = false

    func run() throws {
        try TransferRun(pull: true, source: source, destination: destination, dryRun: dryRun, json: json).run()
    }
}
