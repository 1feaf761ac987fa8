import MessagePack

extension Specimen {
    /// Compares a sealed run's files with the sizes and SHA-256 digests in its manifest:
    /// changed, missing and extra files (hidden files are ignored). Throws `.runNotSealed` for
    /// an unsealed run and `.damaged` when the manifest cannot be read.
    public func verify(run id: RunID) throws -> VerificationReport {
        let folder = runPath(id)
        let info = try runInfo(id)
        if info.isLegacy {
            throw SpecimenError(.runNotSealed, "run \(id) is the specimen's legacy results, which record no checksums to verify against",
                                path: info.path, recovery: "Migrate the specimen with `specimen migrate`; its run is then sealed and verifiable")
        }
        if case .damaged(let reason) = info.state {
            throw SpecimenError(.damaged, "run \(id) cannot be verified: \(reason)", path: folder + "/" + RunFolder.manifest)
        }
        guard info.state.isSealed, let value = info.manifest, let manifest = try? RunManifest(value) else {
            throw SpecimenError(.runNotSealed, "run \(id) is \(info.state) and has no manifest to verify against", path: folder,
                                recovery: "Verify it once it is sealed (recover crashed runs with `specimen recover`)")
        }
        guard manifest[RunManifest.Key.files]?.mapValue != nil else {
            throw SpecimenError(.damaged, "the manifest of run \(id) has no files map", path: folder + "/" + RunFolder.manifest)
        }
        var report = VerificationReport(run: id, changed: [], missing: [], extra: [], verified: 0)
        var expected: [String: RunFileEntry] = [:]
        for entry in manifest.files { expected[entry.path] = entry }
        let present = Set(FileDigest.visibleFiles(in: folder, excludingTopLevel: [RunFolder.manifest], storage: storage))
        for (name, entry) in expected.sorted(by: { $0.key < $1.key }) {
            let path = folder + "/" + name
            guard present.contains(name) else { report.missing.append(name); continue }
            if let target = entry.symlinkTarget {
                if storage.symlinkTarget(path) == target { report.verified += 1 } else { report.changed.append(name) }
                continue
            }
            guard let size = entry.size, let sha = entry.sha256,
                  let status = storage.entry(path), status.size == size,
                  let digest = try? FileDigest.sha256(path, storage: storage), digest.hex == sha
            else {
                report.changed.append(name)
                continue
            }
            report.verified += 1
        }
        report.extra = present.subtracting(expected.keys).sorted()
        return report
    }

    /// Seals every crashed run of the specimen from its journals, with status `crashed`, and
    /// returns their IDs. Running and sealed runs are left alone.
    @discardableResult
    public func recover() throws -> [RunID] {
        var recovered: [RunID] = []
        for id in try runFolderIDs() {
            if try recover(run: id) { recovered.append(id) }
        }
        return recovered
    }

    /// Seals run `id` with status `crashed` if it is crashed; returns whether it did.
    @discardableResult
    public func recover(run id: RunID) throws -> Bool {
        let info = try runInfo(id)
        guard case .crashed(let reason) = info.state else { return false }
        let folder = runPath(id)
        var lastSign: Int64?
        if let bytes = try? storage.read(folder + "/" + RunFolder.marker, limit: 1 << 16), let marker = RunMarker(decoding: bytes) {
            let heartbeat = RunInspector.heartbeat(of: marker, folder: folder, storage: storage)
            if heartbeat.isFinite, abs(heartbeat) < 9e12 { lastSign = Int64(heartbeat * 1e6) }
        }
        let sources = RunSources.load(folder: folder, storage: storage)
        if let last = sources.lastTime { lastSign = Swift.max(lastSign ?? last, last) }
        do {
            try RunSealer.seal(RunSealer.Request(
                folder: folder, storage: storage, runID: id, specimenName: name, status: .crashed, own: nil, header: nil,
                endedAt: lastSign, warnings: ["recovered: \(reason)"],
                extra: [("recovered_at", .string(Timestamps.iso(microseconds: currentMicroseconds())))]))
        } catch let error as SpecimenError where error.code == .runSealed {
            return false   // another process sealed or is sealing it
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
