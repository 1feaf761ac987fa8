#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's one parallel-for: runs indexed work on a few POSIX threads (no Dispatch, so
/// the format modules can use it): the calling thread and `threads - 1` helpers take indices
/// from a shared counter until none are left.
///
/// ```swift
/// let results = Slots<Int>(count: 100)
/// Parallel.forEach(100) { index in results.set(index, index * index) }
/// ```
public enum Parallel {
    /// The number of online processors, at least 1.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Calls `body` once for every index in `0 ..< count`, on up to `threads` threads (by
    /// default one per processor); returns when every call has returned. With one thread (or
    /// one index), runs inline on the calling thread.
    public static func forEach(_ count: Int, threads: Int = Parallel.processorCount, _ body: @escaping @Sendable (Int) -> Void) {
        run(count, threads: threads) { work in
            while let index = work.take() { body(index) }
        }
    }

    /// `forEach` where each thread keeps state of its own across the indices it takes:
    /// `state` makes it once on every thread that works, and `body` gets it with each index —
    /// for work that adapts as it goes (a thread that learns how its last indices went).
    public static func forEach<State>(_ count: Int, threads: Int = Parallel.processorCount, state: @escaping @Sendable () -> State,
                                      _ body: @escaping @Sendable (inout State, Int) -> Void) {
        run(count, threads: threads) { work in
            var own = state()
            while let index = work.take() { body(&own, index) }
        }
    }

    /// Runs `drain` on the calling thread and up to `threads - 1` helpers, which take the
    /// indices of `0 ..< count` from one shared counter; inline with one thread or one index.
    private static func run(_ count: Int, threads: Int, _ drain: @escaping @Sendable (Work) -> Void) {
        let threads = min(threads, count)
        let work = Work(count: count, drain: drain)
        guard threads > 1 else {
            drain(work)
            return
        }
        var helpers: [pthread_t] = []
        for _ in 1 ..< threads {
            let context = Unmanaged.passRetained(work).toOpaque()
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            let started = pthread_create(&thread, nil, { context in
                let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                work.drain(work)
                return nil
            }, context)
            if started == 0 {
                #if canImport(Glibc)
                helpers.append(thread)
                #else
                if let thread { helpers.append(thread) }
                #endif
            } else {
                Unmanaged<Work>.fromOpaque(context).release()   // no thread: the caller does its share
            }
        }
        drain(work)
        for thread in helpers { pthread_join(thread, nil) }
    }

    /// The shared counter and what each thread runs. `@unchecked`: `next` is only touched under
    /// `mutex`, and the other stored properties are immutable.
    private final class Work: @unchecked Sendable {
        private var next = 0
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let count: Int
        let drain: @Sendable (Work) -> Void

        init(count: Int, drain: @escaping @Sendable (Work) -> Void) {
            self.count = count
            self.drain = drain
            pthread_mutex_init(mutex, nil)
        }

        deinit {
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        /// The next index not taken yet; nil when every index is taken.
        func take() -> Int? {
            pthread_mutex_lock(mutex)
            let index = next
            next += 1
            pthread_mutex_unlock(mutex)
            return index < count ? index : nil
        }
    }
}
