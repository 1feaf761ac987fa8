#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Advice to the kernel for large fresh buffers: back them with huge pages, so their first
/// touch takes one page fault per 2 MiB instead of one per 4 KiB.
package enum HugePages {
    /// Advises huge pages for the 2 MiB-aligned interior of `byteCount` bytes at `pointer`
    /// (buffers under 4 MiB are left alone). Advisory only: nothing is read or written.
    package static func advise(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        let huge = 2 << 20
        guard byteCount >= 2 * huge else { return }
        let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: pointer) + byteCount) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Advises huge pages for the capacity `array` has reserved beyond its elements.
    package static func adviseReserved<T>(_ array: inout [T]) {
        let count = array.count, capacity = array.capacity
        guard (capacity - count) * MemoryLayout<T>.stride >= 4 << 20 else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            advise(UnsafeMutableRawPointer(base + count), byteCount: (capacity - count) * MemoryLayout<T>.stride)
        }
    }
}
