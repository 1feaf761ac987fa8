import ArgumentParser
import Foundation
import Specimens

/// `specimen new`: scaffolds a specimen — manifest, field notes, `runs/`, a protocol template.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a specimen with a protocol template.",
        discussion: """
            The template is a Python protocol that reads SPECIMEN_PARAMS and logs rows
            of metrics through SPECIMEN_METRICS; edit it, then `specimen run
            <specimen>`.

            Examples:
              specimen new rosenbrock
              specimen new sweep --root experiments --protocol sh
            """
    )

    @OptionGroup var location: RootOptions

    @Argument(help: "The new specimen's name (letters, digits, '.', '_', '-'), or a folder.")
    var specimen: String

    @Option(help: "The protocol template: py, sh or none.")
    var `protocol`: String = "py"

    func validate() throws {
        guard ["py", "sh", "none"].contains(`protocol`) else {
            throw ValidationError("--protocol \(`protocol`): expected py, sh or none")
        }
        let name = specimen.split(separator: "/").last.map(String.init) ?? specimen
        guard !name.isEmpty, !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && $0.isASCII || ("0" ... "9").contains($0) || "._-".unicodeScalars.contains($0) })
        else {
            throw ValidationError("'\(name)' is not a valid specimen name: use letters, digits, '.', '_' and '-', not starting with '.'")
        }
    }

    func run() throws {
        try reportingFailures {
            let path = location.specimenPath(specimen)
            let name = specimen.split(separator: "/").last.map(String.init) ?? specimen
            let notes = "# \(name)\n\nCreated \(RunText.time(Date())) UTC.\n\nWhat this specimen asks, how its protocol answers, and what the runs showed.\n"
            var files = [(RunFolder.fieldNotes, notes)]
            switch `protocol` {
            case "py": files.append(("protocol.py", Self.pythonTemplate))
            case "sh": files.append(("protocol.sh", Self.shellTemplate))
            default: break
            }
            if StorageLocator.isRemote(path) {
                // In S3: each object created conditionally, never replacing one.
                let storage = try StorageLocator.storage(for: path)
                if try storage.lookUp(path) != nil {
                    throw CommandFailure("\(path) already exists", fix: "Choose another name, or run it with `specimen run \(specimen)`")
                }
                for (file, text) in files { try storage.create(path + "/" + file, Array(text.utf8)) }
                _ = try Specimen.create(at: path, storage: storage)
            } else {
                let manager = FileManager.default
                if manager.fileExists(atPath: path) {
                    throw CommandFailure("\(path) already exists", fix: "Choose another name, or run it with `specimen run \(specimen)`")
                }
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                for (file, text) in files {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + file), options: .withoutOverwriting)
                }
                try Specimen.create(at: path)
            }
            print("created \(path)")
            print("  manifest.msgpack  field_notes.md  runs/" + (`protocol` == "none" ? "" : "  protocol.\(`protocol`)"))
            print("next: edit the protocol, then `specimen run \(specimen)\(location.root == "specimens" ? "" : " --root \(location.root)")`")
        }
    }

    static let pythonTemplate = """
        \"\"\"The protocol: one run of the experiment. `specimen run` starts it in this folder.\"\"\"
        import json
        import os

        params = json.loads(os.environ.get("SPECIMEN_PARAMS", "{}"))
        steps = int(params.get("steps", 10))

        with open(os.environ["SPECIMEN_METRICS"], "a") as metrics:
            for step in range(steps):
                loss = 1.0 / (step + 1)
                metrics.write(json.dumps({"step": step, "loss": loss}) + "\\n")
                metrics.flush()
        print(f"done: {steps} steps")

        """

    static let shellTemplate = """
        #!/usr/bin/env bash
        # The protocol: one run of the experiment. `specimen run` starts it in this folder.
        set -euo pipefail
        for step in 0 1 2 3 4 5 6 7 8 9; do
          echo "{\\"step\\": $step, \\"loss\\": $(( 100 / (step + 1) ))}" >> "$SPECIMEN_METRICS"
        done
        echo "done"

        """
}
