extension SpecimenTransfer {
    /// Copies one sealed run: checks the destination, then each file of the manifest's list,
    /// then the manifest, created last and exclusively.
    ///
    /// ```
    /// destination runs/<id>/      what is done
    /// ─────────────────────────   ─────────────────────────────────────────────
    /// nothing                     copy every file, then the manifest
    /// manifest, same bytes        skipped
    /// manifest, other bytes       clash
    /// files, no manifest          an interrupted copy: files with the right SHA-256
    ///                             count as copied, the rest are copied, then the
    ///                             manifest; a hidden file (.claim, .running,
    ///                             .journal…; not .tmp-…) or a file not in the list
    ///                             or with other bytes means another run: clash
    /// ```
    func copyRun(_ id: RunID, into entry: inout TransferReport.Run, progress: (String, Int) -> Void) throws {
        let from = source.runPath(id)
        let to = destinationPath + "/" + RunFolder.runs + "/" + id.rawValue
        let manifestBytes = try source.storage.read(from + "/" + RunFolder.manifest, limit: 64 << 20)
        let manifest = try RunManifest(decoding: manifestBytes, file: from + "/" + RunFolder.manifest)
        let files = manifest.files.sorted { $0.path < $1.path }
        for file in files { try Self.checkRelativePath(file.path, run: id, manifest: from + "/" + RunFolder.manifest) }

        // What stands at the destination already.
        let present = try destinationStorage.lookUp(to + "/" + RunFolder.manifest) != nil
        if present {
            let there = try destinationStorage.read(to + "/" + RunFolder.manifest, limit: 64 << 20)
            if there == manifestBytes { entry.outcome = .skipped; return }
            throw Clash(message: "\(to) holds another run with ID \(id) (its manifest differs); it was left alone — rename or remove one of them to copy the other")
        }
        let listed = Set(files.map(\.path))
        var existing: Set<String> = []
        if let names = try destinationStorage.listing(to) {
            // Temporary files (`.tmp-…`) are what a killed local copy leaves; anything else
            // hidden belongs to a writer.
            if let hidden = names.first(where: { $0.hasPrefix(".") && !$0.hasPrefix(RunFolder.temporaryPrefix) }) {
                throw Clash(message: "\(to) holds a run with ID \(id) that is not sealed (it has \(hidden)); it was left alone — wait for it to be sealed, or recover it, then compare")
            }
            existing = Set(FileDigest.visibleFiles(in: to, storage: destinationStorage))
            if let stranger = existing.subtracting(listed).sorted().first {
                throw Clash(message: "\(to) holds a run with ID \(id) with a file the source run lacks (\(stranger)); it was left alone")
            }
        }

        if !options.dryRun { try makeRunFolders(to, files: files) }
        for file in files {
            let target = to + "/" + file.path
            guard file.symlinkTarget == nil else {
                throw SpecimenError(.fileSystem, "run \(id) holds a symbolic link, \(file.path), which cannot be copied", path: from + "/" + file.path,
                                    run: id, recovery: "Replace the link in a new run by the file it points to")
            }
            guard let size = file.size, let sha = file.sha256 else {
                throw SpecimenError(.damaged, "the manifest of run \(id) lists \(file.path) without size or SHA-256", path: from + "/" + RunFolder.manifest, run: id)
            }
            if existing.contains(file.path) {
                guard try Self.matches(target, size: size, sha256: sha, storage: destinationStorage) else {
                    throw Clash(message: "\(target) exists with other bytes than \(from)/\(file.path); the run was left alone — remove the destination's incomplete run \(id) (it has no manifest) to copy it again")
                }
                entry.filesPresent += 1
                continue
            }
            if options.dryRun { entry.filesCopied += 1; entry.bytesCopied += size; continue }
            try copyFile(from: from + "/" + file.path, to: target, size: size, sha256: sha, run: id, entry: &entry)
            progress(file.path, size)
        }
        if options.dryRun { entry.filesCopied += 1; return }
        // The manifest last, exclusively: its presence says the run is complete.
        do {
            try destinationStorage.create(to + "/" + RunFolder.manifest, manifestBytes)
        } catch let error as SpecimenError where error.code == .alreadyExists {
            let there = try destinationStorage.read(to + "/" + RunFolder.manifest, limit: 64 << 20)
            guard there == manifestBytes else {
                throw Clash(message: "another writer sealed a different run \(id) at \(to) while it was being copied; it was left alone")
            }
            return
        }
        destinationStorage.makeReadOnly(to + "/" + RunFolder.manifest)
        destinationStorage.syncFolder(to)
        entry.filesCopied += 1
        entry.bytesCopied += manifestBytes.count
        progress(RunFolder.manifest, manifestBytes.count)
    }

