import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// Lines of `metrics.jsonl` journaled by reference (``JournalRecord/linesBatch(from:to:arrival:)``):
/// the owner of a run on the local disk journals where each batch of lines lies in the file and
/// when it arrived, not its rows; every reader of the journal — live views and recovery
/// (``JournalTail``), a streamed seal (``JournalBatches``) — parses those lines from the file
/// and gets the rows the run took, in their place among rows logged through the API.
@Suite("Lines journaled by reference")
struct LinesBatchTests {
    /// Batches of lines as a protocol writes them: an int column that becomes double, a string
    /// column, given steps and times, a malformed line, a line the run refuses (a type clash),
    /// a column that appears late, and an unterminated last line.
    static let batches = [
        "{\"loss\": 1, \"phase\": \"a\"}\n{\"loss\": 2.5, \"phase\": \"b\", \"time\": 5}\n",
        "{\"step\": 10, \"loss\": 3}\nnot json\n{\"loss\": \"text\"}\n{\"acc\": 0.5, \"loss\": 3.5}\n",
        "{\"loss\": 4, \"acc\": 0.25}\n{\"loss\": 5, \"acc\": 0.75, \"ok\": true}",
    ]

    /// Writes and ingests `batches` into `storage`'s run as `MetricsFollower` does (arrival
    /// 1,000 + the batch's index), logging a row through the API after the first batch (it
    /// names a column the lines made and one of its own); returns the journal's path.
    static func ingest(_ storage: SpecimenStorage) throws -> String {
        let path = storage.strataPath + "/" + RunFolder.metricsLines
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var progress = LinesProgress()
        var parsed = ParsedLines()
        for (index, batch) in batches.enumerated() {
            try handle.write(contentsOf: Data(batch.utf8))
            let bytes = Array(batch.utf8)
            parsed.reset()
            bytes.withUnsafeBufferPointer { parsed.parse($0.baseAddress!, 0, $0.count, final: index == batches.count - 1) }
            var problems: [(line: Int64, message: String)] = []
            try storage.activeRun.ingest(arrival: 1_000 + Int64(index)) { rows, journal, encode in
                #expect(!encode)
                parsed.append(to: &rows, journal: &journal, encode: encode, arrival: 1_000 + Int64(index), firstLine: progress.lines + 1,
                              problems: &problems)
                progress.lines += Int64(parsed.lineCount)
                progress.offset += Int64(parsed.consumed)
                progress.nextStep = rows.nextStep
                return progress
            }
            if index == 0 {
                try storage.activeRun.log(step: nil, time: 7, [("loss", MetricValue.double(8)), ("api", .int(1))])
            }
        }
        return storage.strataPath + "/" + RunFolder.journal
    }

    @Test("the journal holds no row of the lines; replayed from the file, by a tail and in batches, they are the run's rows")
    func replayedAsTaken() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        let journalPath = try Self.ingest(storage)
        let bytes = try LocalStorage.shared.read(journalPath, limit: 1 << 30)

        // Without the file, only the row logged through the API is there, and each batch of
        // lines says that its rows are missing.
        let alone = JournalReader.read(bytes, name: RunFolder.journal)
        #expect(alone.rows.rowCount == 1)
        #expect(alone.warnings.count == 3, "\(alone.warnings)")
        #expect(alone.warnings.allSatisfy { $0.contains("could not be read from that file; they are missing") })
        #expect(alone.lines?.offset == Int64(Self.batches.joined().utf8.count))
        #expect(alone.lines?.lines == 8)

        // Read as a live view or recovery reads it: the lines' rows in place, with the file's
        // line numbers in the warnings for the lines the run skipped.
        var tail = JournalTail()
        try tail.advance(path: journalPath, name: RunFolder.journal)
        let replayed = tail.contents.rows.table()
        #expect(replayed.rowCount == 7)
        #expect(tail.contents.warnings.count == 2, "\(tail.contents.warnings)")
        #expect(tail.contents.warnings.first?.hasPrefix("metrics.jsonl line 4: ") == true)
        #expect(tail.contents.warnings.last?.hasPrefix("metrics.jsonl line 5: ") == true)
        let column = { (name: String) in replayed[name].map { c in (0 ..< c.count).map { c[$0] } } ?? [] }
        #expect(column("step") == [0, 1, 2, 10, 11, 12, 13].map { .int($0) })
        #expect(column("loss") == [1, 2.5, 8, 3, 3.5, 4, 5].map { .double($0) })
        #expect(column("api") == [.null, .null, .int(1), .null, .null, .null, .null])
        #expect(column("ok") == Array(repeating: .null, count: 6) + [.bool(true)])
        let micros = column("time").map { value -> Int64? in if case .timestamp(let v, _, _) = value { v } else { nil } }
        #expect(micros == [1_000, 5_000_000, 7, 1_001, 1_001, 1_002, 1_002])

        // Read in batches as a streamed seal reads it: the same rows, whatever the batch size.
        for batchRows in [1, 2, 3, 100] {
            var batches = JournalBatches(path: journalPath, name: RunFolder.journal, storage: LocalStorage.shared,
                                         schema: tail.contents.rows.schema, batchRows: batchRows,
                                         linesFolder: storage.strataPath)
            var tables: [Table] = []
            try batches.forEach { tables.append($0) }
            #expect(batches.warnings.isEmpty, "\(batches.warnings)")
            #expect(tables.dropLast().allSatisfy { $0.rowCount == batchRows })
            #expect(tableContents(try Table.concatenate(tables)) == tableContents(replayed), "batchRows \(batchRows)")
        }

