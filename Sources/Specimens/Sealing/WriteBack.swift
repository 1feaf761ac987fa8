#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting the write-back of a file being written, so that the `fsync` at its end has little
/// left to do: Linux's `sync_file_range(SYNC_FILE_RANGE_WRITE)`, which queues the dirty pages
/// for the disk without waiting. Elsewhere (or when the C library lacks it) nothing is done.
enum WriteBack {
    /// Starts writing the bytes of `fd` from `from` to its current offset back to the disk
    /// without waiting; returns that offset (where the next call starts).
    static func start(_ fd: Int32, from: Int) -> Int {
        let end = Int(lseek(fd, 0, SEEK_CUR))
        #if os(Linux)
        if end > from, let syncFileRange = syncFileRangeFunction {
            _ = syncFileRange(fd, Int64(from), Int64(end - from), 2 /* SYNC_FILE_RANGE_WRITE */)
        }
        #endif
        return end
    }

    #if os(Linux)
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    /// Glibc's `sync_file_range`, which its Swift module does not export.
    private static let syncFileRangeFunction: SyncFileRange? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
    }()
    #endif
}
