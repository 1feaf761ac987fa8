/// How a query uses the specimen's catalog (`<specimen>/.catalog/`, a cache of sealed runs).
public enum RunCatalogMode: Sendable, Hashable {
    /// Read it, add the runs it lacks, merge it when it has too many segments; read-only when
    /// the specimen is not writable. The default.
    case automatic
    /// Read it, never write it (runs it lacks are read from their manifests each time).
    case readOnly
    /// Ignore it: read every run's manifest (the reference answer, and the cold path).
    case bypass
}
