#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's one lock: a plain mutual-exclusion lock over `pthread_mutex_t` (no Foundation;
/// one heap cell that never moves, as pthreads requires). Kept instead of `Synchronization.Mutex`
/// because the logging hot path locks and unlocks in separate scopes, which `Mutex` cannot.
///
/// `@unchecked Sendable`: the mutex is the synchronization itself, and its pointer never changes.
public final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A new, unlocked lock.
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Takes the lock, waiting for it.
    @inline(__always) public func lock() { pthread_mutex_lock(mutex) }
    /// Releases the lock.
    @inline(__always) public func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    @inline(__always) public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
