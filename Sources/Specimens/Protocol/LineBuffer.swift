#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes of `metrics.jsonl` read and not yet taken as lines, in memory whose address stays put
/// while it is not written to: ``MetricsFollower`` hands part of one buffer to its parsing
/// thread and fills its other buffer meanwhile. Files are read straight into it.
///
/// ```swift
/// let buffer = LineBuffer()
/// let got = buffer.fill(4 << 20) { pointer, room in file.readNew(into: pointer, count: room) }
/// // … take the complete lines of buffer.base[0 ..< buffer.count] …
/// buffer.removeFirst(taken)
/// ```
final class LineBuffer {
    /// The first byte held.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes held, from `base`.
    private(set) var count = 0
    private var capacity: Int

    /// An empty buffer with room for `capacity` bytes to start with.
    init(capacity: Int = 1 << 16) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `room` more bytes and lets `read` write up to that many after the bytes
    /// held; `read` returns how many it wrote (at most `room`), which joins the buffer and is
    /// returned.
    func fill(_ room: Int, _ read: (UnsafeMutableRawPointer, Int) -> Int) -> Int {
        reserve(count + room)
        let got = max(0, min(room, read(UnsafeMutableRawPointer(base + count), room)))
        count += got
        return got
    }

    /// Drops the first `n` bytes; the rest moves to the front.
    func removeFirst(_ n: Int) {
        let n = min(max(0, n), count)
        guard n > 0 else { return }
        if n < count { (base).update(from: base + n, count: count - n) }
        count -= n
    }

    /// Moves the bytes from `start` on into `other` (replacing what it held) and empties this
    /// buffer, without writing to this buffer's memory.
    func moveTail(from start: Int, to other: LineBuffer) {
        let start = min(max(0, start), count)
        other.count = 0
        other.reserve(count - start)
        other.base.update(from: base + start, count: count - start)
        other.count = count - start
        count = 0
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        let grown = max(needed, capacity * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }
}
