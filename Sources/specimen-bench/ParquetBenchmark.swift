import Foundation
import Parquet

/// The `parquet` area: a 1,000,000-row metrics table (run_id, step, time, 8 doubles) written
/// and read with SNAPPY by us, pyarrow and polars in the same run; then the peak memory of
/// streaming 10,000,000 rows through one writer (in a child process, so the figure is its own).
enum ParquetBenchmark {
    static let rows = 1_000_000

    /// The benchmark table: what a training run logs, one row per step.
    static func metricsTable(rows: Int, firstStep: Int = 0) throws -> Table {
        var columns = [
            Column(name: "run_id", strings: Array(repeating: "20251222_194653", count: rows)),
            Column(name: "step", int64s: (firstStep ..< firstStep + rows).map { Int64($0) }),
            Column(name: "time", timestamps: (firstStep ..< firstStep + rows).map { 1_766_432_813_000_000 + Int64($0) * 1_250 }, unit: .microseconds),
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for metric in 0 ..< 8 {
            var value = Double(metric)
            columns.append(Column(name: "metric\(metric)", doubles: (0 ..< rows).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += Double(Int64(bitPattern: state >> 11) % 2001 - 1000) / 100_000  // a random walk
                return value
            }))
        }
        return try Table(columns: columns)
    }

