import Foundation
import InteropSupport
import Parquet
import Testing

/// `StackStream`: the stacked table handed out file by file, the schema known first.
@Suite("Stack stream")
struct StackStreamTests {
    func files(_ folder: TemporaryFolder, _ tables: [Table]) throws -> [StackFile] {
        try tables.enumerated().map { index, table in
            let name = "f\(index)"
            let path = folder.file(name + ".parquet")
            try ParquetWriter.write(table, to: path)
            return StackFile(path: path, constant: name)
        }
    }

    /// Tables whose columns differ: widening, missing and all-null columns, an empty table,
    /// decimals of two scales.
    static func tables() throws -> [Table] {
        [
            try Table(columns: [Column(name: "step", int64s: [0, 1]), Column(name: "loss", int64s: [3, nil])]),
            try Table(columns: [Column(name: "step", int64s: []), Column(name: "loss", doubles: [])]),
            try Table(columns: [Column(name: "tag", strings: ["x", nil, "z"]), Column(name: "loss", doubles: [0.5, 1, .nan]),
                                Column(name: "step", int64s: [5, 6, 7])]),
            try Table(columns: [Column(name: "step", int64s: [9]), Column(name: "tag", strings: [nil]),
                                Column(name: "price", type: .decimal(precision: 5, scale: 1), values: .int64([1234]))]),
            try Table(columns: [Column(name: "price", type: .decimal(precision: 6, scale: 3), values: .int64([123_456]))]),
        ]
    }

    @Test("the tables handed out, concatenated, are TableStacker's table; the schema is its schema", arguments: [1, 1 << 30])
    func equalsStacker(lookahead: Int) throws {
        let folder = try TemporaryFolder()
        let stackFiles = try files(folder, try Self.tables())
        var options = StackOptions(constantColumn: "source")
        options.lookaheadBytes = lookahead
        let stacked = try TableStacker.read(stackFiles, options: options).table
        let stream = try StackStream(stackFiles, options: options)
        #expect(stream.schema == Schema(of: stacked))
        #expect(stream.rowCount == stacked.rowCount)
        var tables: [Table] = [], indices: [Int] = []
        let failures = try stream.forEach { index, table in
            #expect(Schema(of: table) == stream.schema)
            indices.append(index)
            tables.append(table)
        }
        #expect(failures.isEmpty)
        #expect(indices == Array(stackFiles.indices))
        #expect(try Table.concatenate(tables) == stacked)
    }

    @Test("unreadable files are reported, before (footer) or during (pages) the stream, and left out")
    func failures() throws {
        let folder = try TemporaryFolder()
        var stackFiles = try files(folder, try Self.tables())
        #expect(FileManager.default.createFile(atPath: folder.file("broken.parquet"), contents: Data("PAR1 not really".utf8)))
        stackFiles[1].path = folder.file("broken.parquet")
        // File 2's pages damaged, its footer intact.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: stackFiles[2].path)))
        for offset in 4 ..< 60 { bytes[offset] = 0xff }
        try Data(bytes).write(to: URL(fileURLWithPath: stackFiles[2].path))
        let stream = try StackStream(stackFiles, options: StackOptions(constantColumn: "source"))
        #expect(stream.failures.map(\.index) == [1])
        var indices: [Int] = []
        let failures = try stream.forEach { index, _ in indices.append(index) }
        #expect(failures.map(\.index) == [2])
        #expect(indices == [0, 3, 4])
    }

    @Test("a type clash throws StackClash naming the file before anything is read")
    func clash() throws {
        let folder = try TemporaryFolder()
        let stackFiles = try files(folder, [try Table(columns: [Column(name: "v", int64s: [1])]), try Table(columns: [Column(name: "v", strings: ["one"])])])
        #expect(throws: StackClash.self) { try StackStream(stackFiles) }
        do { _ = try StackStream(stackFiles) } catch let clash as StackClash { #expect(clash.index == 1 && clash.column == "v") }
    }

    @Test("text encoded on the reading threads arrives in order")
    func transform() throws {
        let folder = try TemporaryFolder()
        let stackFiles = try files(folder, try Self.tables())
        var options = StackOptions(constantColumn: "source")
        options.lookaheadBytes = 1
        var counts: [Int] = []
        try StackStream(stackFiles, options: options).forEach({ _, table in table.rowCount }, { _, rows in counts.append(rows) })
        #expect(counts == [2, 0, 3, 1, 1])
    }

    /// A failure of `body` while the next window is being decoded ends the stream with that
    /// error, after the background decoding has finished; nothing after it is handed out.
    @Test("an error thrown by body mid-stream stops the pipeline cleanly")
    func bodyThrows() throws {
        struct Stop: Error {}
        let folder = try TemporaryFolder()
        let stackFiles = try files(folder, try Self.tables())
        var options = StackOptions(constantColumn: "source")
        options.lookaheadBytes = 1   // one file per window, so the next is always in flight
        var seen: [Int] = []
        #expect(throws: Stop.self) {
            try StackStream(stackFiles, options: options).forEach { index, _ in
                seen.append(index)
                if index == 2 { throw Stop() }
            }
        }
        #expect(seen == [0, 1, 2])
        // The stream can be read again, whole, afterwards.
        var again: [Int] = []
        try StackStream(stackFiles, options: options).forEach { index, _ in again.append(index) }
        #expect(again == Array(stackFiles.indices))
    }
}
