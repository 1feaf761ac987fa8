import Foundation
import InteropSupport
@testable import Parquet
import Testing

/// `FreshMemory.populate`, which faults in a stacked table's pages before the workers fill them.
@Suite("Fresh memory populated up front")
struct FreshMemoryTests {
    @Test("populating leaves every byte as it was, for regions at odd addresses and of odd sizes, on any number of threads", arguments: [1, 2, 3])
    func contentsKept(threads: Int) {
        let count = 40 << 20
        var bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0 ..< count { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 12) }
            initialized = count
        }
        bytes.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            FreshMemory.populate([(base + 3, (9 << 20) + 5), (base + (12 << 20) + 4_099, 27 << 20), (base + (11 << 20), 0)], threads: threads)
        }
        var mismatches = 0
        for index in 0 ..< count where bytes[index] != UInt8(truncatingIfNeeded: index &* 31 &+ index >> 12) { mismatches += 1 }
        #expect(mismatches == 0)
    }

    @Test("a stack large enough to be populated first reads the same table as stacking the tables in memory")
    func largeStack() throws {
        let folder = try TemporaryFolder()
        var tables: [Table] = []
        var files: [StackFile] = []
        for index in 0 ..< 4 {
            let rows = 300_000 + index * 7
            let table = try Table(columns: [
                Column(name: "step", int64s: (0 ..< rows).map { Int64($0 * (index + 1)) }),
                Column(name: "loss", doubles: (0 ..< rows).map { $0 % 1_000 == 0 ? nil : 1 / Double($0 + index + 1) }),
                Column(name: "flag", bools: (0 ..< rows).map { $0 % 3 == index % 3 }),
            ])
            let path = folder.file("\(index).parquet")
            try ParquetWriter.write(table, to: path)
            tables.append(table)
            files.append(StackFile(path: path, constant: "run-\(index)"))
        }
        let options = StackOptions(constantColumn: "run_id")
        let result = try TableStacker.read(files, options: options)
        #expect(result.failures.isEmpty)
        #expect(result.table.rowCount == tables.reduce(0) { $0 + $1.rowCount })
        #expect(result.table == (try TableStacker.stack(tables, constants: files.map(\.constant), options: options)))
    }
}

/// `FreedMemory`: buffers freed between files stay with the process for the next file.
@Suite("Freed memory kept for the next file")
struct FreedMemoryTests {
    @Test("the user's own malloc settings are left alone")
    func userSettingsWin() {
        #expect(FreedMemory.userTuned(names: ["PATH", "MALLOC_TRIM_THRESHOLD_"], tunables: nil))
        #expect(FreedMemory.userTuned(names: ["MALLOC_ARENA_MAX"], tunables: nil))
        #expect(FreedMemory.userTuned(names: ["PATH"], tunables: "glibc.malloc.arena_max=2"))
        #expect(!FreedMemory.userTuned(names: ["PATH", "MALLOC_", "MALLOCX"], tunables: "glibc.cpu.hwcaps=-AVX"))
    }

    #if os(Linux)
    @Test("on glibc the thresholds are taken, unless the user tuned malloc")
    func thresholdsTaken() {
        let environment = ProcessInfo.processInfo.environment
        let tuned = FreedMemory.userTuned(names: environment.keys.map { Substring($0) }, tunables: environment["GLIBC_TUNABLES"])
        #expect(FreedMemory.keep() == !tuned)
    }
    #endif
}
