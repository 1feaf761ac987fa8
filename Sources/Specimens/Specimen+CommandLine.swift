extension Specimen {
    /// Creates the specimen at `path` in `storage` (the local disk by default) without
    /// starting a run: its folder (parents too), `manifest.msgpack` (`format`, `name`,
    /// `created_at`), `field_notes.md` and `runs/`. Files already there are kept. Throws `.invalidName` for a name that is not letters,
    /// digits, '.', '_' and '-'.
    @discardableResult
    public static func create(at path: String, storage: any StorageBackend = LocalStorage.shared) throws -> Specimen {
        let folder = trimmed(path)
        try RunCreator.ensureSpecimen(folder, storage: storage)
        return Specimen(unchecked: folder, storage: storage)
    }
}
