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
        let runFolder = path + "/runs/" + id.rawValue
        let from = manifest["migrated_from"] ?? .nil
        let layout = LegacyLayout(rawValue: from["layout"]?.stringValue ?? "") ?? .root

        // The specimen manifest.
        let specimenManifestPath = path + "/manifest.msgpack"
        if !LegacyLayout.isSpecimenManifest(specimenManifestPath) {
            var existing: MessagePackValue?
            if layout == .strata, let bytes = try? FileIO.readFile(specimenManifestPath, limit: 64 << 20) {
                existing = try? MessagePackValue(decoding: bytes)
            }
            let value = specimenManifest(path, run: manifest, existing: existing)
            try AtomicFile.replace(specimenManifestPath, value.encoded(), sync: true)
            FileIO.syncFolder(path)
        }
        MigrationFault.check("specimen-manifest")

        // The legacy files.
        var removed = 0
        var folders: Set<String> = []
        for pair in from["files"]?.mapValue ?? [:] {
            guard let relative = pair.key.stringValue, !relative.isEmpty, !relative.hasPrefix("/"),
                  !relative.split(separator: "/").contains("..") else { continue }
            if relative == "manifest.msgpack" { continue }
            let file = path + "/" + relative
            guard FileIO.exists(file) else { continue }
            guard isLegacyCopy(file, entry: pair.value, runFolder: runFolder) else {
                warnings.append("\(relative) changed after the migration was committed, so it was left in place; run \(id) holds the migrated copy")
                continue
            }
            guard unlink(file) == 0 else { throw SpecimenError.system("remove", file, errno: errno) }
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
            FileIO.syncFolder((path + "/" + folder).split(separator: "/").dropLast().joined(separator: "/"))
        }
        FileIO.syncFolder(path)
        MigrationFault.check("removed")
        if layout == .strata, rmdir(path + "/strata") == 0 { FileIO.syncFolder(path) }
        MigrationFault.check("done")
        return warnings
    }

    /// The `specimen/1` manifest: an existing legacy specimen manifest keeps all its keys; else the
    /// specimen-level keys (name, description, tags, …) of the legacy run manifest.
    static func specimenManifest(_ path: String, run: MessagePackValue, existing: MessagePackValue?) -> MessagePackValue {
        let folderName = String(FileIO.resolved(path).split(separator: "/").last ?? "")
        let created = run["run_timestamp"] ?? .string(Timestamps.iso(microseconds: currentMicroseconds()))
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [("format", "specimen/1")]
        if let existing = existing?.mapValue {
            if !existing.contains(where: { $0.key.stringValue == "name" }) { pairs.append(("name", .string(folderName))) }
            if !existing.contains(where: { $0.key.stringValue == "created_at" }) { pairs.append(("created_at", created)) }
            for pair in existing where pair.key.stringValue != "format" { pairs.append(pair) }
            if let format = existing.first(where: { $0.key.stringValue == "format" }) { pairs.append(("legacy_format", format.value)) }
            return .map(pairs)
        }
        pairs.append(("name", run["name"] ?? .string(folderName)))
        pairs.append(("created_at", created))
        for key in specimenKeys where key != "name" {
            if let value = run[key] { pairs.append((.string(key), value)) }
        }
        pairs.append(("migrated_at", run["migrated_from"]?["migrated_at"] ?? .nil))
        return .map(pairs)
    }
}
