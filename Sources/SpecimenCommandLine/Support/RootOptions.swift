import ArgumentParser
import Foundation

/// The `--root` option shared by the commands that find specimens by name.
struct RootOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder of specimens: a path or an s3://bucket/prefix address (default: $SPECIMEN_ROOT, else ./specimens).",
                               valueName: "dir"), completion: .directory)
    var root: String = RootOptions.defaultRoot

    /// `$SPECIMEN_ROOT` when set and not empty, else `specimens`.
    static var defaultRoot: String {
        guard let root = ProcessInfo.processInfo.environment["SPECIMEN_ROOT"], !root.isEmpty else { return "specimens" }
        return root
    }

    /// The folder of specimen `name`: `<root>/<name>` for a bare name; a path (one holding a
    /// `/`, or `.`) or an `s3://` address is taken as it is.
    func specimenPath(_ name: String) -> String {
        if name.contains("/") || name == "." || name == ".." { return name }
        let underRoot = (root.hasSuffix("/") ? String(root.dropLast()) : root) + "/" + name
        if root.hasPrefix("s3://") { return underRoot }
        if !FileManager.default.fileExists(atPath: underRoot), FileManager.default.fileExists(atPath: name + "/runs") {
            return name   // a specimen folder in the current directory
        }
        return underRoot
    }
}
