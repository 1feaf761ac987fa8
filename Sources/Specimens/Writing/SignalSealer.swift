#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parallel

/// SIGINT/SIGTERM → seal every open run as `interrupted`, then die of the same signal.
///
/// The handler only writes the signal's number to a pipe (async-signal-safe); a dedicated
/// thread reads it and seals the runs as ordinary code, then restores the default action and
/// raises the signal again, so the exit status still says which signal ended the process.
enum SignalSealer {
    /// The pipe's write end, read by the handler; set before the handler is installed.
    nonisolated(unsafe) static var writeEnd: Int32 = -1
    private static let lock = Lock()
    nonisolated(unsafe) private static var installed = false

    static func install() {
        lock.withLock {
            guard !installed else { return }
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            writeEnd = fds[1]
            installed = true
            let readEnd = fds[0]
            let thread = Thread {
                var byte: UInt8 = 0
                while true {
                    let n = read(readEnd, &byte, 1)
                    if n == 1 { break }
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                let number = Int32(byte)
                OpenRuns.shared.sealAll(status: .interrupted, signal: number, onlyAtExit: false)
                signal(number, SIG_DFL)
                kill(getpid(), number)
            }
            thread.name = "specimen-signals"
            thread.start()
            for number in [SIGINT, SIGTERM] {
                var action = sigaction()
                #if canImport(Darwin)
                action.__sigaction_u.__sa_handler = SignalSealer.handler
                #else
                action.__sigaction_handler.sa_handler = SignalSealer.handler
                #endif
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART
                sigaction(number, &action, nil)
            }
            // A parent may have started us with these signals blocked (inherited masks);
            // unblock them on this thread so the handler runs.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
    }

    /// The signal handler: one byte into the pipe, nothing else.
    static let handler: @convention(c) (Int32) -> Void = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(SignalSealer.writeEnd, &byte, 1)
    }
}
