import MessagePack

/// Where a legacy (format version 0) specimen keeps its results: `metrics.parquet` and
/// `manifest.msgpack` directly in the specimen folder, or in its `strata/` folder.
public enum LegacyLayout: String, Sendable, CustomStringConvertible {
    /// `metrics.parquet` and `manifest.msgpack` in the specimen folder itself.
    case root
    /// `metrics.parquet` and `manifest.msgpack` in `<specimen>/strata/`.
    case strata

    /// The folder holding the legacy results, relative to the specimen (`""` or `"strata"`).
    public var folder: String { self == .root ? "" : "strata" }

    /// `root` or `strata`.
    public var description: String { rawValue }

    /// `relative` under the specimen for this layout.
    func relative(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }

    /// The legacy layout of the specimen at `path`, if it has one: a `metrics.parquet` and a
    /// `manifest.msgpack` side by side (at the root, the manifest must not be a `specimen/1`
    /// one). Reads at most the root manifest.
    static func detect(_ path: String) -> LegacyLayout? {
        let rootMetrics = path + "/" + RunFolder.metrics
        let rootManifest = path + "/" + RunFolder.manifest
        if LocalStorage.shared.exists(rootMetrics), LocalStorage.shared.exists(rootManifest), !isSpecimenManifest(rootManifest) { return .root }
        if LocalStorage.shared.exists(path + "/strata/" + RunFolder.metrics), LocalStorage.shared.exists(path + "/strata/" + RunFolder.manifest) { return .strata }
        return nil
    }

    /// Whether the file is a `specimen/1` specimen manifest.
    static func isSpecimenManifest(_ path: String) -> Bool {
        guard let bytes = try? LocalStorage.shared.read(path, limit: 64 << 20), let value = try? MessagePackValue(decoding: bytes) else { return false }
        return SpecimenManifest(value)?.isCurrent == true
    }
}
