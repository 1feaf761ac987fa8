import Foundation
import InteropSupport
import Parquet
import Testing

/// `TableStacker`: many files (or tables) into one table, with a constant column per file.
@Suite("Table stacker")
struct TableStackerTests {
    /// Writes `tables` as files a.parquet, b.parquet, … and returns them as stack files whose
    /// constants are their letters.
    func files(_ folder: TemporaryFolder, _ tables: [Table]) throws -> [StackFile] {
        try tables.enumerated().map { index, table in
            let name = String(UnicodeScalar(UInt8(97 + index)))
            let path = folder.file(name + ".parquet")
            try ParquetWriter.write(table, to: path)
            return StackFile(path: path, constant: name)
        }
    }

    @Test("columns are unioned in first-seen order, int64 widens to double, missing values are null, the constant column comes first")
    func union() throws {
        let folder = try TemporaryFolder()
        let first = try Table(columns: [Column(name: "step", int64s: [0, 1]), Column(name: "loss", int64s: [3, 2])])
        let second = try Table(columns: [Column(name: "step", int64s: [0]), Column(name: "loss", doubles: [0.5]), Column(name: "tag", strings: ["x"])])
        let result = try TableStacker.read(try files(folder, [first, second]), options: StackOptions(constantColumn: "source"))
        #expect(result.failures.isEmpty)
        let table = result.table
        #expect(table.columnNames == ["source", "step", "loss", "tag"])
        #expect(table.rowCount == 3)
        #expect(table["source"]?.boxedValues == [.string("a"), .string("a"), .string("b")])
        #expect(table["loss"]?.type == .double)
        #expect(table["loss"]?.boxedValues == [.double(3), .double(2), .double(0.5)])
        #expect(table["tag"]?.boxedValues == [.null, .null, .string("x")])
        // The same tables stacked in memory give the same table.
        #expect(try TableStacker.stack([first, second], constants: ["a", "b"], options: StackOptions(constantColumn: "source")) == table)
    }

    @Test("a file that cannot be read, or fails the check, is left out and reported with its index")
    func failures() throws {
        let folder = try TemporaryFolder()
        let table = try Table(columns: [Column(name: "x", int64s: [1])])
        var stackFiles = try files(folder, [table, table, table])
        #expect(FileManager.default.createFile(atPath: folder.file("broken.parquet"), contents: Data("PAR1 not really".utf8)))
        stackFiles[1].path = folder.file("broken.parquet")
        var options = StackOptions(constantColumn: "f")
        options.check = { _, file in
            struct Refused: Error {}
            if file.constant == "c" { throw Refused() }
        }
        let result = try TableStacker.read(stackFiles, options: options)
        #expect(result.failures.map(\.index) == [1, 2])
        #expect(result.failures.first?.error is ParquetError)
        #expect(result.table["f"]?.boxedValues == [.string("a")])
    }

    @Test("a clash of types throws StackClash naming the column, both types and the file")
    func clash() throws {
        let folder = try TemporaryFolder()
        let numbers = try Table(columns: [Column(name: "v", int64s: [1])])
        let text = try Table(columns: [Column(name: "v", strings: ["one"])])
        do {
            _ = try TableStacker.read(try files(folder, [numbers, numbers, text]))
            Issue.record("an int64 and a string column were stacked")
        } catch let clash as StackClash {
            #expect(clash.column == "v" && clash.known == .int64 && clash.found == .string && clash.index == 2)
        }
        #expect(throws: StackClash.self) { try TableStacker.stack([numbers, text]) }
    }

    @Test("no files, and files of no rows, stack to an empty table")
    func empty() throws {
        let folder = try TemporaryFolder()
        #expect(try TableStacker.read([]).table.rowCount == 0)
        let none = try Table(columns: [Column(name: "x", int64s: [])])
        let result = try TableStacker.read(try files(folder, [none, none]), options: StackOptions(constantColumn: "f"))
        #expect(result.table.rowCount == 0 && result.table.columnNames == ["f", "x"])
    }
}
