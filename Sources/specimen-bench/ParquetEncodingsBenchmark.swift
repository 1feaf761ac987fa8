import Foundation
import Parquet

/// The `parquet-encodings` area: the 1,000,000-row metrics table written with ZSTD using PLAIN
/// and using DELTA_BINARY_PACKED (integers, times) + BYTE_STREAM_SPLIT (doubles), with v1 and
/// v2 pages: file sizes, and reads by us, pyarrow and polars of the same files in the same run.
enum ParquetEncodingsBenchmark {
    static func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-encodings-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try ParquetBenchmark.metricsTable(rows: ParquetBenchmark.rows)
        let variants: [(name: String, integers: Encoding, floats: Encoding, pageVersion: Int)] = [
            ("plain", .plain, .plain, 1),
            ("delta+bss", .deltaBinaryPacked, .byteStreamSplit, 1),
            ("delta+bss v2", .deltaBinaryPacked, .byteStreamSplit, 2),
        ]
        var files: [(name: String, path: String, ours: Double)] = []
        var plainSize = 0
        print("1,000,000 rows × 11 columns, ZSTD")
        for variant in variants {
            var options = ParquetWriter.Options()
            options.codec = .zstd
            options.integerEncoding = variant.integers
            options.floatingEncoding = variant.floats
            options.dataPageVersion = variant.pageVersion
            let path = folder.appendingPathComponent(variant.name.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "+", with: "_") + ".parquet").path
            try ParquetWriter.write(table, to: path, options: options)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            if variant.name == "plain" { plainSize = size }
            // Per kind of column: what the encodings buy on integers and times vs on doubles.
            var integerBytes = 0, doubleBytes = 0
            for group in try ParquetReader(path: path).metadata.rowGroups {
                for chunk in group.columns {
                    guard let metadata = chunk.metaData else { continue }
                    if metadata.type == .int64 { integerBytes += Int(metadata.totalCompressedSize) }
                    if metadata.type == .double { doubleBytes += Int(metadata.totalCompressedSize) }
                }
            }
            print(Harness.pad("  \(variant.name)", 18) + String(format: "%7.2f MB  (%.2f× smaller than PLAIN)   step+time %6.1f KB, 8 doubles %5.2f MB",
                                                             Double(size) / 1e6, Double(plainSize) / Double(size), Double(integerBytes) / 1e3, Double(doubleBytes) / 1e6))
            let read = try Harness.measure { _ = try ParquetReader(path: path).read() }
            files.append((variant.name, path, read))
        }
        let output = Harness.runPeer("parquet_encodings_peer.py", files.map(\.path))
        let peer = output.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: [String: Double]] }
        for file in files {
            Harness.report("read \(file.name)", ours: file.ours, peer: peer?[file.path]?["pyarrow"], peerName: "pyarrow", unit: .milliseconds)
            Harness.report("read \(file.name)", ours: file.ours, peer: peer?[file.path]?["polars"], peerName: "polars", unit: .milliseconds)
        }
    }
}
