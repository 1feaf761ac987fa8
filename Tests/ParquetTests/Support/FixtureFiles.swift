import Foundation
import InteropSupport

/// The Parquet files one fixture script of `Tests/InteropScripts/` writes (`SCRIPT OUTDIR`), made
/// once per test process into a temporary folder: each `<name>.parquet`, what pyarrow read from
/// it (`<name>.expected.json`, and `<name>.<extra>.expected.json` for each extra read listed under
/// `extra`), and `manifest.json`, whose `fixtures` list names them in order.
final class FixtureFiles: Sendable {
    let folder: TemporaryFolder
    /// Fixture names in the manifest's order.
    let names: [String]
    /// Per fixture name, its manifest entry.
    let entries: [String: InteropJSON]

    /// Runs `script` into a new process-lifetime folder and reads its manifest.
    init(script: String) throws {
        folder = try ProcessLifetimeFolders.shared.make()
        try Python.run(script, [folder.path])
        let manifest = try InteropJSON.parse(contentsOf: folder.file("manifest.json"))
        var names: [String] = [], entries: [String: InteropJSON] = [:]
        for entry in manifest["fixtures"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            names.append(name)
            entries[name] = entry
        }
        self.names = names
        self.entries = entries
    }

    /// The Parquet file of a fixture.
    func path(_ name: String) -> String { folder.file("\(name).parquet") }

    /// The extra reads a fixture's manifest entry lists ("head", "rg0", ...).
    func extras(_ name: String) -> [String] {
        (entries[name]?["extra"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// What pyarrow read from a fixture, or from one of its extra reads (`suffix`).
    func expected(_ name: String, _ suffix: String? = nil) throws -> CanonicalTable {
        let file = suffix.map { "\(name).\($0).expected.json" } ?? "\(name).expected.json"
        return try CanonicalTable(json: InteropJSON.parse(contentsOf: folder.file(file)))
    }

    /// What the manifest says about a fixture (writer, codecs, encodings, notes), for failure
    /// messages.
    func summary(_ name: String) -> String {
        guard let entry = entries[name] else { return name }
        var text = "\(name) (\(entry["writer"]?.stringValue ?? "?"); codecs \(entry["codecs"]?.description ?? "?"); encodings \(entry["encodings"]?.description ?? "?"))"
        if let notes = entry["expected_notes"] { text += "\nnotes: \(notes)" }
        return text
    }
}
