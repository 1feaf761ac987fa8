#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `posix_spawn` takes besides file actions, for a child of this process: its arguments
/// and environment as C strings, and attributes that give the child the default action for
/// `defaultSignals` (whatever this process does with them) and no blocked signal. Freed when
/// released.
final class SpawnRequest {
    /// The attributes, for `posix_spawn`'s `attrp`.
    var attributes = posix_spawnattr_t()
    /// `argv`, nil-terminated.
    let argv: [UnsafeMutablePointer<CChar>?]
    /// `envp` (`NAME=value`), nil-terminated.
    let envp: [UnsafeMutablePointer<CChar>?]

    init(arguments: [String], environment: [String: String], defaultSignals: [Int32]) {
        argv = arguments.map { strdup($0) } + [nil]
        envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        posix_spawnattr_init(&attributes)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    }

    deinit {
        posix_spawnattr_destroy(&attributes)
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
}
