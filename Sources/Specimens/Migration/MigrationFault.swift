#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fault injection for crash tests: when `SPECIMEN_MIGRATE_FAIL_AT` names a step, the process
/// ends abruptly (`_exit(99)`, no clean-up) as it reaches that step, as a `kill -9` would.
///
/// Steps, in order: `planned`, `staging`, `metrics`, `files`, `manifest`, `verified`,
/// `committed`, `specimen-manifest`, `removed-one`, `removed`, `done`.
enum MigrationFault {
    /// The environment variable read.
    static let variable = "SPECIMEN_MIGRATE_FAIL_AT"
    /// Every step, in the order a migration reaches them.
    static let steps = ["planned", "staging", "metrics", "files", "manifest", "verified",
                        "committed", "specimen-manifest", "removed-one", "removed", "done"]

    /// Ends the process when the variable names `step`.
    static func check(_ step: String) {
        guard let pointer = getenv(variable) else { return }
        if String(cString: pointer) == step { _exit(99) }
    }
}
