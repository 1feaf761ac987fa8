#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// SIGINT/SIGTERM → seal every open run as `interrupted`, then die of the same signal.
///
/// The signals are blocked from their default action and delivered to a dispatch source, so
/// sealing runs as ordinary code on a queue, not inside an async-signal handler.
enum SignalSealer {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = Lock()

    static func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            let queue = DispatchQueue(label: "specimen.signals")
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    OpenRuns.shared.sealAll(status: .interrupted, signal: number, onlyAtExit: false)
                    signal(number, SIG_DFL)
                    kill(getpid(), number)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
