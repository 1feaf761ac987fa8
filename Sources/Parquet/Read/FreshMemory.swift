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
/// In 4 KiB pages, without huge-page advice. Huge pages (2 MiB) are many times cheaper to
/// populate when the kernel has free 2 MiB blocks at hand, but on a virtual machine whose
/// balloon reports free memory to its host (virtio-balloon free page reporting, as Firecracker
/// and Cloud Hypervisor guests use) those are exactly the blocks handed back, which the host
/// then backs again 4 KiB at a time, far slower than 4 KiB pages are to fault in; and with the
/// kernel's `defrag` set to `madvise`, an advised fault may stall on compaction. An earlier
/// version advised huge pages and withdrew the advice per thread once its chunks came slowly.
/// Measured on such a guest (this project's 2-core benchmark machine), a fresh process's
/// `readAllRuns` of 1,000 runs × 10,000 rows (750 MB), five rounds each, alternating: after
/// polars read the same files 0.45–0.51 s advised against 0.34–0.39 s in 4 KiB pages; after 3 s
/// idle 0.45–0.48 against 0.34–0.45; one after the other 0.38–0.40 against 0.33–0.35.
package enum FreshMemory {
    /// Regions smaller than this in all are left to fault in as they are written.
    static let minimumBytes = 16 << 20
    /// How much a thread populates at a time.
    static let chunkBytes = 4 << 20

    /// Faults in every page of `regions` (start, byte count) on up to `threads` threads.
    /// Advisory: where the kernel does not support it, nothing happens and the pages fault in
    /// when written. The contents are left as they are.
    package static func populate(_ regions: [(start: UnsafeMutableRawPointer, byteCount: Int)], threads: Int = Parallel.processorCount) {
        #if os(Linux)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Whole pages only: each region's first and last pages are mapped (they hold its bytes).
        let spans = regions.compactMap { region -> (start: Int, end: Int)? in
            guard region.byteCount > 0 else { return nil }
            let start = Int(bitPattern: region.start)
            return (start & ~(page - 1), (start + region.byteCount + page - 1) & ~(page - 1))
        }
        let total = spans.reduce(0) { $0 + $1.end - $1.start }
        guard total >= minimumBytes else { return }
        // The chunks, taken by the threads in turn.
        var chunks: [(start: Int, end: Int)] = []
        for span in spans {
            var address = span.start
            while address < span.end {
                let next = min(span.end, address + chunkBytes)
                chunks.append((address, next))
                address = next
            }
        }
        let allChunks = chunks
        let workers = max(1, min(threads, total / (minimumBytes / 2)))
        Parallel.forEach(chunks.count, threads: workers) { index in
            let (start, end) = allChunks[index]
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start)!, end - start, populateWrite)
        }
        #endif
    }

    #if os(Linux)
    /// `MADV_POPULATE_WRITE` (not in every C library's headers yet).
    private static let populateWrite: Int32 = 23
    #endif
}
