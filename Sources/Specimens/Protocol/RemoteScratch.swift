import Foundation
import Parallel

/// The local folder in which ``ProtocolLauncher`` runs the protocol of a specimen kept in
/// storage other than the local disk (an S3 bucket): a protocol needs a working folder and a
/// run folder it can write files into.
///
/// ```
/// $TMPDIR/specimen-run-<random>/             private (0700), unique
///   <name>/                                  the specimen's files but runs/, downloaded: the working folder
///   <name>/runs/<id>/                        SPECIMEN_RUN_DIR: metrics.jsonl, output.log, source/, the protocol's files
///   replay/<old id>/source/                  a rerun: the old run's snapshot, downloaded
/// ```
///
/// The run itself lives in the storage from the start (its ID claimed there, its rows in its
/// journal there); the files of the local run folder are uploaded into it when it is sealed.
/// The folder is removed after a successful seal and kept after a failure.
struct RemoteScratch {
    /// The scratch folder.
    let folder: String
    /// The local copy of the specimen, `<folder>/<name>`: the protocol's working folder.
    let specimen: Specimen

    /// The prefix of scratch folders' names in the temporary folder.
    static let namePrefix = "specimen-run-"

    /// The system's temporary folder: `$TMPDIR`, else `/tmp`.
    static var temporaryFolder: String {
        var path = NSTemporaryDirectory()
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "/tmp" : path
    }

    /// Creates a scratch folder for `remote` and downloads the specimen's files (all but
    /// `runs/`) into it. Nothing is left behind when this throws.
    static func create(for remote: Specimen) throws -> RemoteScratch {
        let folder = temporaryFolder + "/" + namePrefix + LocalStorage.randomSuffix()
        try LocalStorage.shared.createFolder(folder, permissions: 0o700)
        do {
            let local = folder + "/" + remote.name
            try LocalStorage.shared.createFolder(local)
            try download(remote.path, into: local, storage: remote.storage, skippingTopLevel: [RunFolder.runs])
            // Object storage keeps no permission bits: a file named `protocol` is the executable protocol.
            let executable = local + "/protocol"
            if LocalStorage.shared.entry(executable)?.kind == .file { LocalStorage.shared.setPermissions(executable, 0o755) }
            try LocalStorage.shared.createFolder(local + "/" + RunFolder.runs)
            return RemoteScratch(folder: folder, specimen: Specimen(unchecked: local))
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// The local run folder of run `id` (the protocol's `SPECIMEN_RUN_DIR`).
    func runFolder(_ id: RunID) -> String { specimen.runPath(id) }

    /// Downloads the `source/` snapshot of the run at `runFolder` in `storage` into this
    /// scratch folder; returns the local folder that holds it as `source/`, to rerun from.
    func downloadSnapshot(of runFolder: String, run: RunID, storage: any StorageBackend) throws -> String {
        let local = folder + "/replay/" + run.rawValue
        try LocalStorage.shared.createFolder(folder + "/replay")
        try LocalStorage.shared.createFolder(local)
        try LocalStorage.shared.createFolder(local + "/" + SourceSnapshot.folderName)
        try Self.download(runFolder + "/" + SourceSnapshot.folderName, into: local + "/" + SourceSnapshot.folderName, storage: storage)
        return local
    }

    /// Removes the scratch folder.
    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// How many files are downloaded at once.
    static let parallelDownloads = 8

    /// Copies every file under `remote` in `storage` into the local folder `local` (which
    /// exists), folders included, except the top-level names in `skipped`.
    static func download(_ remote: String, into local: String, storage: any StorageBackend, skippingTopLevel skipped: Set<String> = []) throws {
        var files: [String] = []
        func walk(_ relative: String) throws {
            let absolute = relative.isEmpty ? remote : remote + "/" + relative
            for name in (try storage.listing(absolute) ?? []).sorted() {
                if relative.isEmpty && skipped.contains(name) { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let entry = try storage.lookUp(remote + "/" + child) else { continue }
                switch entry.kind {
                case .folder:
                    try LocalStorage.shared.createFolder(local + "/" + child)
                    try walk(child)
                case .file:
                    files.append(child)
                case .symlink, .other:
                    continue   // not kept by object storage; nothing to copy
                }
            }
        }
        try walk("")
        let found = files
        let failures = Slots<any Error>(count: found.count)
        Parallel.forEach(found.count, threads: Swift.max(1, Swift.min(parallelDownloads, found.count))) { index in
            do {
                let bytes = try storage.read(remote + "/" + found[index], limit: Int.max)
                try LocalStorage.shared.create(local + "/" + found[index], bytes)
            } catch {
                failures.set(index, error)
            }
        }
        if let failure = failures.values.lazy.compactMap({ $0 }).first {
            throw failure
        }
    }
}
