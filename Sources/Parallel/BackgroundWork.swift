#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work that runs on a thread of its own while the caller does something else; ``wait()``
/// joins the thread and returns what the work computed. For a pipeline of two stages, such as
/// decoding the next files while the caller writes the last ones out.
///
/// ```swift
/// let next = BackgroundWork { decode(window) }
/// write(current)              // meanwhile, `decode` runs
/// let decoded = next.wait()
/// ```
///
/// Used by one owner: call ``wait()`` once, from the thread that created it (it is not
/// `Sendable`). When no thread can be started, the work runs inline when it is created.
public final class BackgroundWork<Value: Sendable> {
    private let box: Box
    #if canImport(Glibc)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif
    private var running = false

    /// Starts `work` on a new thread.
    public init(_ work: @escaping @Sendable () -> Value) {
        box = Box(work)
        let context = Unmanaged.passRetained(box).toOpaque()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<BackgroundRunnable>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        if started == 0 {
            running = true
        } else {
            Unmanaged<Box>.fromOpaque(context).release()
            box.run()   // no thread: done here, now
        }
    }

    /// Waits for the work to finish (if it has not) and returns its value.
    public func wait() -> Value {
        join()
        return box.value!   // set by `run()`, which has returned once joined
    }

    /// Joins the thread, once; what the work computed is dropped when this is deallocated.
    deinit { join() }

    private func join() {
        guard running else { return }
        running = false
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        if let thread { pthread_join(thread, nil) }
        #endif
    }

    /// The work and its value. `@unchecked`: `value` is written once, by the work's thread,
    /// before that thread ends, and read only after `pthread_join` (which orders the two).
    private final class Box: BackgroundRunnable, @unchecked Sendable {
        let work: @Sendable () -> Value
        var value: Value?

        init(_ work: @escaping @Sendable () -> Value) { self.work = work }

        override func run() { value = work() }
    }
}

/// What a background thread runs: not generic, so that the thread's C entry point can name it.
class BackgroundRunnable {
    /// Does the work.
    func run() {}
}
