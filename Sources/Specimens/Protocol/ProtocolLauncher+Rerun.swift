public import MessagePack

extension ProtocolLauncher {
    /// What a rerun adds to a launch: the run it repeats, its recorded command, and the run
    /// folder whose `source/` snapshot is run (nil with `currentProtocol`).
    struct Replay: Sendable {
        var of: RunID
        var command: ProtocolCommand?
        var snapshotRunFolder: String?
    }

    /// A launcher that runs run `id` of the specimen at `path` again: with its params (each of
    /// `overrides` replacing or adding one) and its own protocol snapshot, run from a scratch
    /// copy so the specimen's current protocol is neither used nor touched. The new run records
    /// `rerun_of`. With `currentProtocol`, the specimen's current protocol runs instead (for
    /// runs made before snapshots, or migrated from the legacy layout).
    ///
    /// A specimen in other `storage` than the local disk (an S3 bucket) is rerun as it is run
    /// (see ``ProtocolLauncher``): from a local scratch folder, into which the old run's
    /// snapshot is downloaded.
    ///
    /// Throws `.notFound` when the run does not exist or has no snapshot (without
    /// `currentProtocol`), `.runNotSealed` when it is not sealed.
    public static func rerun(specimen path: String, storage: any StorageBackend = LocalStorage.shared, run id: RunID,
                             overrides: MessagePackValue = .map([]), currentProtocol: Bool = false) throws -> ProtocolLauncher
    {
        let specimen = try Specimen(at: path, storage: storage)
        let info = try specimen.runInfo(id)
        guard let manifest = info.manifest, info.state.isSealed else {
            throw SpecimenError(.runNotSealed, "run \(id) of \(specimen.name) is \(info.status), not sealed; only sealed runs can be rerun",
                                path: info.path, recovery: "Wait for it to finish, or seal it with `specimen recover`")
        }
        var launcher = ProtocolLauncher(specimen: path, storage: storage)
        var params = manifest["params"]?.mapValue.map(Array.init) ?? []
        for pair in overrides.mapValue ?? [:] {
            if let index = params.firstIndex(where: { $0.key == pair.key }) { params[index].value = pair.value } else { params.append(pair) }
        }
        launcher.params = .map(params)
        if currentProtocol {
            launcher.replay = Replay(of: id, command: nil, snapshotRunFolder: nil)
            return launcher
        }
        let snapshot = RunProvenance(manifest: manifest)
        guard !info.isLegacy, let command = snapshot.command, !command.isEmpty, !snapshot.files.isEmpty,
              storage.isFolder(info.path + "/" + SourceSnapshot.folderName)
        else {
            let why = info.isLegacy || manifest["migrated_from"] != nil
                ? "it was migrated from the legacy layout, which kept no protocol snapshot"
                : snapshot.command == nil ? "it was made without a protocol snapshot (before snapshots, or not by `specimen run`)"
                : snapshot.files.isEmpty ? "it kept no source files (a command given after -- without --source)"
                : "its source/ folder is missing"
            throw SpecimenError(.notFound, "run \(id) of \(specimen.name) cannot be rerun from its own protocol: \(why)", path: info.path,
                                recovery: "Rerun it with the specimen's current protocol instead: add --current-protocol")
        }
        let protocolFile = snapshot.files.first { $0 == manifest["protocol"]?["path"]?.stringValue }
        launcher.replay = Replay(of: id, command: ProtocolCommand(arguments: command, protocolFile: protocolFile),
                                 snapshotRunFolder: info.path)
        return launcher
    }
}