    static func run() throws {
        if CommandLine.arguments.contains("--stream-child") { return try streamChild() }
        if let index = CommandLine.arguments.firstIndex(of: "--read-file"), index + 1 < CommandLine.arguments.count {
            // For profiling one file's read: `specimen-bench parquet --read-file F.parquet`.
            let path = CommandLine.arguments[index + 1]
            let seconds = try Harness.measure(repetitions: 20) { _ = try ParquetReader(path: path).read() }
            print(String(format: "read %@: %.1f ms", path, seconds * 1e3))
            return
        }
        if let index = CommandLine.arguments.firstIndex(of: "--write-loop"), index + 2 < CommandLine.arguments.count,
           let times = Int(CommandLine.arguments[index + 1]) {
            // For profiling the write alone (`perf record`): `specimen-bench parquet --write-loop
            // N F.parquet` builds the benchmark table once and writes it N times.
            let table = try metricsTable(rows: rows)
            let path = CommandLine.arguments[index + 2]
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< max(1, times) { try ParquetWriter.write(table, to: path) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(max(1, times))
            print(String(format: "write %@: %.1f ms per write", path, seconds * 1e3))
            return
        }
        if let index = CommandLine.arguments.firstIndex(of: "--write-file"), index + 1 < CommandLine.arguments.count {
            // For profiling and comparing layouts: `specimen-bench parquet --write-file F.parquet`
            // writes the benchmark table with the default options.
            try ParquetWriter.write(try metricsTable(rows: rows), to: CommandLine.arguments[index + 1])
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-parquet-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try metricsTable(rows: rows)
        let rawMB = Double(rows * (8 * 10 + 15)) / 1e6
        let ours = folder.appendingPathComponent("ours.parquet").path
        let (write, writeCPU) = try measureWallAndCPU { try ParquetWriter.write(table, to: ours) }
        print("1,000,000 rows × 11 columns (\(String(format: "%.0f", rawMB)) MB of values), SNAPPY, median of 5")
        guard let output = Harness.runPeer("parquet_peer.py", [ours, folder.path]),
              let peer = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            Harness.report("write", ours: write, peer: nil, peerName: "pyarrow", unit: .milliseconds)
            return
        }
        let pyarrowFile = peer["pyarrow_file"] as? String ?? ""
        // Both files are on disk (the peer synced them) and read in turn, so neither read
        // competes with the other file's writeback or gets a warmer machine.
        let (readOurs, readPyarrow) = try Harness.measurePair(
            { _ = try ParquetReader(path: ours).read() }, { _ = try ParquetReader(path: pyarrowFile).read() })
        func figure(_ key: String) -> Double? { peer[key] as? Double }
        Harness.report("write", ours: write, peer: figure("pyarrow_write"), peerName: "pyarrow", unit: .milliseconds)
        Harness.report("write", ours: write, peer: figure("polars_write"), peerName: "polars", unit: .milliseconds)
        // CPU time of the whole process (every thread) per write: the work done, which a
        // shared machine's load does not inflate the way it does elapsed time.
        Harness.report("write CPU, all threads", ours: writeCPU, peer: figure("pyarrow_write_cpu"), peerName: "pyarrow", unit: .milliseconds)
        Harness.report("write CPU, all threads", ours: writeCPU, peer: figure("polars_write_cpu"), peerName: "polars", unit: .milliseconds)
        Harness.report("read our file", ours: readOurs, peer: figure("pyarrow_read_ours"), peerName: "pyarrow", unit: .milliseconds)
        Harness.report("read our file", ours: readOurs, peer: figure("polars_read_ours"), peerName: "polars", unit: .milliseconds)
        Harness.report("read pyarrow's file", ours: readPyarrow, peer: figure("pyarrow_read_pyarrow"), peerName: "pyarrow", unit: .milliseconds)
        Harness.report("read pyarrow's file", ours: readPyarrow, peer: figure("polars_read_pyarrow"), peerName: "polars", unit: .milliseconds)
        // Goal: our file reads at least as fast as pyarrow's file of the same table, in every
        // reader. "faster" means our file is the faster one for that reader.
        print("our file vs pyarrow's file, same reader (ratio > 1: our file reads faster):")
        Harness.report("  reader ours", ours: readOurs, peer: readPyarrow, peerName: "pyarrow's file", unit: .milliseconds)
        if let theirs = figure("pyarrow_read_pyarrow"), let ours = figure("pyarrow_read_ours") {
            Harness.report("  reader pyarrow", ours: ours, peer: theirs, peerName: "pyarrow's file", unit: .milliseconds)
        }
        if let theirs = figure("polars_read_pyarrow"), let ours = figure("polars_read_ours") {
            Harness.report("  reader polars", ours: ours, peer: theirs, peerName: "pyarrow's file", unit: .milliseconds)
        }
        for (name, path) in [("our file", ours), ("pyarrow's file", pyarrowFile)] {
            print("  \(name): " + (try layout(path)))
        }
        print(String(format: "throughput: write %.0f MB/s, read %.0f MB/s (values)", rawMB / write, rawMB / readOurs))
        try measureStreamingMemory(folder: folder.path)
    }

    /// The median elapsed and process CPU seconds (all threads) of one call of `body`, over 5
    /// calls after a warm-up.
    static func measureWallAndCPU(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        func cpuNow() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        try body()
        var walls: [Double] = [], cpus: [Double] = []
        for _ in 0 ..< 5 {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuNow()
            try body()
            cpus.append(cpuNow() - cpuStart)
            walls.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (walls.sorted()[2], cpus.sorted()[2])
    }

    /// One line on a file's layout: size, row groups, data pages, dictionary pages and the
    /// encodings of its chunks, what decides how fast a reader gets through it.
    static func layout(_ path: String) throws -> String {
        let reader = try ParquetReader(path: path)
        var dataPages = 0, dictionaryPages = 0
        var encodings: Set<String> = []
        for group in reader.metadata.rowGroups {
            for chunk in group.columns {
                guard let metadata = chunk.metaData else { continue }
                if metadata.dictionaryPageOffset != nil { dictionaryPages += 1 }
                encodings.formUnion(metadata.encodings.map { "\($0)" })
                dataPages += try pageCount(reader, metadata)
            }
        }
        return String(format: "%.1f MB, %d row group(s), %d data pages, %d dictionary pages, encodings %@",
                      Double(reader.fileSize) / 1e6, reader.rowGroupCount, dataPages, dictionaryPages, encodings.sorted().joined(separator: "/"))
    }

    /// The number of data pages of a chunk, from its page headers.
    private static func pageCount(_ reader: ParquetReader, _ metadata: ColumnMetaData) throws -> Int {
        let start = Int(metadata.dictionaryPageOffset.flatMap { $0 > 0 && $0 < metadata.dataPageOffset ? $0 : nil } ?? metadata.dataPageOffset)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: reader.path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(start))
        let bytes = [UInt8](try handle.read(upToCount: Int(metadata.totalCompressedSize)) ?? Data())
        return try bytes.withUnsafeBytes { raw in
            var position = 0, pages = 0
            while position < raw.count {
                let (header, size) = try PageHeader.decode(from: UnsafeRawBufferPointer(rebasing: raw[position...]))
                if header.type != .dictionaryPage { pages += 1 }
                position += size + Int(header.compressedPageSize)
            }
            return pages
        }
    }

    /// Runs `specimen-bench parquet --stream-child` and reports its peak resident memory (the
    /// child's own high-water mark: `RUSAGE_CHILDREN` would also count the Python peers).
    private static func measureStreamingMemory(folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["parquet", "--stream-child", folder + "/stream.parquet"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let peakMB = output.split(separator: "\n").last.flatMap { Double($0) }.map { $0 / 1024 } ?? .nan
        let rowGroupMB = Double(ParquetWriter.Options().rowGroupRowLimit * (8 * 10 + 15)) / 1e6
        print(String(format: "streaming 10,000,000 rows in batches of 100,000: peak RSS %.0f MB (one row group of values ≈ %.0f MB)%@",
                     peakMB, rowGroupMB, process.terminationStatus == 0 ? "" : " — the child failed"))
    }

    /// This process's peak resident memory in KiB (`VmHWM` in /proc/self/status), or nil.
    private static func peakResidentKiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// The child: writes 10,000,000 rows through one writer, 100,000 at a time.
    private static func streamChild() throws {
        guard let path = CommandLine.arguments.last, path.hasSuffix(".parquet") else { return }
        let first = try metricsTable(rows: 100_000)
        let writer = try ParquetWriter(path: path, schema: Schema(of: first))
        for batch in 0 ..< 100 {
            try writer.write(batch == 0 ? first : metricsTable(rows: 100_000, firstStep: batch * 100_000))
        }
        try writer.close()
        print(peakResidentKiB() ?? .nan)
        exit(0)
    }
}
