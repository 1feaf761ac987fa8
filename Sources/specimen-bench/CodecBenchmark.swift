import Foundation
import Parquet

/// Page codecs, ours against cramjam (Rust's snap, zstd, lz4 and flate2 crates) on the same
/// bytes in the same run: about 8 MB each of a random walk of doubles and of repeated strings,
/// the two shapes metric pages have, and (SNAPPY and LZ4_RAW only) of PLAIN 64-bit steps, the
/// shape of step and time columns.
///
/// Figures are MB/s of uncompressed bytes, from the median **CPU time** of the calling thread
/// (`CLOCK_THREAD_CPUTIME_ID`, Python's `time.thread_time`) over 7 runs after a warm-up, so
/// other work on a shared machine does not skew the ratio. The peer compresses and decompresses
/// into preallocated buffers (`*_into`), as ours does (SNAPPY compresses into a buffer kept
/// across calls, as the writer does page after page; the other codecs append to an array with
/// room reserved).
enum CodecBenchmark {
    /// The codecs measured, with cramjam's name for each.
    static let codecs: [(codec: CompressionCodec, peer: String)] = [
        (.snappy, "snappy"), (.lz4Raw, "lz4_raw"), (.zstd, "zstd"), (.gzip, "gzip"),
    ]

    static func run() throws {
        let size = 8 << 20
        let datasets: [(String, [UInt8], Set<CompressionCodec>?)] = [
            ("doubles", doubles(count: size), nil), ("strings", strings(count: size), nil), ("steps", steps(count: size), [.snappy, .lz4Raw]),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specimen-bench-codecs-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        for (name, data, only) in datasets {
            let path = folder.appendingPathComponent(name).path
            try Data(data).write(to: URL(fileURLWithPath: path))
            for (codec, peerName) in codecs where Codecs.isAvailable(codec) && only.map({ $0.contains(codec) }) ?? true {
                var compressed: [UInt8] = []
                let compressTime: Double
                if let capacity = Codecs.inPlaceCapacity(codec, data.count) {
                    var buffer = [UInt8](repeating: 0, count: capacity)
                    var written = 0
                    compressTime = try measureCPU {
                        written = try data.withUnsafeBytes { input in
                            try buffer.withUnsafeMutableBytes { try Codecs.compress(codec, input, into: $0) }
                        }
                    }
                    compressed = Array(buffer[..<written])
                } else {
                    compressed.reserveCapacity(data.count + data.count / 4 + 1024)
                    compressTime = try measureCPU {
                        compressed.removeAll(keepingCapacity: true)
                        try data.withUnsafeBytes { try Codecs.compress(codec, $0, into: &compressed) }
                    }
                }
                var restored = [UInt8](repeating: 0, count: data.count)
                let decompressTime = try measureCPU {
                    try compressed.withUnsafeBytes { input in
                        try restored.withUnsafeMutableBytes { try Codecs.decompress(codec, input, into: $0) }
                    }
                }
                guard restored == data else {
                    throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "\(codec) did not round-trip"])
                }
                let peer = peerFigures(codec: peerName, path: path)
                let label = "\(codec) \(name) \(data.count >> 20) MB"
                Harness.report(label + " compress", ours: compressTime, peer: peer?.compress, peerName: "cramjam", unit: .milliseconds)
                Harness.report(label + " decompress", ours: decompressTime, peer: peer?.decompress, peerName: "cramjam", unit: .milliseconds)
                let mb = Double(data.count) / 1e6
                var line = Harness.pad("  MB/s, size", 34)
                line += String(format: "ours %.0f / %.0f MB/s, %.1f%%", mb / compressTime, mb / decompressTime, 100 * Double(compressed.count) / Double(data.count))
                if let peer {
                    line += String(format: "   cramjam %.0f / %.0f MB/s, %.1f%%", mb / peer.compress, mb / peer.decompress, 100 * Double(peer.size) / Double(data.count))
                }
                print(line)
            }
        }
    }

    /// The median CPU seconds of the calling thread for one call of `body`, over 7 calls after
    /// a warm-up.
    static func measureCPU(_ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        try body()
        var samples: [Double] = []
        for _ in 0 ..< 7 {
            let start = now()
            try body()
            samples.append(now() - start)
        }
        return samples.sorted()[3]
    }

    /// Little-endian doubles of a random walk with three decimals of noise, like a loss curve.
    static func doubles(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var value = 1.0
        while bytes.count + 8 <= count {
            value += Double(Int.random(in: -1000 ... 1000, using: &generator)) / 1e6
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
        }
        return bytes
    }

    /// PLAIN int64 steps counting up from 1,000,000, the shape of step and time columns.
    static func steps(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var step: Int64 = 1_000_000
        while bytes.count + 8 <= count {
            withUnsafeBytes(of: step.littleEndian) { bytes += $0 }
            step += 1
        }
        return bytes
    }

    /// A PLAIN-encoded string column: length-prefixed values drawn from a few dozen tags.
    static func strings(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let words = (0 ..< 40).map { Array("run-2024-12-\($0 % 28 + 1)/host\($0 % 7)/gpu:\($0 % 8)".utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 64)
        while bytes.count < count {
            let word = words[Int.random(in: 0 ..< words.count, using: &generator)]
            withUnsafeBytes(of: UInt32(word.count).littleEndian) { bytes += $0 }
            bytes += word
        }
        return Array(bytes.prefix(count))
    }

    /// cramjam's median seconds to compress and decompress the file at `path`, and its size.
    static func peerFigures(codec: String, path: String) -> (compress: Double, decompress: Double, size: Int)? {
        let code = """
            import sys, time, cramjam
            codec, path = sys.argv[1], sys.argv[2]
            data = open(path, "rb").read()
            n = len(data)
            def median(f):
                f()
                samples = []
                for _ in range(7):
                    start = time.thread_time(); f(); samples.append(time.thread_time() - start)
                return sorted(samples)[3]
            if codec == "snappy":
                m = cramjam.snappy
                c = bytes(m.compress_raw(data))
                cbuf = bytearray(m.compress_raw_max_len(data)); out = bytearray(n)
                ct = median(lambda: m.compress_raw_into(data, cbuf))
                dt = median(lambda: m.decompress_raw_into(c, out))
            elif codec == "lz4_raw":
                m = cramjam.lz4
                c = bytes(m.compress_block(data, store_size=False))
                cbuf = bytearray(m.compress_block_bound(data)); out = bytearray(n)
                ct = median(lambda: m.compress_block_into(data, cbuf, store_size=False))
                dt = median(lambda: m.decompress_block_into(c, out))
            else:
                m = getattr(cramjam, codec)
                level = 3 if codec == "zstd" else 6
                c = bytes(m.compress(data, level=level))
                cbuf = bytearray(n + n // 2 + 4096); out = bytearray(n)
                ct = median(lambda: m.compress_into(data, cbuf, level=level))
                dt = median(lambda: m.decompress_into(c, out))
            print(ct, dt, len(c))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.python)
        process.arguments = ["-c", code, codec, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch {
            FileHandle.standardError.write(Data("cramjam peer could not start (\(error)); run scripts/python-env first\n".utf8))
            return nil
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: output, as: UTF8.self).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard process.terminationStatus == 0, fields.count == 3,
              let compress = Double(fields[0]), let decompress = Double(fields[1]), let size = Int(fields[2]) else {
            FileHandle.standardError.write(Data("cramjam peer failed for \(codec)\n".utf8))
            return nil
        }
        return (compress, decompress, size)
    }
}
