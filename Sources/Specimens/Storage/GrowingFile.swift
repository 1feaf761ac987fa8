#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read as another process appends to it, without busy polling: on Linux the wait
/// sleeps on inotify (the file's changes, or its folder's until the file exists), on other
/// systems it sleeps the fallback interval; either way `wake()` ends a wait at once.
///
/// ```swift
/// let file = GrowingFile(path: runFolder + "/metrics.jsonl")
/// var bytes = [UInt8](repeating: 0, count: 1 << 16)
/// while running {
///     file.wait(timeout: 1)
///     let got = bytes.withUnsafeMutableBytes { file.readNew(into: $0.baseAddress!, count: $0.count) }
///     // … use bytes[0 ..< got] …
/// }
/// ```
///
/// The file is only read (never created, truncated or locked), so the writer sees a plain file.
/// One thread reads and waits; any thread may call `wake()`.
final class GrowingFile: @unchecked Sendable {
    /// The file's path.
    let path: String
    /// Bytes read so far: the offset of the next read.
    private(set) var offset: Int64 = 0
    private var fd: Int32 = -1
    private var notify: Int32 = -1
    private var watch: Int32 = -1
    private var watchesFile = false
    private var wakePipe: [Int32] = [-1, -1]
    private var drain = [UInt8](repeating: 0, count: 4096)

    /// Follows the file at `path` (which may not exist yet).
    init(path: String) {
        self.path = path
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for end in fds {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            }
            wakePipe = fds
        }
        #if os(Linux)
        notify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        #endif
        openIfPresent()
    }

    deinit { close() }

    /// Whether waits sleep on change notifications (else on the fallback interval alone).
    var isNotified: Bool { notify >= 0 }

    /// Reads the bytes written since the last call into `pointer`, at most `count` of them;
    /// returns how many (fewer than `count` only when it reached the end of the file).
    func readNew(into pointer: UnsafeMutableRawPointer, count: Int) -> Int {
        if fd < 0 { openIfPresent() }
        guard fd >= 0 else { return 0 }
        var total = 0
        while total < count {
            let n = pread(fd, pointer + total, count - total, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            offset += Int64(n)
            total += n
        }
        return total
    }

    /// Sleeps until the file (or, before it exists, its folder) changes, `wake()` is called,
    /// or `timeout` seconds pass.
    func wait(timeout: Double) {
        var fds = [pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        if notify >= 0 { fds.append(pollfd(fd: notify, events: Int16(POLLIN), revents: 0)) }
        let milliseconds = Int32(Swift.max(0, Swift.min(timeout, 3600)) * 1000)
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        for entry in fds where entry.revents != 0 {
            drain.withUnsafeMutableBytes { buffer in
                while read(entry.fd, buffer.baseAddress, buffer.count) > 0 {}
            }
        }
    }

    /// Ends the current (or next) `wait` at once; safe from any thread.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakePipe[1], &byte, 1)
    }

    /// Closes every descriptor.
    func close() {
        for descriptor in [fd, notify, wakePipe[0], wakePipe[1]] where descriptor >= 0 { closeDescriptor(descriptor) }
        fd = -1
        notify = -1
        wakePipe = [-1, -1]
    }

    private func openIfPresent() {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        #if os(Linux)
        guard notify >= 0 else { return }
        if fd >= 0 {
            guard !watchesFile else { return }
            if watch >= 0 { _ = inotify_rm_watch(notify, watch) }
            watch = inotify_add_watch(notify, path, UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE))
            watchesFile = true
        } else if watch < 0 {
            let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
            watch = inotify_add_watch(notify, folder.isEmpty ? "/" : folder, UInt32(IN_CREATE) | UInt32(IN_MOVED_TO))
        }
        #endif
    }
}

/// `close(2)`, named apart from `GrowingFile.close()`.
private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #elseif canImport(Darwin)
    _ = Darwin.close(descriptor)
    #endif
}
