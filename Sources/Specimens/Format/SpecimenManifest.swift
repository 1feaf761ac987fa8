public import MessagePack

/// A specimen's manifest (`<specimen>/manifest.msgpack`): the one place where its keys are
/// spelled. It holds `format` (`specimen/1`), `name`, `created_at` and any user keys
/// (`description`, `tags`, `protocol`, `sources`, …), kept in order; it never lists runs (the
/// `runs/` folder is the one source of truth).
public struct SpecimenManifest: Sendable, Equatable {
    /// The value of the `format` key: `specimen/1`.
    public static let format = "specimen/1"
    /// The `format` a legacy (version 0) specimen is said to have come from.
    public static let legacyFormat = "specimen/0"

    /// The manifest's keys, as written on disk.
    public enum Key {
        /// `format`: always ``SpecimenManifest/format``.
        public static let format = "format"
        /// `name`: the specimen's name when it was created.
        public static let name = "name"
        /// `created_at`: ISO 8601 UTC.
        public static let createdAt = "created_at"
        /// `description`: free text.
        public static let description = "description"
        /// `tags`: a list of strs.
        public static let tags = "tags"
        /// `protocol`: the protocol's file name, when it is not the `protocol.*` file.
        public static let protocolFile = "protocol"
        /// `command`: the argv `specimen run` starts when no protocol file is found.
        public static let command = "command"
        /// `legacy_format`: the `format` a migrated legacy specimen manifest had.
        public static let legacyFormat = "legacy_format"
        /// `migrated_at`: when a legacy specimen was migrated.
        public static let migratedAt = "migrated_at"
    }

    /// The manifest's pairs, in order.
    public var pairs: [(key: MessagePackValue, value: MessagePackValue)] { storage.pairs }
    private var storage: ManifestPairs

    /// A manifest of exactly these pairs.
    public init(pairs: [(key: MessagePackValue, value: MessagePackValue)]) {
        storage = ManifestPairs(pairs: pairs)
    }

    /// The manifest a new specimen gets: its format, name and creation time.
    public init(name: String, createdAt: String) {
        storage = ManifestPairs(pairs: [(.string(Key.format), .string(Self.format)), (.string(Key.name), .string(name)), (.string(Key.createdAt), .string(createdAt))])
    }

    /// The manifest a value holds, whatever its format (a legacy one too); nil when it is not a map.
    public init?(_ value: MessagePackValue) {
        guard let map = value.mapValue else { return nil }
        storage = ManifestPairs(pairs: Array(map))
    }

    /// The manifest as one MessagePack map.
    public var value: MessagePackValue { .map(pairs) }

    /// Its bytes, as written to `manifest.msgpack`.
    public func encoded() -> [UInt8] { value.encoded() }

    /// The value of `key`, or nil when the manifest has no such key. Setting replaces the pair
    /// in place, appends a new one, or (nil) removes it.
    public subscript(key: String) -> MessagePackValue? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    /// Appends a pair as it is.
    public mutating func append(key: MessagePackValue, value: MessagePackValue) {
        storage.pairs.append((key, value))
    }

    /// Whether this is a current (`specimen/1`) manifest, not a legacy one.
    public var isCurrent: Bool { self[Key.format]?.stringValue == Self.format }

    /// `name`.
    public var name: String? { self[Key.name]?.stringValue }
    /// `created_at`, as written.
    public var createdAt: String? { self[Key.createdAt]?.stringValue }
    /// `description`.
    public var description: String? { self[Key.description]?.stringValue }
    /// `tags` (strs only).
    public var tags: [String] { (self[Key.tags]?.arrayValue ?? []).compactMap(\.stringValue) }

}
