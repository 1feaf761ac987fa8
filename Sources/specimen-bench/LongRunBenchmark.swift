#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation
import Parquet
import Specimens

/// The `longrun` area: one long run — 10,000,000 rows × 10 doubles by default — logged and
/// sealed in a child process, whose peak RSS (`VmHWM`, polled until it exits) is the figure,
/// beside the 256 MB goal:
///
/// - through the Swift API: a child of this benchmark logs the rows with `log(names, values)`
///   and seals the run; it reports its logging and sealing seconds. Rows leave memory as the
///   run logs, as row groups of its hidden part file, so sealing writes the last rows and
///   the footer, syncs the file and moves it into place. Sealing is put beside
///   `ParquetWriter.write` of the same table held in memory, timed in this process on the
///   sealed file's table (the goal's comparison), and beside what sealing from memory did
///   with that table before long runs let their rows go: encoded, written to a temporary
///   file, synced, renamed, and hashed (SHA-256) for the manifest — the durability and
///   checksum that the seal's figure includes and the bare write does not. The whole
///   child's time (logging and sealing) is printed too: the part file's encoding happens
///   while the run logs;
/// - through `SPECIMEN_METRICS`: `specimen run` (`$SPECIMEN_BIN`) on a protocol that copies a
///   JSON-lines file of the same rows (generated once in `$TMPDIR/specimen-bench-longrun`)
///   into `$SPECIMEN_METRICS`; the whole process's seconds and peak RSS.
///
/// Sealing's CPU seconds (every thread) are put beside the whole-table write's. With
/// `SPECIMEN_BASE_BIN` set, the same rows also go through that build (its `specimen run`, and
/// the child of the `specimen-bench` beside it), as a before.
///
/// `LONGRUN_ROWS` and `LONGRUN_METRICS` change the size; `--longrun-parts=api,jsonl` runs some
/// parts only.
enum LongRunBenchmark {
    static let goalBytes = 256 << 20

    static func run() throws {
        if let index = CommandLine.arguments.firstIndex(of: "--longrun-child"), index + 4 < CommandLine.arguments.count {
            let arguments = CommandLine.arguments
            return try child(folder: arguments[index + 1], rows: Int(arguments[index + 2]) ?? 0, metrics: Int(arguments[index + 3]) ?? 0,
                             report: arguments[index + 4])
        }
        let environment = ProcessInfo.processInfo.environment
        let rows = environment["LONGRUN_ROWS"].flatMap { Int($0) } ?? 10_000_000
        let metrics = environment["LONGRUN_METRICS"].flatMap { Int($0) } ?? 10
        let chosen = CommandLine.arguments.first { $0.hasPrefix("--longrun-parts=") }
            .map { Set($0.dropFirst("--longrun-parts=".count).split(separator: ",").map(String.init)) }
        let root = NSTemporaryDirectory() + "specimen-bench-longrun"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if chosen?.contains("api") ?? true { try api(root, rows: rows, metrics: metrics) }
        if chosen?.contains("jsonl") ?? true { try jsonLines(root, rows: rows, metrics: metrics) }
    }

    // MARK: Through the Swift API

    /// What one long-run child reported.
    struct ChildReport {
        var measured: ExportBenchmark.Measurement
        var logging: Double
        var sealing: Double
        /// The sealing's CPU seconds (every thread), when the child reports them (builds before
        /// they did print three fields).
        var sealingCPU: Double?
        var runID: String
    }

