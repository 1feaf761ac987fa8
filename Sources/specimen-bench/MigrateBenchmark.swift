import Foundation
import MessagePack
import Parquet
import Specimens

/// Migration of legacy specimens beside the floor of copying the same bytes, in the same run:
///
/// - 1,000 legacy specimens of 10,000 rows each, shaped like pandas `to_parquet` output (int64
///   step, float64 loss with NaN, float32, a string, a bool, a UTC timestamp, a named index
///   column after the data, `pandas` and `ARROW:schema` key-value entries) with a msgpack
///   manifest and a small extra file; generated once with our own writers into
///   `$TMPDIR/specimen-bench-migrate/template` and reused by later runs;
/// - ours: `SpecimenMigrator.migrate(paths)` (a few specimens at a time, as the CLI does) on a
///   fresh copy (the copy is not timed), and the same one specimen at a time;
/// - floor: a plain copy of every legacy file (read + write), and the same with an fsync per
///   file, since migration makes every file durable before removing anything.
enum MigrateBenchmark {
    static let specimens = 1_000
    static let rows = 10_000

    static func run() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-migrate").path
        let template = base + "/template"
        try generate(template)
        let files = (FileManager.default.enumerator(atPath: template)?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: template + "/" + $0, isDirectory: &isFolder) && !isFolder.boolValue
        }
        let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: template + "/" + $1)[.size] as? Int) ?? 0) }
        print("  \(specimens) legacy specimens × \(rows) rows, \(files.count) files, \(bytes / 1_048_576) MiB")

        var ours: [Double] = [], serial: [Double] = [], plain: [Double] = [], synced: [Double] = []
        for repetition in 0 ..< 3 {
            let work = base + "/work-\(getpid())-\(repetition)"
            try? FileManager.default.removeItem(atPath: work)
            // Floors: copy every legacy file, without and with fsync.
            plain.append(try time { try copyAll(files, from: template, to: work + "-plain", sync: false) })
            synced.append(try time { try copyAll(files, from: template, to: work + "-sync", sync: true) })
            try? FileManager.default.removeItem(atPath: work + "-plain")
            // Ours, on a fresh copy (untimed).
            try FileManager.default.copyItem(atPath: template, toPath: work)
            var failures = 0
            ours.append(try time {
                let reports = SpecimenMigrator.migrate((0 ..< specimens).map { work + "/" + name($0) })
                failures = reports.filter { $0.outcome != .migrated }.count
            })
            // The same, one specimen at a time, on another fresh copy.
            try FileManager.default.copyItem(atPath: template, toPath: work + "-serial")
            serial.append(try time {
                for index in 0 ..< specimens where SpecimenMigrator.migrate(work + "-serial/" + name(index)).outcome != .migrated {
                    failures += 1
                }
            })
            if failures > 0 { FileHandle.standardError.write(Data("migrate: \(failures) specimens did not migrate\n".utf8)) }
            for folder in [work, work + "-sync", work + "-serial"] {
                _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "u+w", folder]).waitUntilExit()
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        Harness.report("migrate 1,000 specimens", ours: median(ours), peer: median(plain), peerName: "cp", unit: .milliseconds)
        Harness.report("migrate 1,000 specimens", ours: median(ours), peer: median(synced), peerName: "cp+fsync", unit: .milliseconds)
        Harness.report("  one at a time", ours: median(serial), peer: median(synced), peerName: "cp+fsync", unit: .milliseconds)
        Harness.report("  per specimen", ours: median(ours) / Double(specimens), peer: median(synced) / Double(specimens),
                       peerName: "cp+fsync", unit: .milliseconds)
    }

    static func name(_ index: Int) -> String { String(format: "legacy-%04d", index) }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func copyAll(_ files: [String], from source: String, to target: String, sync: Bool) throws {
        for relative in files {
            let destination = target + "/" + relative
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let data = try Data(contentsOf: URL(fileURLWithPath: source + "/" + relative))
            let fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
            data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
            if sync { fsync(fd) }
            close(fd)
        }
    }

    /// The legacy specimens, written once (a `.complete` marker says the set is whole).
    static func generate(_ template: String) throws {
        if FileManager.default.fileExists(atPath: template + "/.complete") { return }
        try? FileManager.default.removeItem(atPath: template)
        try FileManager.default.createDirectory(atPath: template, withIntermediateDirectories: true)
        let table = try frame()
        var options = ParquetWriter.Options()
        options.createdBy = "parquet-cpp-arrow version 26.0.1"
        options.keyValueMetadata = [
            ("pandas", pandasJSON),
            ("ARROW:schema", Data("not a real Arrow schema; dropped by migration".utf8).base64EncodedString()),
        ]
        let metrics = try ParquetWriter.encode(table, options: options)
        for index in 0 ..< specimens {
            let folder = template + "/" + name(index)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(metrics).write(to: URL(fileURLWithPath: folder + "/metrics.parquet"))
            let manifest: MessagePackValue = .map([
                ("name", .string(name(index))), ("run_timestamp", .string("2024-03-05T14:22:01")),
                ("params", .map([("lr", .float64(0.01)), ("seed", .int(Int64(index)))])), ("status", "done"),
            ])
            try Data(manifest.encoded()).write(to: URL(fileURLWithPath: folder + "/manifest.msgpack"))
            try Data("epoch,loss\n1,0.5\n".utf8).write(to: URL(fileURLWithPath: folder + "/summary.csv"))
            try Data("print('protocol')\n".utf8).write(to: URL(fileURLWithPath: folder + "/protocol.py"))
        }
        FileManager.default.createFile(atPath: template + "/.complete", contents: Data())
    }

    static func frame() throws -> Table {
        var step: [Int64?] = [], loss: [Double?] = [], acc: [Float?] = [], phase: [String?] = [], ok: [Bool?] = []
        var time: [Int64?] = [], index: [String?] = []
        for row in 0 ..< rows {
            step.append(Int64(row))
            loss.append(row % 97 == 0 ? .nan : 1.0 / Double(row + 1))
            acc.append(Float(row) / Float(rows))
            phase.append(row % 10 == 0 ? "eval" : "train")
            ok.append(row % 3 != 0)
            time.append(1_709_648_521_000_000 + Int64(row) * 1_000_000)
            index.append("r\(row)")
        }
        return try Table(columns: [
            Column(name: "step", int64s: step), Column(name: "loss", doubles: loss), Column(name: "acc", floats: acc),
            Column(name: "phase", strings: phase), Column(name: "ok", bools: ok),
            Column(name: "when", timestamps: time, unit: .microseconds, isAdjustedToUTC: true), Column(name: "row", strings: index),
        ])
    }

    static let pandasJSON = #"{"index_columns": ["row"], "column_indexes": [{"name": null, "field_name": null, "pandas_type": "unicode", "numpy_type": "object", "metadata": {"encoding": "UTF-8"}}], "columns": [{"name": "step", "field_name": "step", "pandas_type": "int64", "numpy_type": "int64", "metadata": null}, {"name": "loss", "field_name": "loss", "pandas_type": "float64", "numpy_type": "float64", "metadata": null}, {"name": "acc", "field_name": "acc", "pandas_type": "float32", "numpy_type": "float32", "metadata": null}, {"name": "phase", "field_name": "phase", "pandas_type": "unicode", "numpy_type": "object", "metadata": null}, {"name": "ok", "field_name": "ok", "pandas_type": "bool", "numpy_type": "bool", "metadata": null}, {"name": "when", "field_name": "when", "pandas_type": "datetimetz", "numpy_type": "datetime64[us]", "metadata": {"timezone": "UTC"}}, {"name": "row", "field_name": "row", "pandas_type": "unicode", "numpy_type": "object", "metadata": null}], "creator": {"library": "pyarrow", "version": "26.0.1"}, "pandas_version": "3.1.1"}"#
}
