#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parallel

/// The signal `specimen run` received and forwarded, and the child it goes to; read by the
/// signal handler, so kept in plain memory allocated before the handler is installed.
nonisolated(unsafe) private let forwarding: UnsafeMutablePointer<Int32> = {
    let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
    pointer[0] = 0   // child pid
    pointer[1] = 0   // last signal received
    return pointer
}()

/// A protocol run as a child process, in `specimen run`'s process group (so it keeps the
/// terminal: input, debuggers): stdout and stderr passed through live and copied into a log
/// file; SIGINT and SIGTERM sent to `specimen run` by another process forwarded to it. A
/// terminal's Ctrl-C reaches both already (the kernel signals the whole foreground group), so
/// signals that come from the kernel are not sent a second time.
struct ChildProcess {
    /// How the child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    let arguments: [String]
    let environment: [String: String]
    let directory: String
    let logPath: String

    /// Runs the child to its end. Returns how it ended and the signal `specimen run` received
    /// (and forwarded) meanwhile, if any.
    func run() throws -> (ending: Ending, forwarded: Int32?) {
        let log = try OutputLog(path: logPath)
        defer { log.close() }
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SpecimenError.system("create pipes for the protocol run from", directory, errno: errno)
        }
        _ = fcntl(outPipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(errPipe[0], F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[1])
        posix_spawn_file_actions_addclose(&actions, errPipe[1])
        var arguments = self.arguments
        if let addChdir = Self.addChdir {
            _ = addChdir(&actions, directory)
        } else {
            arguments = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
        }

        let request = SpawnRequest(arguments: arguments, environment: environment, defaultSignals: [SIGINT, SIGTERM, SIGPIPE])
        Self.installForwarding()
        var pid: pid_t = 0
        let spawned: Int32
        if arguments[0].contains("/") {
            spawned = posix_spawn(&pid, arguments[0], &actions, &request.attributes, request.argv, request.envp)
        } else {
            spawned = posix_spawnp(&pid, arguments[0], &actions, &request.attributes, request.argv, request.envp)
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SpecimenError(.notFound, "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))", path: directory,
                                recovery: "Check that the command exists and is executable (run from \(directory))")
        }
        forwarding[0] = pid
        if forwarding[1] != 0 { kill(pid, forwarding[1]) }   // a signal arrived while spawning

        let copied = Slots<Int>(count: 2)   // per pipe: how many chunks its thread has copied
        let inHand = Slots<Bool>(count: 2)  // per pipe: whether its thread has read a chunk it has not copied yet
        let group = DispatchGroup()
        for (index, (source, target)) in [(outPipe[0], Int32(1)), (errPipe[0], Int32(2))].enumerated() {
            group.enter()
            Thread {
                var buffer = [UInt8](repeating: 0, count: 65536)
                var chunks = 0
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    inHand.set(index, true)
                    buffer.withUnsafeBytes { bytes in
                        Self.writeAll(target, bytes.baseAddress!, count)
                        log.append(bytes.baseAddress!, count)
                        chunks += 1
                        copied.set(index, chunks)
                    }
                    inHand.set(index, false)
                }
                close(source)
                group.leave()
            }.start()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        forwarding[0] = 0
        // Output still buffered in the pipes is copied to the end, however slowly the copying
        // threads get scheduled, and a chunk a thread has read is always written to the log too.
        // Only a grandchild holding the pipes open without writing is not waited for: the wait
        // ends after a 5 s slice with no new output and no chunk in hand, at the earliest 10 s
        // after the child exited (the first slice always waits again).
        var lastSeen = -1
        while group.wait(timeout: .now() + 5) == .timedOut {
            let now = copied.values.reduce(0) { $0 + ($1 ?? 0) }
            if now == lastSeen && !inHand.values.contains(true) { break }
            lastSeen = now
        }
        let received = forwarding[1]
        let ending: Ending = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        return (ending, received == 0 ? nil : received)
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` where the C library has it (glibc 2.29+, macOS 10.15+).
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// Writes all `count` bytes, retrying after interruptions; gives up on any other error.
    static func writeAll(_ fd: Int32, _ start: UnsafeRawPointer, _ count: Int) {
        var offset = 0
        while offset < count {
            let written = write(fd, start + offset, count - offset)
            if written < 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }

    private static func installForwarding() {
        signal(SIGPIPE, SIG_IGN)
        // A parent may have started us with these blocked (or ignored): take them back.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_sigaction = { received, info, _ in
                forwarding[1] = received
                // si_code > 0: from the kernel (a terminal's Ctrl-C), which the child got too.
                let fromProcess = info.map { $0.pointee.si_code <= 0 } ?? true
                if fromProcess && forwarding[0] > 0 { kill(forwarding[0], received) }
            }
            #else
            action.__sigaction_u.__sa_sigaction = { received, info, _ in
                forwarding[1] = received
                let fromProcess = info.map { $0.pointee.si_code <= 0 } ?? true
                if fromProcess && forwarding[0] > 0 { kill(forwarding[0], received) }
            }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART | SA_SIGINFO
            sigaction(number, &action, nil)
        }
    }
}
