/// Where a run stands, as a reader sees it.
public enum RunState: Sendable, Hashable, CustomStringConvertible {
    /// A live writer owns the run (its marker is fresh).
    case running
    /// Unsealed and its writer is gone; `Specimen.recover` seals it with status `crashed`.
    case crashed(reason: String)
    /// Sealed, with the status its manifest records.
    case sealed(RunStatus)
    /// The manifest (or another file the store wrote) is corrupt or foreign.
    case damaged(reason: String)

    /// `running`, `crashed`, `completed`, `failed`, `interrupted`, `crashed` or `damaged`.
    public var name: String {
        switch self {
        case .running: "running"
        case .crashed: "crashed"
        case .sealed(let status): status.rawValue
        case .damaged: "damaged"
        }
    }

    /// Whether the run is sealed (with any status).
    public var isSealed: Bool { if case .sealed = self { true } else { false } }

    /// The name, with the reason for crashed and damaged runs.
    public var description: String {
        switch self {
        case .crashed(let reason), .damaged(let reason): "\(name) (\(reason))"
        default: name
        }
    }
}
