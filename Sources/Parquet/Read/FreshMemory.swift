#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parallel

/// Large fresh buffers faulted in up front, on every core, before they are filled.
///
/// A stacked table of every run is hundreds of megabytes that the process has never touched:
/// filled as it is decoded, each first touch is a page fault, and workers filling neighbouring
/// rows queue on the same faults. Populating it first (`MADV_POPULATE_WRITE`, Linux 5.14), the
/// threads taking chunks of ``chunkBytes`` in turn, puts every core to the faulting at once,
/// and the fill then runs without a fault.
///
/// Huge pages (2 MiB) make that population many times cheaper — except on a virtual machine
/// whose balloon reports free memory to its host (virtio-balloon free page reporting, as
/// Firecracker and Cloud Hypervisor guests use): it hands back exactly the free 2 MiB blocks a
/// huge page is made from, and once the host has dropped a block it backs it again 4 KiB at a
/// time, far slower than 4 KiB pages are to fault in. Which blocks the kernel will hand out
/// cannot be known beforehand, so each thread measures: chunks are populated with huge pages
/// advised, and a thread three of whose last four chunks went slower than 4 KiB pages would
/// withdraws the advice from the chunks it takes after. A thread whose huge pages come fast
/// takes the more chunks.
///
/// Measured on such a guest (this project's 2-core benchmark machine), 4 MiB chunks: huge pages
/// 0.33 ms when the kernel had just freed the blocks, ~9 ms once the host had dropped them, and
/// 4 KiB pages ~1.2 ms either way. A fresh process's `readAllRuns` of 1,000 runs × 10,000 rows
/// (750 MB) after the machine sat idle for 7 s: 0.42–0.50 s this way, against 0.60–1.02 s with
/// huge pages advised and faulted in by the workers as they wrote (before) and 0.43–0.50 s with
/// 4 KiB pages only. The price: calls repeated within seconds, which found the last call's
/// freshly freed huge pages, took 0.21 s before and take ~0.42 s now, since only part of a
/// table is backed by huge pages once the kernel runs out of fresh blocks.
package enum FreshMemory {
    /// Regions smaller than this in all are left to fault in as they are written.
    static let minimumBytes = 16 << 20
    /// How much a thread populates between two looks at its speed.
    static let chunkBytes = 4 << 20
    /// The time (ns) beyond which a chunk of huge pages counts as slow: 2 ms for 4 MiB
    /// (2 GB/s), about what 4 KiB pages take per thread, and six times what huge pages take
    /// when the kernel has them at hand (~0.33 ms measured).
    static let slowChunkNanoseconds = 2_000_000

    /// Faults in every page of `regions` (start, byte count) on up to `threads` threads.
    /// Advisory: where the kernel does not support it, nothing happens and the pages fault in
    /// when written. The contents are left as they are.
    package static func populate(_ regions: [(start: UnsafeMutableRawPointer, byteCount: Int)], threads: Int = Parallel.processorCount) {
        #if os(Linux)
        let huge = 2 << 20
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Whole pages only: each region's first and last pages are mapped (they hold its bytes).
        let spans = regions.compactMap { region -> (start: Int, end: Int)? in
            guard region.byteCount > 0 else { return nil }
            let start = Int(bitPattern: region.start)
            return (start & ~(page - 1), (start + region.byteCount + page - 1) & ~(page - 1))
        }
        let total = spans.reduce(0) { $0 + $1.end - $1.start }
        guard total >= minimumBytes else { return }
        // The chunks, ending on huge-page bounds, taken by the threads in turn.
        var chunks: [(start: Int, end: Int)] = []
        for span in spans {
            HugePages.advise(UnsafeMutableRawPointer(bitPattern: span.start)!, byteCount: span.end - span.start)
            var address = span.start
            while address < span.end {
                let next = min(span.end, max((address + chunkBytes) & ~(huge - 1), address + page))
                chunks.append((address, next))
                address = next
            }
        }
        let allChunks = chunks
        let workers = max(1, min(threads, total / (minimumBytes / 2)))
        // Each thread's state: whether it still advises huge pages, and its last four chunks,
        // a bit set for each slow one.
        Parallel.forEach(chunks.count, threads: workers, state: { (hugePages: true, recent: 0) }) { mine, index in
            let (start, end) = allChunks[index]
            let chunk = UnsafeMutableRawPointer(bitPattern: start)!
            if !mine.hugePages { _ = madvise(chunk, end - start, MADV_NOHUGEPAGE) }
            let started = monotonicNanoseconds()
            _ = madvise(chunk, end - start, populateWrite)
            if mine.hugePages, end - start >= chunkBytes / 2 {
                // A few slow chunks among fast ones are strays (a block the host dropped, a
                // preemption); three of the last four, the host backing them all.
                mine.recent = (mine.recent << 1 | (monotonicNanoseconds() - started > slowChunkNanoseconds ? 1 : 0)) & 0b1111
                mine.hugePages = mine.recent.nonzeroBitCount < 3
            }
        }
        #endif
    }

    #if os(Linux)
    /// `MADV_POPULATE_WRITE` (not in every C library's headers yet).
    private static let populateWrite: Int32 = 23

    private static func monotonicNanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }
    #endif
}
