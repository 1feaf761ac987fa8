import Parallel

/// The files a protocol left in a local scratch run folder, copied into its run in storage
/// that is not the local disk (an S3 bucket) when the run is sealed, before `metrics.parquet`
/// and the manifest: `specimen run` of an S3 specimen runs the protocol in a local folder.
///
/// Each file is created with the storage's exclusive `create` (in S3 a conditional PUT, and a
/// conditionally completed multipart upload for large files), so nothing in the run is ever
/// replaced; its size and SHA-256 are taken from the very bytes uploaded, so the sealer lists
/// it in the manifest without reading it back. Folders are walked; hidden names are uploaded
/// too (a run folder on disk keeps them) and, as on disk, are not listed in the manifest.
/// The store's own names at the top (``reservedName(_:)``) are never uploaded: a protocol's
/// file must not shadow the manifest, `metrics.parquet`, the journal or the claim (a warning
/// in the manifest says so). Symbolic links and other special files cannot be stored in object
/// storage and are left out with a warning. The first failure stops the upload and is thrown.
enum RunFolderUpload {
    /// What was uploaded: each file's size and SHA-256 by its path relative to the run folder,
    /// and the warnings for the manifest.
    struct Outcome {
        var digests: [String: (size: Int, sha256: String)] = [:]
        var warnings: [String] = []
    }

    /// Files smaller than this go up several at a time; larger ones one by one, each through
    /// the storage's ``StorageBackend/createCopy(of:at:)`` (on S3, in parts read from the file
    /// as they go up, so memory holds a few parts, not the file). A small file's upload holds
    /// it in memory several times over on its way to the HTTP layer, so few overlap.
    static let smallFileBytes = 4 << 20
    /// How many small files go up at once.
    static let parallelUploads = 8

    /// Uploads every file under the local folder `local` to `folder` in `storage`.
    static func upload(from local: String, to folder: String, storage: any StorageBackend) throws -> Outcome {
        var outcome = Outcome()
        var files: [(relative: String, size: Int)] = []
        var skipped: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? local : local + "/" + relative
            for name in (LocalStorage.shared.list(absolute) ?? []).sorted() {
                if relative.isEmpty && reservedName(name) {
                    outcome.warnings.append("\(name), left in the run folder by the protocol, was not uploaded: the store writes a file of that name in a run")
                    continue
                }
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let entry = LocalStorage.shared.entry(local + "/" + child) else { continue }
                switch entry.kind {
                case .folder: walk(child)
                case .file: files.append((child, entry.size))
                case .symlink, .other: skipped.append(child)
                }
            }
        }
        walk("")
        if !skipped.isEmpty {
            outcome.warnings.append("not uploaded (symbolic links and special files cannot be kept in object storage): " + skipped.joined(separator: ", "))
        }

        let small = files.filter { $0.size < smallFileBytes }
        let results = Slots<Result<(size: Int, sha256: String), any Error>>(count: small.count)
        Parallel.forEach(small.count, threads: Swift.max(1, Swift.min(parallelUploads, small.count))) { index in
            results.set(index, Result { try uploadFile(small[index].relative, from: local, to: folder, storage: storage) })
        }
        for (index, file) in small.enumerated() {
            guard let result = results.values[index] else { continue }
            outcome.digests[file.relative] = try result.get()
        }
        for file in files where file.size >= smallFileBytes {
            outcome.digests[file.relative] = try uploadFile(file.relative, from: local, to: folder, storage: storage)
        }
        return outcome
    }

    /// Whether `name`, at the top of a run folder, is one of the store's own files there: the
    /// manifest and `metrics.parquet` (which sealing writes, the manifest's presence meaning
    /// "sealed"), the journal, the marker, the sealing lock, temporary files, and object
    /// storage's claim (`.claim`) and appended-file chunks (`….chunks`). Joined processes'
    /// journals (`.journal-<pid>`) are not reserved: uploaded, their rows are merged at
    /// sealing as on disk.
    static func reservedName(_ name: String) -> Bool {
        if name == RunFolder.manifest || name == RunFolder.metrics { return true }
        guard name.hasPrefix(".") else { return false }
        return name == RunFolder.journal || name == RunFolder.marker || name == RunFolder.sealingLock || name == ".claim"
            || name.hasPrefix(RunFolder.temporaryPrefix) || name.hasSuffix(".chunks")
    }

    /// Uploads one file and returns the size and SHA-256 of the bytes uploaded.
    private static func uploadFile(_ relative: String, from local: String, to folder: String,
                                   storage: any StorageBackend) throws -> (size: Int, sha256: String) {
        let target = folder + "/" + relative
        do {
            return try storage.createCopy(of: local + "/" + relative, at: target)
        } catch let error as SpecimenError where error.code == .alreadyExists {
            throw SpecimenError(.alreadyExists, "\(target) already exists, so \(relative) from the run folder was not uploaded (nothing in a run is replaced)",
                                path: target, recovery: error.recovery, underlying: error)
        }
    }
}
