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
/// rows queue on the same faults. Populating it first (`MADV_POPULATE_WRITE`, Linux 5.14), each
/// thread an equal, disjoint share of the bytes, puts every core to the faulting at once, and
/// the fill then runs without a fault.
///
/// Huge pages (2 MiB) make that population several times cheaper — except on a virtual machine
/// whose balloon reports free memory to its host (virtio-balloon free page reporting, as
/// Firecracker and Cloud Hypervisor guests use): it hands back exactly the free 2 MiB blocks a
/// huge page is made from, and once the host has dropped a block it backs it again 4 KiB at a
/// time, far slower than 4 KiB pages are to fault in. Which blocks the kernel will hand out
/// cannot be known beforehand, so each thread measures: it populates its share in chunks of
/// ``chunkBytes`` with huge pages advised, and when three of its last four chunks went slower
/// than 4 KiB pages would, it withdraws the advice for the rest of its share.
///
/// Measured on such a guest (800 MB on two threads): huge pages 40–70 ms when the blocks had
/// just been freed and 0.4–1.7 s when they had been reported; 4 KiB pages 0.19–0.28 s either
/// way. A fresh process's `readAllRuns` of 1,000 runs × 10,000 rows, nine interleaved rounds:
/// median 0.40 s (0.26–0.64) this way, 0.47 s (0.29–0.82) with huge pages advised and faulted in
/// as the workers write, 0.51 s with 4 KiB pages populated up front.
package enum FreshMemory {
    /// Regions smaller than this in all are left to fault in as they are written.
    static let minimumBytes = 16 << 20
    /// How much a thread populates between two looks at its speed.
    static let chunkBytes = 4 << 20
    /// The time (ns) beyond which a chunk of huge pages counts as slow: 2 ms for 4 MiB
    /// (2 GB/s), about what 4 KiB pages take per thread, and six times what huge pages take
    /// when the kernel has them at hand (~0.33 ms measured).
    static let slowChunkNanoseconds = 2_000_000

    /// Faults in every page of `regions` (start, byte count), sharing the bytes evenly among
    /// up to `threads` threads. Advisory: where the kernel does not support it, nothing
    /// happens and the pages fault in when written. The contents are left as they are.
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
        for span in spans {
            HugePages.advise(UnsafeMutableRawPointer(bitPattern: span.start)!, byteCount: span.end - span.start)
        }
        let shares = max(1, min(threads, total / (minimumBytes / 2)))
        let shareBytes = (total / shares + huge - 1) & ~(huge - 1)
        Parallel.forEach(shares, threads: shares) { share in
            var hugePages = true, recent = 0   // recent: the last four chunks, a bit set for each slow one
            // This share's bytes, counted along the spans in order, in chunks ending on huge-page bounds.
            var skip = share * shareBytes, remaining = shareBytes
            for span in spans where remaining > 0 {
                let length = span.end - span.start
                guard skip < length else { skip -= length; continue }
                var address = span.start + skip
                let end = address + min(length - skip, remaining)
                remaining -= end - address
                skip = 0
                while address < end {
                    let next = min(end, max((address + chunkBytes) & ~(huge - 1), address + page))
                    let chunk = UnsafeMutableRawPointer(bitPattern: address)!
                    if !hugePages { _ = madvise(chunk, next - address, MADV_NOHUGEPAGE) }
                    let started = monotonicNanoseconds()
                    _ = madvise(chunk, next - address, populateWrite)
                    if hugePages, next - address >= chunkBytes / 2 {
                        // A few slow chunks among fast ones are strays (a block the host
                        // dropped, a preemption); three of the last four, the host backing them all.
                        recent = (recent << 1 | (monotonicNanoseconds() - started > slowChunkNanoseconds ? 1 : 0)) & 0b1111
                        hugePages = recent.nonzeroBitCount < 3
                    }
                    address = next
                }
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
