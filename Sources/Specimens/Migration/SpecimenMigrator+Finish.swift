#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MessagePack

extension SpecimenMigrator {
    /// Step 5, after the commit: the specimen manifest becomes `specimen/1`, then the legacy
    /// files that are still exactly what the run manifest's `migrated_from` recorded are
    /// removed, then empty legacy folders. Idempotent; returns warnings for files left in place.
    static func finish(_ path: String, runID id: RunID, manifest: MessagePackValue) throws -> [String] {
        var warnings: [String] = []
        let runFolder = path + "/" + RunFolder.runs + "/" + id.rawValue
        let from = manifest[RunManifest.Key.migratedFrom] ?? .nil
        let layout = LegacyLayout(rawValue: from["layout"]?.stringValue ?? "") ?? .root

        // The specimen manifest.
        let specimenManifestPath = path + "/" + RunFolder.manifest
        if !LegacyLayout.isSpecimenManifest(specimenManifestPath) {
            var existing: MessagePackValue?
            if layout == .strata, let bytes = try? LocalStorage.shared.read(specimenManifestPath, limit: 64 << 20) {
                existing = try? MessagePackValue(decoding: bytes)
            }
            let value = specimenManifest(path, run: manifest, existing: existing)
            try LocalStorage.shared.replace(specimenManifestPath, value.encoded(), sync: true)
            LocalStorage.shared.syncFolder(path)
        }
        MigrationFault.check("specimen-manifest")

        // The legacy files.
        var removed = 0
        var folders: Set<String> = []
        for pair in from["files"]?.mapValue ?? [:] {
            guard let relative = pair.key.stringValue, !relative.isEmpty, !relative.hasPrefix("/"),
                  !relative.split(separator: "/").contains("..") else { continue }
            if relative == RunFolder.manifest { continue }
            let file = path + "/" + relative
            guard LocalStorage.shared.exists(file) else { continue }
            guard isLegacyCopy(file, entry: pair.value, runFolder: runFolder) else {
                warnings.append("\(relative) changed after the migration was committed, so it was left in place; run \(id) holds the migrated copy")
                continue
            }
            guard LocalStorage.shared.remove(file) else { throw SpecimenError.system("remove", file, errno: errno) }
            removed += 1
            if removed == 1 { MigrationFault.check("removed-one") }
            var parent = relative.split(separator: "/").dropLast()
            while !parent.isEmpty {
                folders.insert(parent.joined(separator: "/"))
                parent = parent.dropLast()
            }
        }
        for folder in folders.sorted(by: { $0.count > $1.count }) {
            rmdir(path + "/" + folder)   // only when empty
            LocalStorage.shared.syncFolder((path + "/" + folder).split(separator: "/").dropLast().joined(separator: "/"))
        }
        LocalStorage.shared.syncFolder(path)
        MigrationFault.check("removed")
        if layout == .strata, rmdir(path + "/strata") == 0 { LocalStorage.shared.syncFolder(path) }
        MigrationFault.check("done")
        return warnings
    }

    /// The `specimen/1` manifest: an existing legacy specimen manifest keeps all its keys; else the
    /// specimen-level keys (name, description, tags, …) of the legacy run manifest.
    static func specimenManifest(_ path: String, run: MessagePackValue, existing: MessagePackValue?) -> MessagePackValue {
        typealias Key = SpecimenManifest.Key
        let folderName = String(LocalStorage.shared.resolved(path).split(separator: "/").last ?? "")
        let created = run[RunManifest.Key.runTimestamp] ?? .string(Timestamps.iso(microseconds: currentMicroseconds()))
        var manifest = SpecimenManifest(pairs: [(.string(Key.format), .string(SpecimenManifest.format))])
        if let existing = existing.flatMap(SpecimenManifest.init) {
            if existing[Key.name] == nil { manifest.append(key: .string(Key.name), value: .string(folderName)) }
            if existing[Key.createdAt] == nil { manifest.append(key: .string(Key.createdAt), value: created) }
            for pair in existing.pairs where pair.key.stringValue != Key.format { manifest.append(key: pair.key, value: pair.value) }
            if let format = existing[Key.format] { manifest.append(key: .string(Key.legacyFormat), value: format) }
            return manifest.value
        }
        manifest.append(key: .string(Key.name), value: run[Key.name] ?? .string(folderName))
        manifest.append(key: .string(Key.createdAt), value: created)
        for key in specimenKeys where key != Key.name {
            if let value = run[key] { manifest.append(key: .string(key), value: value) }
        }
        manifest.append(key: .string(Key.migratedAt), value: run[RunManifest.Key.migratedFrom]?[Key.migratedAt] ?? .nil)
        return manifest.value
    }
}
