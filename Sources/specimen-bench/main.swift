import Foundation

// specimen-bench: release-built benchmarks, each area measuring ours beside its peer.
// Usage: swift run -c release specimen-bench [area ...]   (no area: all of them)
// Run from the repository root after scripts/python-env, so the Python peers can start.

/// The benchmark areas by name, in the order `all` runs them.
let areas: [(name: String, run: () throws -> Void)] = [
    ("parquet", ParquetBenchmark.run),
    ("parquet-encodings", ParquetEncodingsBenchmark.run),
    ("codecs", CodecBenchmark.run),
    ("msgpack", MessagePackBenchmark.run),
    ("store", StoreBenchmark.run),
    ("migrate", MigrateBenchmark.run),
    ("cli", CLIBenchmark.run),
    ("runs", RunsBenchmark.run),
    ("report", ReportBenchmark.run),
    ("follow", FollowBenchmark.run),
    ("ingest", IngestBenchmark.run),
    ("export", ExportBenchmark.run),
    ("longrun", LongRunBenchmark.run),
    ("s3", S3Benchmark.run),
]

// Area names come first; options after them (e.g. `--stream-child`) belong to the areas.
let requested = Array(CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("--") || $0 == "--help" })
if requested.contains("--help") || requested.contains("-h") {
    print("usage: specimen-bench [area ...]\nareas: " + areas.map(\.name).joined(separator: ", "))
    exit(0)
}
let unknown = requested.filter { name in !areas.contains { $0.name == name } }
if !unknown.isEmpty {
    FileHandle.standardError.write(Data("specimen-bench: unknown area \(unknown.joined(separator: ", ")); areas: \(areas.map(\.name).joined(separator: ", "))\n".utf8))
    exit(64)
}
for area in areas where requested.isEmpty || requested.contains(area.name) {
    print("== \(area.name)")
    do { try area.run() } catch {
        FileHandle.standardError.write(Data("specimen-bench: \(area.name) failed: \(error)\n".utf8))
        exit(1)
    }
}
