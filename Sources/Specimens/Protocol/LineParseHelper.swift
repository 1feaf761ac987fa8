#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// A second thread for ``MetricsFollower``: it parses the later part of a large batch of
/// `metrics.jsonl` while the follower parses (and appends) the earlier part, so that a batch
/// taken while the protocol writes fast — or a file written before the follower looked —
/// is parsed on two cores. Rows keep their order: the follower appends the helper's rows
/// after its own, taking them (``exchange(_:)``) before it hands the helper the next batch.
///
/// One job at a time: `parse` hands the bytes over, `wait` returns once they are parsed
/// (the bytes must stay valid and unchanged until then); `parsed` is then the result.
///
/// ```swift
/// let helper = LineParseHelper()
/// helper.parse(base, split, count, final: false)
/// … parse base[0 ..< split] here …
/// helper.wait()
/// … append helper.parsed's rows …
/// helper.stop()
/// ```
final class LineParseHelper: @unchecked Sendable {
    /// The lines of the last job; read only between `wait()` and the next `parse`.
    private(set) var parsed = ParsedLines()

    private let request = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    // Handed over through `request` and `done`, which order every access.
    private var job: (base: UnsafePointer<UInt8>, start: Int, end: Int, final: Bool, first: (() -> Void)?)?
    private var stopping = false
    private var running = false

    /// Starts the helper's thread with the nice value `niceness` (Linux; this thread only).
    init(niceness: Int32) {
        let thread = Thread { [self] in
            #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)   // Linux: 0 is the calling thread
            #endif
            while true {
                request.wait()
                if stopping { break }
                if let job {
                    job.first?()
                    parsed.reset()
                    parsed.parse(job.base, job.start, job.end, final: job.final)
                }
                job = nil
                done.signal()
            }
            done.signal()
        }
        thread.name = "specimen-metrics-parser"
        running = true
        thread.start()
    }

    /// Starts parsing the lines of `base[start ..< end]` (as ``ParsedLines/parse`` does),
    /// after running `first` when given (more work for the helper's thread, such as hashing
    /// the bytes); `wait()` before touching the bytes or `parsed`.
    func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, final: Bool, first: (() -> Void)? = nil) {
        job = (base, start, end, final, first)
        request.signal()
    }

    /// Waits for the job `parse` started.
    func wait() {
        done.wait()
    }

    /// Swaps the last job's lines with `other` (between `wait()` and the next `parse`): the
    /// caller keeps them while the helper parses its next job into what `other` held.
    func exchange(_ other: inout ParsedLines) {
        swap(&parsed, &other)
    }

    /// Ends the thread (no job may be running).
    func stop() {
        guard running else { return }
        running = false
        stopping = true
        request.signal()
        done.wait()
    }

    /// Whether a second thread is worth having: more than one core online.
    static var isUseful: Bool { sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 }
}
