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
    public var name: String { kind.rawValue }

    /// The state without its reason: what `status` fields and filters compare.
    public var kind: Kind {
        switch self {
        case .running: .running
        case .crashed: .crashed
        case .sealed(let status):
            switch status {
            case .completed: .completed
            case .failed: .failed
            case .interrupted: .interrupted
            case .crashed: .crashed
            }
        case .damaged: .damaged
        }
    }

    /// A run's status as viewers show it: a sealed run's status, or `running`, `crashed` or
    /// `damaged` for a run that is not sealed (or whose manifest cannot be read).
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// A live writer owns the run.
        case running
        /// Sealed as completed.
        case completed
        /// Sealed as failed.
        case failed
        /// Sealed as interrupted.
        case interrupted
        /// Crashed: sealed as crashed by recovery, or unsealed with its writer gone.
        case crashed
        /// Its manifest is corrupt or foreign.
        case damaged

        /// The name: `running`, `completed`, `failed`, `interrupted`, `crashed` or `damaged`.
        public var description: String { rawValue }
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
