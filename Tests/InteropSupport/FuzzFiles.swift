public import Foundation

/// The inputs kept under the repository's `Fuzz/` folder, which the fuzz regression tests replay:
/// `seeds/<target>` (written by `Fuzz/make_seeds.py`) and `crashers/<target>`.
public enum FuzzFiles {
    /// The repository's `Fuzz/` folder.
    public static let directory = Python.repositoryRoot.appendingPathComponent("Fuzz")

    /// The files of `Fuzz/<folder>` sorted by name, without hidden files; none when the folder
    /// does not exist (no crasher has been committed).
    public static func files(in folder: String) throws -> [URL] {
        let url = directory.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
