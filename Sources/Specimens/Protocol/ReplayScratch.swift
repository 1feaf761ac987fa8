#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The scratch copy a rerun runs: the old run's `source/` files copied into a hidden folder of
/// the specimen (`.rerun-<random>/`, never a run), and the old argv with every argument that
/// names one of those files pointed at its copy. Removed after the run.
enum ReplayScratch {
    /// Where the copy goes and the rewritten argv, before anything is written.
    struct Plan: Sendable {
        var folder: String
        var arguments: [String]
        fileprivate var sourceFolder: String
        fileprivate var files: [String]
        fileprivate var executable: String?
    }

    /// Plans the copy of run folder `from`'s sources and rewrites `arguments`. Throws when no
    /// argument names a snapshot file (the command could only run the specimen's current files).
    static func plan(specimen: Specimen, from: String, run: RunID, arguments: [String], protocolFile: String?) throws -> Plan {
        let directory = ProtocolEnvironment.absolute(specimen.path)
        let folder = directory + "/.rerun-" + run.rawValue + "-" + LocalStorage.randomSuffix()
        let sourceFolder = from + "/" + SourceSnapshot.folderName
        let files = FileDigest.visibleFiles(in: sourceFolder)
        var rewritten = arguments
        var pointed = Set<String>()
        for (index, argument) in arguments.enumerated() {
            // The protocol file by its path in the specimen, however the specimen folder was named then.
            for file in files where argument == file || argument == "./" + file || argument == directory + "/" + file
                || (file == protocolFile && argument.hasPrefix("/") && argument.hasSuffix("/" + file))
            {
                rewritten[index] = folder + "/" + file
                pointed.insert(file)
            }
        }
        guard !pointed.isEmpty else {
            throw SpecimenError(.notFound, "run \(run)'s command `\(arguments.joined(separator: " "))` names none of its snapshot files (\(files.isEmpty ? "none" : files.joined(separator: ", "))), so its snapshot cannot be run in place of the specimen's files",
                                path: from, recovery: "Rerun it with the specimen's current protocol instead: add --current-protocol")
        }
        let executable = files.first { file in arguments.first.map { rewritten.first == folder + "/" + file && $0 != rewritten.first } ?? false }
        return Plan(folder: folder, arguments: rewritten, sourceFolder: sourceFolder, files: files, executable: executable)
    }

    /// Writes the planned copy (the file the argv starts is made executable).
    static func create(_ plan: Plan) throws {
        let (folder, sourceFolder) = (plan.folder, plan.sourceFolder)
        try LocalStorage.shared.createFolder(folder, permissions: 0o700)
        do {
            for file in plan.files {
                let path = sourceFolder + "/" + file
                guard let info = LocalStorage.shared.entry(path), info.kind == .file else { continue }
                let target = folder + "/" + file
                try SourceSnapshot.Outcome.makeParents(of: target, under: folder)
                try LocalStorage.shared.create(target, try LocalStorage.shared.read(path, limit: 1 << 30), permissions: plan.executable == file ? 0o755 : 0o644)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }
}
