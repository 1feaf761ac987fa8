#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parallel

/// The runs this process has open, so that a normal exit (atexit) or SIGINT/SIGTERM can seal
/// them.
final class OpenRuns: @unchecked Sendable {
    static let shared = OpenRuns()
    private let lock = Lock()
    private var runs: [(run: ActiveRun, sealAtExit: Bool)] = []
    private var exitHookInstalled = false

    func add(_ run: ActiveRun, sealAtExit: Bool) {
        lock.withLock {
            runs.append((run, sealAtExit))
            if !exitHookInstalled {
                exitHookInstalled = true
                atexit { OpenRuns.shared.sealAll(status: .completed, signal: nil, onlyAtExit: true) }
            }
        }
    }

    func remove(_ run: ActiveRun) {
        lock.withLock { runs.removeAll { $0.run === run } }
    }

    /// Seals every open run (joined ones only flush their journals).
    func sealAll(status: RunStatus, signal: Int32?, onlyAtExit: Bool) {
        let open = lock.withLock { () -> [ActiveRun] in
            let chosen = runs.filter { !onlyAtExit || $0.sealAtExit }.map(\.run)
            runs.removeAll { entry in chosen.contains { $0 === entry.run } }
            return chosen
        }
        for run in open {
            let warning = onlyAtExit ? ["sealed at process exit without finish(status:)"] : []
            _ = try? run.finish(status: status, signal: signal, warnings: warning)
        }
    }
}
