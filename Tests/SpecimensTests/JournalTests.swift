import Foundation
import InteropSupport
import MessagePack
import Testing
@testable import Specimens
import Parquet

@Suite("Journal")
struct JournalTests {
    /// Writes `frames` frames of `rowsPerFrame` rows each and returns the file's bytes.
    func makeJournal(_ folder: TemporaryFolder, frames: Int, rowsPerFrame: Int) throws -> [UInt8] {
        let path = folder.file(".journal")
        let journal = try Journal(path: path)
        var buffers = MetricBuffers()
        var pending = MessagePackBuffer()
        var row: Int64 = 0
        for _ in 0 ..< frames {
            for _ in 0 ..< rowsPerFrame {
                try buffers.append(step: nil, time: 1_000 + row, values: [(key: "i", value: MetricValue.int(row)), (key: "s", value: .string("r\(row)"))],
                                   journal: &pending, encode: true)
                row += 1
            }
            try journal.writeFrame(pending.bytes, sync: false)
            pending.reset()
        }
        journal.closeFile()
        return try LocalStorage.shared.read(path, limit: 1 << 30)
    }

    @Test("a journal cut at any byte yields exactly the rows of its whole frames, in order")
    func truncation() throws {
        let folder = try TemporaryFolder()
        let bytes = try makeJournal(folder, frames: 4, rowsPerFrame: 3)
        var frameEnds: [Int] = []
        var offset = 0
        while offset < bytes.count {
            let length = Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
            offset += 8 + length
            frameEnds.append(offset)
        }
        #expect(frameEnds.count == 4 && frameEnds.last == bytes.count)
        for cut in 0 ... bytes.count {
            let contents = JournalReader.read(Array(bytes[0 ..< cut]), name: ".journal")
            let whole = frameEnds.filter { $0 <= cut }.count
            #expect(contents.rows.rowCount == whole * 3, "cut at \(cut)")
            #expect(contents.frames == whole)
            let table = contents.rows.table()
            #expect(int64s(table["i"]) == (0 ..< Int64(whole * 3)).map { Optional($0) })
        }
    }

    @Test("a journal read as it grows (JournalTail) holds what one read of the whole file does, at every cut")
    func tail() throws {
        let folder = try TemporaryFolder()
        let bytes = try makeJournal(folder, frames: 4, rowsPerFrame: 3)
        let path = folder.file(".growing")
        for step in [1, 7, 13] {
            var tail = JournalTail()
            try Data().write(to: URL(fileURLWithPath: path))
            var cut = 0
            while cut < bytes.count {
                cut = Swift.min(bytes.count, cut + step)
                try Data(bytes[0 ..< cut]).write(to: URL(fileURLWithPath: path))   // the same file, grown
                try tail.advance(path: path, name: ".journal")
                let whole = JournalReader.read(Array(bytes[0 ..< cut]), name: ".journal")
                #expect(tail.contents.frames == whole.frames, "cut at \(cut)")
                #expect(tail.contents.trailingBytes == whole.trailingBytes, "cut at \(cut)")
                #expect(int64s(tail.contents.rows.table()["i"]) == int64s(whole.rows.table()["i"]), "cut at \(cut)")
            }
            #expect(tail.contents.rows.rowCount == 12)
            #expect(try tail.advance(path: path, name: ".journal") == false)   // nothing new
        }
    }

    @Test("a corrupted byte stops reading at that frame; later frames are not trusted")
    func corruption() throws {
        let folder = try TemporaryFolder()
        var bytes = try makeJournal(folder, frames: 3, rowsPerFrame: 2)
        let firstLength = Int(bytes[0]) | Int(bytes[1]) << 8
        bytes[8 + firstLength + 8 + 3] ^= 0x40   // inside frame 2's payload
        let contents = JournalReader.read(bytes, name: ".journal")
        #expect(contents.rows.rowCount == 2)
        #expect(contents.trailingBytes > 0)
        // Random garbage never traps.
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 200 {
            let junk = (0 ..< Int.random(in: 0 ..< 200, using: &generator)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            _ = JournalReader.read(junk, name: "junk")
        }
    }

    @Test("metrics.jsonl: escapes, numbers and bad lines")
    func metricLines() {
        let text = #"""
        {"s": "a\"b\\c\u00e9\ud83d\ude00", "i": -12, "d": 1.5e3, "b": false, "n": null}
        not json
        {"i": 1.0}
        {"i": "text"}
        {"x": 1,}
        {"big": 123456789012345678901234567890}
        """#
        let result = MetricLines.read(Array(text.utf8), name: "metrics.jsonl")
        let table = result.rows.table()
        #expect(table["s"]?[0] == .string("a\"b\\cé😀"))
        #expect(table["i"]?.type == .double)   // 1.0 promoted the int column
        #expect(table.rowCount == 3)
        #expect(result.warnings.count == 3)
        #expect(result.warnings[0].contains("line 2"))
        #expect(result.warnings[1].contains("line 4") && result.warnings[1].contains("'i'"))
        #expect(result.warnings[2].contains("line 5"))
        #expect(table["big"]?.type == .double)
    }
}
