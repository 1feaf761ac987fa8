import ArgumentParser
import Foundation

/// The `--root` option shared by the commands that find specimens by name.
struct RootOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder of specimens.", valueName: "dir"), completion: .directory)
    var root: String = "specimens"

    /// The folder of specimen `name`: `<root>/<name>` for a bare name; a path (one holding a
    /// `/`, or `.`) is taken as it is.
    func specimenPath(_ name: String) -> String {
        if name.contains("/") || name == "." || name == ".." { return name }
        let underRoot = (root.hasSuffix("/") ? String(root.dropLast()) : root) + "/" + name
        if !FileManager.default.fileExists(atPath: underRoot), FileManager.default.fileExists(atPath: name + "/runs") {
            return name   // a specimen folder in the current directory
        }
        return underRoot
    }
}
