extension Specimen {
    /// Creates the specimen at `path` without starting a run: its folder (parents too),
    /// `manifest.msgpack` (`format`, `name`, `created_at`), `field_notes.md` and `runs/`.
    /// Files already there are kept. Throws `.invalidName` for a name that is not letters,
    /// digits, '.', '_' and '-'.
    @discardableResult
    public static func create(at path: String) throws -> Specimen {
        let folder = trimmed(path)
        try RunCreator.ensureSpecimen(folder)
        return Specimen(unchecked: folder)
    }
}