    /// Copies one file, checked against the manifest's size and SHA-256 before it is written
    /// and (with ``TransferOptions/verifyDestination``) after. From the local disk the file is
    /// hashed, then handed to the destination's ``StorageBackend/createCopy(of:at:)`` (S3
    /// sends it in parts read as they go); to the local disk it is written piece by piece as
    /// ``StorageBackend/readPieces(_:limit:_:)`` fetches it and checked before it is moved into
    /// place; otherwise it is read whole. Only the last holds a whole file in memory.
    private func copyFile(from: String, to: String, size: Int, sha256: String, run id: RunID, entry: inout TransferReport.Run) throws {
        let mismatch = SpecimenError(.damaged, "\(from) does not match the size and SHA-256 in its run's manifest; it was not copied", path: from, run: id,
                                     recovery: "Check the source run with `specimen verify`")
        let create: () throws -> Void
        if source.isLocal {
            let local = try FileDigest.sha256(from)
            guard local.size == size, local.hex == sha256 else { throw mismatch }
            create = {
                let stored = try destinationStorage.createCopy(of: from, at: to)
                guard stored.size == size, stored.sha256 == sha256 else {
                    throw SpecimenError(.damaged, "\(from) changed while it was being copied: \(to) does not match the run's manifest", path: to, run: id,
                                        recovery: "Check the source run with `specimen verify`; remove the incomplete run \(id) at the destination (it has no manifest) and copy again")
                }
            }
        } else if let local = destinationStorage as? LocalStorage {
            // To the local disk: fetched piece by piece into a temporary file, checked, then
            // moved into place; never whole in memory.
            create = {
                _ = try local.create(to, writing: { piece in try source.storage.readPieces(from, limit: size, piece) },
                                     check: { written, digest in guard written == size, digest == sha256 else { throw mismatch } })
            }
        } else {
            guard size <= options.maximumFileSize else {
                throw SpecimenError(.fileSystem, "\(from) is \(size) bytes, more than the \(options.maximumFileSize) a transfer copies", path: from, run: id,
                                    recovery: "Raise TransferOptions.maximumFileSize, or copy the file by other means")
            }
            let bytes = try source.storage.read(from, limit: size)
            guard bytes.count == size, FileDigest.sha256(bytes: bytes) == sha256 else { throw mismatch }
            create = { try destinationStorage.create(to, bytes) }
        }
        do {
            try create()
        } catch let error as SpecimenError where error.code == .alreadyExists {
            // Created meanwhile (a racing transfer of the same run): fine when the bytes agree.
            guard try Self.matches(to, size: size, sha256: sha256, storage: destinationStorage) else {
                throw Clash(message: "\(to) was created meanwhile with other bytes; the run was left alone")
            }
            entry.filesPresent += 1
            return
        }
        if options.verifyDestination, try !Self.matches(to, size: size, sha256: sha256, storage: destinationStorage) {
            throw SpecimenError(.damaged, "\(to) was written but does not read back with the SHA-256 in the run's manifest", path: to, run: id,
                                recovery: "Check the destination storage; remove the incomplete run \(id) there (it has no manifest) and copy again")
        }
        destinationStorage.makeReadOnly(to)
        entry.filesCopied += 1
        entry.bytesCopied += size
    }

    /// Creates the run's folder and the folders its files are in (parents first).
    private func makeRunFolders(_ folder: String, files: [RunFileEntry]) throws {
        var folders: Set<String> = []
        for file in files {
            var parts = file.path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        try destinationStorage.createFolder(destinationStorage.parentFolder(of: folder))
        try destinationStorage.createFolder(folder)
        for sub in folders.sorted() { try destinationStorage.createFolder(folder + "/" + sub) }
    }

    /// Whether the file at `path` has `size` bytes and SHA-256 `sha256`.
    static func matches(_ path: String, size: Int, sha256: String, storage: any StorageBackend) throws -> Bool {
        guard let found = try storage.lookUp(path), found.kind == .file, found.size == size else { return false }
        return try FileDigest.sha256(path, storage: storage).hex == sha256
    }

    /// Throws unless `path` is a plain relative path inside the run folder (no `..`, `.`,
    /// empty or hidden components, not absolute): a manifest never makes a transfer write
    /// outside the run.
    static func checkRelativePath(_ path: String, run id: RunID, manifest: String) throws {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else {
            throw SpecimenError(.damaged, "the manifest of run \(id) lists a file outside the run or hidden: \(path)", path: manifest, run: id,
                                recovery: "Check the run with `specimen verify`; such a run cannot be copied")
        }
    }
}
