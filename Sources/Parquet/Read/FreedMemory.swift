#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the memory that decoding frees for the next file instead of returning it to the
/// kernel, where glibc's malloc would.
///
/// Stacking a thousand files decodes each into buffers of a few hundred kilobytes and frees
/// them before the next. With glibc's defaults, the free space that leaves at the top of a
/// thread's heap is returned to the kernel whenever it exceeds 128 KiB (`M_TRIM_THRESHOLD`,
/// one `madvise(MADV_DONTNEED)` per file), and allocations above a moving threshold are mapped
/// afresh (`M_MMAP_THRESHOLD`): the next file faults those pages in again and the kernel zeroes
/// each one. Measured (strace) on a fresh process's `readAllRuns` of 1,000 runs × 10,000 rows:
/// 383–892 such returns of ~500 KB; with ``keep()``, 3, and the call 0.46 → 0.42 s (median of
/// 8, alternating).
///
/// ``keep()`` raises the trim threshold to ``trimThreshold`` and fixes the mmap threshold at
/// ``mmapThreshold`` (the stacked columns themselves, far larger, are still mapped on their
/// own), once per process, as allocators made for this work (jemalloc, mimalloc, which Arrow
/// and polars use) do by default: a process keeps up to that much freed memory per malloc
/// arena. It leaves the allocator alone where the user tuned it (`GLIBC_TUNABLES` naming
/// malloc, or any `MALLOC_…` variable), and does nothing where `mallopt` is missing (not glibc).
package enum FreedMemory {
    /// Free bytes at the top of a heap kept rather than returned: a few files' buffers. 64 MiB
    /// kept as many returns away but raised `export`'s peak RSS by 40–50 MB (to 243–265 MB);
    /// 8 MiB keeps it where it was (205–216 MB) and the first `readAllRuns` as fast.
    static let trimThreshold: Int32 = 8 << 20
    /// Allocations from this size on are mapped on their own.
    static let mmapThreshold: Int32 = 32 << 20

    /// Applies the thresholds (the first call only); returns whether they are in force.
    @discardableResult
    package static func keep() -> Bool { applied }

    /// Whether the user tuned malloc: `GLIBC_TUNABLES` names it, or a `MALLOC_…` variable
    /// (glibc's older settings) is among the environment's `names`.
    package static func userTuned(names: [Substring], tunables: String?) -> Bool {
        names.contains { $0.hasPrefix("MALLOC_") && $0.count > 7 } || tunables?.contains("malloc") == true
    }

    private static let applied: Bool = {
        #if os(Linux)
        var names: [Substring] = []
        var entry = environ
        while let pointer = entry.pointee {
            names.append(String(cString: pointer).prefix { $0 != "=" })
            entry += 1
        }
        guard !userTuned(names: names, tunables: getenv("GLIBC_TUNABLES").map { String(cString: $0) }) else { return false }
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }   // RTLD_DEFAULT
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3   // <malloc.h>
        return mallopt(mTrimThreshold, trimThreshold) == 1 && mallopt(mMmapThreshold, mmapThreshold) == 1
        #else
        return false
        #endif
    }()
}