        // Sealed from memory: the same table.
        try storage.finish(status: .completed, exitCode: 0, signal: nil, warnings: [])
        #expect(tableContents(try storage.readMetrics()) == tableContents(replayed))
    }

    @Test("a long ingestion whose part file is given up (a column appears late) is sealed from the journal and the file: every row")
    func streamedSeal() throws {
        let folder = try TemporaryFolder()
        var options = testOptions()
        options.retainedValues = 40
        options.sealBatchRows = 64
        let storage = try SpecimenStorage(at: folder.file("s"), options: options)
        var text = ""
        for i in 0 ..< 600 {
            text += "{\"loss\": \(Double(i) / 8), \"phase\": \"p\(i % 3)\"" + (i >= 300 && i % 4 == 0 ? ", \"late\": \(i)" : "") + "}\n"
            if i == 450 { text += "{\"loss\": \"clash\"}\nnot json\n" }
        }
        let path = storage.strataPath + "/" + RunFolder.metricsLines
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let follower = MetricsFollower(path: path, run: storage.activeRun, fallbackPoll: 0.01)
        follower.start()
        let warnings = try follower.stop()
        #expect(warnings.count == 2, "\(warnings)")
        // No row of the lines was encoded into the journal: it is far smaller than the file.
        let journalSize = try #require(LocalStorage.shared.entry(storage.strataPath + "/" + RunFolder.journal)?.size)
        #expect(journalSize < text.utf8.count / 4, "journal \(journalSize) bytes, lines \(text.utf8.count)")
        try storage.finish(status: .completed, exitCode: 0, signal: nil, warnings: warnings)
        let table = try storage.readMetrics()
        #expect(table.rowCount == 600)
        let expected = MetricLines.read(Array(text.utf8), name: RunFolder.metricsLines).rows.table()
        for name in ["step", "loss", "phase", "late"] {
            #expect(table[name].map { column in (0 ..< column.count).map { column[$0] } } == expected[name].map { column in (0 ..< column.count).map { column[$0] } },
                    "column \(name)")
        }
        // Streamed from the journal in batches of 64 rows (the part file was given up).
        #expect(try ParquetReader(path: storage.strataPath + "/" + RunFolder.metrics).rowGroupCount == (600 + 63) / 64)
    }

    @Test("a damaged lines-batch record that claims a huge or reversed range reads nothing and says so")
    func hostileRanges() throws {
        let folder = try TemporaryFolder()
        try Data("{\"a\": 1}\n".utf8).write(to: URL(fileURLWithPath: folder.file(RunFolder.metricsLines)))
        let journal = try Journal(path: folder.file(RunFolder.journal))
        var pending = MessagePackBuffer()
        let huge = LinesProgress(offset: 1 << 50, lines: 1 << 40, nextStep: 0)
        JournalRecord.writeLinesBatch(from: LinesProgress(), to: LinesProgress(offset: 8, lines: 1, nextStep: 1), arrival: 1, into: &pending)
        JournalRecord.writeLinesBatch(from: LinesProgress(offset: 8, lines: 1, nextStep: 1), to: huge, arrival: 2, into: &pending)
        try journal.writeFrame(pending.bytes, sync: false)
        pending.reset()
        // Reversed: the record cannot be read, so the rest of its frame is skipped.
        JournalRecord.writeLinesBatch(from: huge, to: LinesProgress(), arrival: 3, into: &pending)
        try journal.writeFrame(pending.bytes, sync: false)
        journal.closeFile()
        var tail = JournalTail()
        try tail.advance(path: folder.file(RunFolder.journal), name: RunFolder.journal)
        #expect(tail.contents.rows.rowCount == 1)
        #expect(tail.contents.warnings.count == 2, "\(tail.contents.warnings)")
        #expect(tail.contents.warnings.first?.contains("could not be read from that file") == true)
        #expect(tail.contents.warnings.last?.contains("cannot be read") == true)
        var batches = JournalBatches(path: folder.file(RunFolder.journal), name: RunFolder.journal, storage: LocalStorage.shared,
                                     schema: [("a", .int64)], batchRows: 10, linesFolder: folder.path)
        var rows = 0
        try batches.forEach { rows += $0.rowCount }
        #expect(rows == 1)
        #expect(batches.warnings.count == 2, "\(batches.warnings)")
    }

    @Test("lines the file no longer holds are missing from the replay, with a warning; the rest is kept")
    func fileCutShort() throws {
        let folder = try TemporaryFolder()
        let storage = try SpecimenStorage(at: folder.file("s"), options: testOptions())
        let journalPath = try Self.ingest(storage)
        let linesPath = storage.strataPath + "/" + RunFolder.metricsLines
        #expect(truncate(linesPath, off_t(Self.batches[0].utf8.count + 10)) == 0)
        var tail = JournalTail()
        try tail.advance(path: journalPath, name: RunFolder.journal)
        #expect(tail.contents.rows.rowCount == 3)   // the first batch and the API row
        #expect(tail.contents.warnings.count == 2, "\(tail.contents.warnings)")
        #expect(tail.contents.warnings.first?.contains("metrics.jsonl lines 3–6") == true, "\(tail.contents.warnings)")
    }
}
