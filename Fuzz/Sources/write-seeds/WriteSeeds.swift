// Writes small Parquet files with our own ParquetWriter, as fuzzing seeds: `write-seeds OUTDIR`.
// Run by Fuzz/make_seeds.py (a plain build, no sanitizers). Every value comes from the row index.
import Parquet

@main
struct WriteSeeds {
    static func table(rows: Int) throws -> Table {
        let n = 0 ..< rows
        return try Table(columns: [
            Column(name: "step", int64s: n.map { Int64($0) }),
            Column(name: "epoch", int32s: n.map { $0 % 5 == 4 ? nil : Int32($0 / 7) }),
            Column(name: "loss", doubles: n.map { $0 % 6 == 5 ? nil : 1.0 / Double($0 + 1) }),
            Column(name: "lr", floats: n.map { Float($0) * 0.25 - 3 }),
            Column(name: "ok", bools: n.map { $0 % 4 == 3 ? nil : $0 % 3 == 0 }),
            Column(name: "host", strings: n.map { $0 % 9 == 8 ? nil : ["a", "", "host-1", "日本語", "🦀"][$0 % 5] }),
            Column(name: "blob", binaries: n.map { $0 % 7 == 6 ? nil : [UInt8](repeating: UInt8($0 & 0xff), count: $0 % 4) }),
            Column(name: "at", timestamps: n.map { $0 % 8 == 7 ? nil : 1_700_000_000_000_000 + Int64($0) * 1_000_003 }, unit: .microseconds),
            Column(name: "day", dates: n.map { Int32(19_000 + $0) }),
        ])
    }

    static func main() throws {
        let args = CommandLine.arguments
        guard args.count == 2 else { fatalError("usage: write-seeds OUTDIR") }
        let outdir = args[1]
        typealias Variant = (name: String, rows: Int, configure: (inout ParquetWriter.Options) -> Void)
        let variants: [Variant] = [
            ("swift-default", 40, { _ in }),
            ("swift-plain-none", 30, { $0.codec = .uncompressed; $0.dictionary = false }),
            ("swift-v2-zstd-delta", 40, { $0.dataPageVersion = 2; $0.codec = .zstd; $0.integerEncoding = .deltaBinaryPacked }),
            ("swift-gzip-bss-crc", 30, { $0.codec = .gzip; $0.floatingEncoding = .byteStreamSplit; $0.pageChecksums = true }),
            ("swift-pages-groups", 60, { $0.dataPageRowLimit = 7; $0.rowGroupRowLimit = 25; $0.keyValueMetadata = [("seed", "yes")] }),
        ]
        for variant in variants {
            var options = ParquetWriter.Options()
            variant.configure(&options)
            try ParquetWriter.write(table(rows: variant.rows), to: "\(outdir)/\(variant.name).parquet", options: options)
        }
    }
}
