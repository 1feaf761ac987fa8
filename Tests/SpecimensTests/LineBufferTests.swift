@testable import Specimens
import Testing

/// `LineBuffer`, the follower's two buffers of bytes read and not yet taken.
@Suite("LineBuffer")
struct LineBufferTests {
    func contents(_ buffer: LineBuffer) -> [UInt8] { Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }

    @Test("filling grows the buffer and keeps what it held; removing from the front and moving the tail keep the order")
    func fillRemoveMove() {
        let buffer = LineBuffer(capacity: 4)
        var expected: [UInt8] = []
        for round in 0 ..< 50 {
            let got = buffer.fill(100) { pointer, room in
                let n = min(room, 37 + round)
                for k in 0 ..< n { pointer.storeBytes(of: UInt8(truncatingIfNeeded: round &* 7 &+ k), toByteOffset: k, as: UInt8.self) }
                return n
            }
            #expect(got == 37 + round)
            expected += (0 ..< got).map { UInt8(truncatingIfNeeded: round &* 7 &+ $0) }
        }
        #expect(contents(buffer) == expected)
        buffer.removeFirst(1_000)
        expected.removeFirst(1_000)
        #expect(contents(buffer) == expected)
        let other = LineBuffer(capacity: 1)
        _ = other.fill(10) { _, room in room }   // stale bytes, replaced by the move
        buffer.moveTail(from: 500, to: other)
        #expect(buffer.count == 0)
        #expect(contents(other) == Array(expected[500...]))
        // A reader that claims more than the room it was given adds only the room.
        #expect(buffer.fill(8) { _, _ in 1_000 } == 8)
        #expect(buffer.count == 8)
    }
}
