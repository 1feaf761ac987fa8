/// A folder of specimens (the CLI's `--root`, `./specimens` by default): every visible folder
/// in it is a specimen.
///
/// ```swift
/// let root = try SpecimenRoot(at: "specimens")
/// for specimen in try root.specimens() { print(specimen.name, try specimen.listRuns().count) }
/// ```
public struct SpecimenRoot: Sendable {
    /// The root folder, as given.
    public let path: String
    /// Where the specimens are kept (``LocalStorage/shared`` for a folder on disk).
    public let storage: any StorageBackend

    /// Opens a root of specimens in `storage` (the local disk by default); throws
    /// `.notFound` when there is no folder at `path`.
    public init(at path: String, storage: any StorageBackend = LocalStorage.shared) throws {
        let trimmed = Specimen.trimmed(path)
        self.storage = storage
        guard let entry = try storage.lookUp(trimmed), entry.kind == .folder || storage.isFolder(trimmed) else {
            throw SpecimenError(.notFound, "no folder of specimens at \(trimmed)", path: trimmed,
                                recovery: "Create a specimen with `specimen new <name>`, or point --root at the folder that holds them")
        }
        self.path = trimmed
    }

    /// The names of the specimens, sorted: the folders in the root whose names do not start
    /// with `.`.
    public func specimenNames() throws -> [String] {
        guard let names = try storage.listing(path) else {
            throw SpecimenError(.fileSystem, "cannot list the folder of specimens \(path)", path: path,
                                recovery: "Check that you may read it (ls -ld the folder)")
        }
        return names.filter { !$0.hasPrefix(".") && storage.isFolder(path + "/" + $0) }.sorted()
    }

    /// The specimens, in name order.
    public func specimens() throws -> [Specimen] {
        try specimenNames().map { Specimen(unchecked: path + "/" + $0, storage: storage) }
    }

    /// The specimen called `name` in this root.
    public func specimen(named name: String) throws -> Specimen {
        try Specimen(at: path + "/" + name, storage: storage)
    }
}
