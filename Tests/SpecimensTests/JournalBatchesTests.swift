import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing
@testable import Specimens

/// ``JournalBatches``: a journal read back batch by batch (sealing a long run) holds what
/// ``JournalReader`` replays, whatever the batch size and read window; the fast path for rows
/// of doubles and the general path agree.
@Suite("Journal batches")
struct JournalBatchesTests {
    /// A journal of `frames` frames: rows of doubles (the fast path), rows with an int in a
    /// double column, a missing column, a null, a string column that appears late, and an int
    /// column; returns its path.
    func makeJournal(_ folder: TemporaryFolder, frames: Int, rowsPerFrame: Int) throws -> String {
        let path = folder.file(".journal")
        let journal = try Journal(path: path)
        var buffers = MetricBuffers()
        var pending = MessagePackBuffer()
        var row = 0
        for _ in 0 ..< frames {
            for _ in 0 ..< rowsPerFrame {
                var values: [(key: String, value: MetricValue)] = [("a", .double(Double(row) * 0.5)), ("b", .double(-Double(row)))]
                if row % 9 == 4 { values[0].value = .int(Int64(row)) }   // an int in what ends up a double column
                if row % 5 != 3 { values.append(("c", row % 7 == 1 ? .null : .double(Double(row).squareRoot()))) }
                if row % 4 == 2 { values.reverse() }                      // the same columns in another order
                if row >= 10 && row % 3 == 0 { values.append(("s", .string("r\(row)"))) }
                // An int column, its values in every integer form (fixint, 8 to 64 bits, negative).
                if row % 6 == 0 { values.append(("i", .int(row % 12 == 0 ? -Int64(row) * 1_000_000_007 : Int64(row) << (row % 5 * 12)))) }
                try buffers.append(step: nil, time: 1_000 + Int64(row), values: values, journal: &pending, encode: true)
                row += 1
            }
            try journal.writeFrame(pending.bytes, sync: false)
            pending.reset()
        }
        journal.closeFile()
        return path
    }

    /// Every batch of `batches`, its columns' values in order, by column name.
    func collect(_ batches: inout JournalBatches) throws -> (values: [String: [Value]], sizes: [Int]) {
        var values: [String: [Value]] = [:]
        var sizes: [Int] = []
        try batches.forEach { table in
            sizes.append(table.rowCount)
            for column in table.columns { values[column.name, default: []] += (0 ..< column.count).map { column[$0] } }
        }
        return (values, sizes)
    }

    @Test("batches hold the rows JournalReader replays, for every batch size and read window")
    func sameAsReplay() throws {
        let folder = try TemporaryFolder()
        let path = try makeJournal(folder, frames: 7, rowsPerFrame: 13)
        let replayed = JournalReader.read(try LocalStorage.shared.read(path, limit: 1 << 30), name: ".journal")
        let expected = replayed.rows.table()
        #expect(expected.rowCount == 91)
        #expect(expected["a"]?.type == .double)
        for batchRows in [1, 4, 13, 50, 1_000] {
            for window in [9, 40, 200, 8 << 20] {
                var batches = JournalBatches(path: path, name: ".journal", storage: LocalStorage.shared, schema: replayed.rows.schema, batchRows: batchRows)
                batches.window = window
                let (values, sizes) = try collect(&batches)
                #expect(batches.rows == 91, "batchRows \(batchRows), window \(window)")
                #expect(batches.warnings.isEmpty)
                #expect(sizes == Array(repeating: batchRows, count: 91 / batchRows) + (91 % batchRows == 0 ? [] : [91 % batchRows]))
                for column in expected.columns {
                    #expect(values[column.name] == (0 ..< column.count).map { column[$0] }, "column \(column.name), batchRows \(batchRows), window \(window)")
                }
                // Read to the end: nothing more.
                #expect(try batches.next() == nil)
            }
        }
    }

    @Test("a row of doubles that names a column twice or one never defined is skipped, and the rows around it are kept")
    func badRowsOfDoubles() throws {
        let folder = try TemporaryFolder()
        let path = folder.file(".journal")
        let journal = try Journal(path: path)
        var buffer = MessagePackBuffer()
        JournalRecord.writeColumn(number: 0, name: "x", into: &buffer)
        JournalRecord.writeColumn(number: 1, name: "y", into: &buffer)
        func row(_ step: Int64, _ values: [(Int, Double)]) {
            JournalRecord.writeRowStart(valueCount: values.count, step: step, time: step * 10, into: &buffer)
            for (column, value) in values { JournalRecord.writeDouble(column: column, value, into: &buffer) }
        }
        row(0, [(0, 1.5), (1, 2.5)])
        row(1, [(0, 3.5), (0, 4.5)])     // x twice
        row(2, [(1, 5.5), (0, 6.5)])
        row(3, [(0, 7.5), (5, 8.5)])     // column 5 was never defined
        row(4, [(1, 9.5)])               // x missing: null
        try journal.writeFrame(buffer.bytes, sync: false)
        journal.closeFile()

        var batches = JournalBatches(path: path, name: ".journal", storage: LocalStorage.shared,
                                     schema: [("x", .double), ("y", .double)], batchRows: 2)
        let (values, _) = try collect(&batches)
        #expect(batches.rows == 3)
        #expect(values["step"] == [.int(0), .int(2), .int(4)])
        #expect(values["time"]?.count == 3)
        #expect(values["x"] == [.double(1.5), .double(6.5), .null])
        #expect(values["y"] == [.double(2.5), .double(5.5), .double(9.5)])
        #expect(batches.warnings.count == 2)
        #expect(batches.warnings.first?.contains("step 1") == true && batches.warnings.first?.contains("twice") == true)
        #expect(batches.warnings.last?.contains("step 3") == true && batches.warnings.last?.contains("never defined") == true)
    }
}