    /// Runs the long-run child of the bench binary `bench` into `folder`.
    static func runChild(_ bench: String, _ folder: String, rows: Int, metrics: Int) throws -> ChildReport {
        let report = folder + ".report"
        defer { try? FileManager.default.removeItem(atPath: report) }
        let measured = try measure(bench, ["longrun", "--longrun-child", folder, String(rows), String(metrics), report])
        let fields = try String(contentsOfFile: report, encoding: .utf8).split(separator: " ")
        guard fields.count >= 3, let logging = Double(fields[0]), let sealing = Double(fields[1]) else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "the long-run child reported nothing"])
        }
        return ChildReport(measured: measured, logging: logging, sealing: sealing, sealingCPU: fields.count >= 4 ? Double(fields[3]) : nil,
                           runID: String(fields[2]))
    }

    /// The bench binary of the build `SPECIMEN_BASE_BIN` names (the `specimen-bench` beside it),
    /// whose child logs and seals the same rows as a before.
    static var baseBench: String? {
        guard let base = ProcessInfo.processInfo.environment["SPECIMEN_BASE_BIN"], !base.isEmpty else { return nil }
        let bench = (base as NSString).deletingLastPathComponent + "/specimen-bench"
        return FileManager.default.isExecutableFile(atPath: bench) ? bench : nil
    }

    static func api(_ root: String, rows: Int, metrics: Int) throws {
        let folder = root + "/api-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ours = try runChild(CommandLine.arguments[0], folder, rows: rows, metrics: metrics)
        let label = "\(rows / 1_000_000)M rows × \(metrics) doubles, Swift API"
        print(Harness.pad(label, 34) + Harness.pad(String(format: "peak RSS %.0f MB", Double(ours.measured.peakRSS) / 1e6), 22)
              + String(format: "goal ≤ 256 MiB: %@ (whole process %.1f s, %.1f s CPU)", ours.measured.peakRSS <= goalBytes ? "met" : "not met",
                       ours.measured.seconds, ours.measured.cpuSeconds))
        print(Harness.pad("  logging", 34) + String(format: "%.2f s, %.1f ns per value (wall); logging + sealing %.2f s", ours.logging,
                                                    ours.logging / Double(rows * metrics) * 1e9, ours.logging + ours.sealing))

        // The sealed table, written whole by ParquetWriter in this process (what sealing cost
        // when every row was in memory), beside the streamed seal.
        let path = folder + "/runs/" + ours.runID + "/metrics.parquet"
        let table = try ParquetReader(path: path).read()
        guard table.rowCount == rows, table.columns.count == metrics + 3 else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "the sealed run has \(table.rowCount) rows and \(table.columns.count) columns"])
        }
        try? FileManager.default.removeItem(atPath: folder)
        var options = ParquetWriter.Options()
        options.keyValueMetadata = [(key: "specimen.run_id", value: ours.runID)]
        let copy = root + "/whole-\(getpid()).parquet"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        var samples: [(wall: Double, cpu: Double)] = []
        for _ in 0 ..< 3 {
            try? FileManager.default.removeItem(atPath: copy)
            let cpu = processCPUSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try ParquetWriter.write(table, to: copy, options: options)
            samples.append((Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processCPUSeconds() - cpu))
        }
        let whole = samples.sorted { $0.wall < $1.wall }[1]
        // The same table as sealing from memory wrote it: encoded, written to a temporary file,
        // synced and moved into place, and its SHA-256 taken for the manifest — the durability
        // and checksum the streamed seal's figure includes and the bare write above does not.
        var durable: [Double] = []
        for _ in 0 ..< 3 {
            try? FileManager.default.removeItem(atPath: copy)
            let start = DispatchTime.now().uptimeNanoseconds
            try writeDurably(ParquetWriter.encode(table, options: options), to: copy)
            durable.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let durableWall = durable.sorted()[1]
        print(Harness.pad("  sealing (part file + footer)", 34) + Harness.pad(String(format: "ours %.2f s", ours.sealing), 22)
              + Harness.pad(String(format: "whole-table write %.2f s", whole.wall), 28)
              + String(format: "%.2f× (goal ≤ 1: %@)", ours.sealing / whole.wall, ours.sealing <= whole.wall ? "met" : "not met"))
        print(Harness.pad("  beside sealing from memory", 34) + Harness.pad(String(format: "ours %.2f s", ours.sealing), 22)
              + Harness.pad(String(format: "write+fsync+SHA-256 %.2f s", durableWall), 28) + String(format: "%.2f×", ours.sealing / durableWall))
        if let cpu = ours.sealingCPU {
            print(Harness.pad("  sealing CPU (every thread)", 34) + Harness.pad(String(format: "ours %.2f s", cpu), 22)
                  + Harness.pad(String(format: "whole-table write %.2f s", whole.cpu), 28) + String(format: "%.2f×", cpu / whole.cpu))
        }

        // A before: the same rows logged and sealed by the base build's child.
        guard let bench = baseBench else { return }
        let baseFolder = root + "/api-base-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: baseFolder) }
        let base = try runChild(bench, baseFolder, rows: rows, metrics: metrics)
        print(Harness.pad("  base build: sealing", 34) + Harness.pad(String(format: "base %.2f s", base.sealing), 22)
              + Harness.pad(String(format: "ours %.2f s", ours.sealing), 28) + String(format: "%.2f× base's time", ours.sealing / base.sealing)
              + String(format: " (base peak RSS %.0f MB, whole process %.1f s, %.1f s CPU)", Double(base.measured.peakRSS) / 1e6,
                       base.measured.seconds, base.measured.cpuSeconds))
        print(Harness.pad("  base build: logging", 34) + Harness.pad(String(format: "base %.2f s", base.logging), 22)
              + Harness.pad(String(format: "ours %.2f s", ours.logging), 28) + String(format: "%.2f× base's time", ours.logging / base.logging)
              + String(format: " (logging + sealing: base %.2f s, ours %.2f s)", base.logging + base.sealing, ours.logging + ours.sealing))
    }

    /// This process's CPU seconds so far (user and system, every thread).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(truncatingIfNeeded: RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// `--longrun-child FOLDER ROWS METRICS REPORT`: logs the rows, seals, and writes
    /// "<logging s> <sealing s> <run ID> <sealing CPU s>" to REPORT.
    static func child(folder: String, rows: Int, metrics: Int, report: String) throws {
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        options.recordExecutable = false
        let storage = try SpecimenStorage(at: folder, options: options)
        let names = (0 ..< metrics).map { "metric_\($0)" }
        var values = [Double](repeating: 0, count: metrics)
        let start = DispatchTime.now().uptimeNanoseconds
        for row in 0 ..< rows {
            let x = Double(row) * 1e-3
            for k in 0 ..< metrics { values[k] = x + Double(k) }
            try storage.log(names, values)
        }
        let logged = DispatchTime.now().uptimeNanoseconds
        let cpu = processCPUSeconds()
        try storage.finish()
        let sealingCPU = processCPUSeconds() - cpu
        let sealed = DispatchTime.now().uptimeNanoseconds
        let text = String(format: "%.6f %.6f ", Double(logged - start) / 1e9, Double(sealed - logged) / 1e9) + storage.runID.rawValue
            + String(format: " %.6f", sealingCPU)
        try Data(text.utf8).write(to: URL(fileURLWithPath: report))
    }

    // MARK: Through SPECIMEN_METRICS

    static func jsonLines(_ root: String, rows: Int, metrics: Int) throws {
        let binary = ProcessInfo.processInfo.environment["SPECIMEN_BIN"] ?? FileManager.default.currentDirectoryPath + "/.build/release/specimen"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            FileHandle.standardError.write(Data("longrun: \(binary) not found; build it with `swift build -c release --product specimen` (or set SPECIMEN_BIN)\n".utf8))
            return
        }
        let lines = root + "/rows-\(rows)x\(metrics).jsonl"
        try generateLines(lines, rows: rows, metrics: metrics)
        setenv("LONGRUN_LINES", lines, 1)
        let measured = try specimenRun(binary, root + "/jsonl-\(getpid())", rows: rows)
        let label = "\(rows / 1_000_000)M rows × \(metrics), SPECIMEN_METRICS"
        print(Harness.pad(label, 34) + Harness.pad(String(format: "peak RSS %.0f MB", Double(measured.peakRSS) / 1e6), 22)
              + String(format: "goal ≤ 256 MiB: %@ (specimen run, whole process %.1f s, %.1f s CPU with the protocol)",
                       measured.peakRSS <= goalBytes ? "met" : "not met", measured.seconds, measured.cpuSeconds))
        // A before: the same protocol through the build SPECIMEN_BASE_BIN names.
        guard let base = ProcessInfo.processInfo.environment["SPECIMEN_BASE_BIN"], !base.isEmpty else { return }
        let before = try specimenRun(base, root + "/jsonl-base-\(getpid())", rows: rows)
        print(Harness.pad("  base build: specimen run", 34) + Harness.pad(String(format: "base %.1f s", before.seconds), 22)
              + Harness.pad(String(format: "ours %.1f s", measured.seconds), 28) + String(format: "%.2f× base's time", measured.seconds / before.seconds)
              + String(format: " (CPU base %.1f s, ours %.1f s; base peak RSS %.0f MB)", before.cpuSeconds, measured.cpuSeconds, Double(before.peakRSS) / 1e6))
    }

    /// `binary run SPECIMEN` on the protocol that copies `$LONGRUN_LINES` into `$SPECIMEN_METRICS`,
    /// measured; checks that the sealed run holds `rows` rows.
    static func specimenRun(_ binary: String, _ specimen: String, rows: Int) throws -> ExportBenchmark.Measurement {
        defer { try? FileManager.default.removeItem(atPath: specimen) }
        try FileManager.default.createDirectory(atPath: specimen, withIntermediateDirectories: true)
        try Data("exec cat \"$LONGRUN_LINES\" >> \"$SPECIMEN_METRICS\"\n".utf8).write(to: URL(fileURLWithPath: specimen + "/protocol.sh"))
        let measured = try measure(binary, ["run", specimen])
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: specimen + "/runs")) ?? []
        let sealedRows = runs.first.flatMap { try? Specimen(at: specimen).readMetrics(run: RunID($0)).rowCount } ?? -1
        guard sealedRows == rows else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "\(binary) run sealed \(sealedRows) rows, not \(rows)"])
        }
        return measured
    }

    /// Writes `rows` JSON lines of `metrics` numbers each to `path`, once.
    static func generateLines(_ path: String, rows: Int, metrics: Int) throws {
        if FileManager.default.fileExists(atPath: path) { return }
        FileHandle.standardError.write(Data("longrun: generating \(path) (once)…\n".utf8))
        let partial = path + ".partial"
        guard let file = fopen(partial, "w") else { throw CocoaError(.fileWriteUnknown) }
        var line = ""
        for row in 0 ..< rows {
            line.removeAll(keepingCapacity: true)
            line += "{\"step\": \(row)"
            let x = Double(row % 100_000) * 1e-3
            for k in 0 ..< metrics { line += ", \"metric_\(k)\": \(x + Double(k) * 0.5)" }
            line += "}\n"
            fputs(line, file)
        }
        fclose(file)
        rename(partial, path)
    }

    // MARK: Measuring a child

    /// Runs `executable arguments…` (output to /dev/null), polling its `VmHWM` until it exits.
    static func measure(_ executable: String, _ arguments: [String]) throws -> ExportBenchmark.Measurement {
        try ExportBenchmark.measure(executable, arguments)
    }

    /// `bytes` written as sealing from memory wrote `metrics.parquet`: to a temporary file
    /// beside `path`, synced, renamed into place, the folder synced; then hashed (SHA-256).
    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            guard count > 0 else { close(fd); throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
            done += count
        }
        fsync(fd)
        close(fd)
        rename(temporary, path)
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
        if folder >= 0 { fsync(folder); close(folder) }
        _ = SHA256.hash(data: bytes)
    }
}
