/// Copies the sealed runs of one specimen to another, between any two storages: `specimen
/// push` (local disk to S3) and `specimen pull` (S3 to local disk) are this one algorithm.
///
/// - Runs already at the destination with the same manifest (so the same file checksums) are
///   skipped; a different run under the same ID, or a run in progress there, is a clash and is
///   left alone; unsealed runs (running, crashed) are not copied.
/// - Every file is checked against the SHA-256 in the run's manifest: the bytes read from the
///   source before they are written, and (by default) the file read back from the destination.
/// - Nothing is ever replaced: files are created exclusively (atomic rename without replacing
///   on disk, `If-None-Match: *` in S3), and a file already there with the right SHA-256 counts
///   as copied. A run's manifest is created last, so a run whose copy was interrupted has no
///   manifest at the destination and is completed by the next transfer.
/// - The specimen's own files (`manifest.msgpack`, `field_notes.md`, `protocol.*`) are copied
///   when the destination lacks them; one that differs there is reported, never replaced.
///
/// ```swift
/// let source = try Specimen(at: "specimens/mnist")
/// let transfer = SpecimenTransfer(from: source, to: "lab/mnist", storage: s3)
/// let report = try transfer.run()
/// print(report.runs(.copied).count, "copied;", report.runs(.clash), "clash")
/// ```
public struct SpecimenTransfer: Sendable {
    /// The specimen copied from.
    public let source: Specimen
    /// The destination specimen's folder (created when missing).
    public let destinationPath: String
    /// The destination's storage.
    public let destinationStorage: any StorageBackend
    /// How to copy.
    public var options: TransferOptions

    /// The names of the specimen's own files that are copied (besides `protocol.*`).
    static let specimenFileNames = [RunFolder.manifest, RunFolder.fieldNotes]

    /// A transfer of `source`'s sealed runs to the specimen at `destinationPath` in `storage`.
    public init(from source: Specimen, to destinationPath: String, storage: any StorageBackend, options: TransferOptions = TransferOptions()) {
        self.source = source
        self.destinationPath = Specimen.trimmed(destinationPath)
        self.destinationStorage = storage
        self.options = options
    }

    /// Copies what is missing and reports every run. Throws only when the source's runs
    /// cannot be listed or the destination folder cannot be made; a run that cannot be
    /// copied is reported as `failed` and the others go on.
    public func run() throws -> TransferReport {
        var report = TransferReport(source: source.path, destination: destinationPath, dryRun: options.dryRun)
        if !options.dryRun { try makeFolders(destinationPath) }
        report.specimenFiles = try copySpecimenFiles()
        let ids = try source.runFolderIDs()
        var unsealed: [(RunID, RunInfo)] = []
        var sealed: [(RunID, RunInfo)] = []
        for id in ids {
            let info = try source.runInfo(id)
            if info.state.isSealed { sealed.append((id, info)) } else { unsealed.append((id, info)) }
        }
        var bytes = 0
        var entries: [RunID: TransferReport.Run] = [:]
        for (id, info) in unsealed {
            let message: String
            if case .damaged(let reason) = info.state { message = "damaged at the source: \(reason)" } else { message = "not sealed (\(info.state.name)); not copied" }
            entries[id] = TransferReport.Run(id: id, outcome: info.state.kind == .damaged ? .failed : .running, state: info.state.name, message: message)
        }
        for (index, (id, info)) in sealed.enumerated() {
            var entry = TransferReport.Run(id: id, outcome: .copied, state: info.state.name)
            do {
                try copyRun(id, into: &entry) { file, written in
                    bytes += written
                    options.progress?(TransferProgress(run: id, runIndex: index + 1, runCount: sealed.count, file: file, bytesCopied: bytes))
                }
            } catch let clash as Clash {
                entry.outcome = .clash
                entry.message = clash.message
            } catch {
                entry.outcome = .failed
                entry.message = "\(error)"
            }
            entries[id] = entry
        }
        report.runs = ids.compactMap { entries[$0] }
        return report
    }

    /// A destination that holds something else under a run's ID.
    struct Clash: Error {
        var message: String
    }

    /// Creates `path` and, on disk, the folders above it (those that exist are left as they
    /// are); in an object store a folder is a prefix, so there is nothing above it to make.
    func makeFolders(_ path: String) throws {
        guard destinationStorage is LocalStorage else {
            try destinationStorage.createFolder(path)
            return
        }
        var prefix = path.hasPrefix("/") ? "" : nil as String?
        for component in path.split(separator: "/") {
            prefix = prefix.map { $0 + "/" + component } ?? String(component)
            guard let folder = prefix, folder != ".", folder != ".." else { continue }
            if destinationStorage.isFolder(folder) { continue }
            try destinationStorage.createFolder(folder)
        }
    }

    /// Copies `manifest.msgpack`, `field_notes.md` and `protocol.*` where the destination
    /// lacks them.
    private func copySpecimenFiles() throws -> [TransferReport.SpecimenFile] {
        let names = (try source.storage.listing(source.path) ?? [])
        let wanted = names.filter { Self.specimenFileNames.contains($0) || $0.hasPrefix("protocol.") }.sorted()
        var results: [TransferReport.SpecimenFile] = []
        for name in wanted {
            let from = source.path + "/" + name
            let to = destinationPath + "/" + name
            guard source.storage.entry(from)?.kind == .file else { continue }
            do {
                let bytes = try source.storage.read(from, limit: 64 << 20)
                if try destinationStorage.lookUp(to) != nil {
                    let there = try destinationStorage.read(to, limit: 64 << 20)
                    results.append(there == bytes ? .init(name: name, outcome: .same)
                                   : .init(name: name, outcome: .differs, message: "\(to) differs from \(from); it was left as it is (compare them and copy by hand if wanted)"))
                    continue
                }
                if !options.dryRun { try destinationStorage.create(to, bytes) }
                results.append(.init(name: name, outcome: .copied))
            } catch {
                results.append(.init(name: name, outcome: .failed, message: "\(error)"))
            }
        }
        return results
    }
}
