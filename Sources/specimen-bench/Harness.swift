import Foundation

/// Shared machinery of the benchmark areas: timing, the Python peer, and the report lines.
///
/// Each area measures ours and the peer on the same data in the same run, prints both figures
/// and their ratio. Times are the median of several repetitions after a warm-up.
enum Harness {
    /// Calls `body` `iterations` times per repetition and returns the median seconds per call.
    static func measure(iterations: Int = 1, repetitions: Int = 5, _ body: () throws -> Void) rethrows -> Double {
        try body()  // warm-up
        var samples: [Double] = []
        for _ in 0 ..< repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< iterations { try body() }
            let end = DispatchTime.now().uptimeNanoseconds
            samples.append(Double(end - start) / 1e9 / Double(iterations))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Times `first` and `second` in turn (warm-up, then `repetitions` alternating calls) and
    /// returns the median seconds of each, so that both see the same state of a shared machine.
    static func measurePair(repetitions: Int = 7, _ first: () throws -> Void, _ second: () throws -> Void) rethrows -> (Double, Double) {
        try first()
        try second()
        var a: [Double] = [], b: [Double] = []
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        for _ in 0 ..< repetitions {
            a.append(try time(first))
            b.append(try time(second))
        }
        a.sort()
        b.sort()
        return (a[a.count / 2], b[b.count / 2])
    }

    /// The Python interpreter of the project's environment (`scripts/python-env` creates it).
    static var python: String {
        if let path = ProcessInfo.processInfo.environment["SPECIMEN_PYTHON"], !path.isEmpty { return path }
        return FileManager.default.currentDirectoryPath + "/.venv/bin/python"
    }

    /// Runs `benchmarks/peers/<script>` and returns its standard output, or nil (with a note on
    /// stderr) when the peer cannot run.
    static func runPeer(_ script: String, _ arguments: [String]) -> String? {
        let path = FileManager.default.currentDirectoryPath + "/benchmarks/peers/" + script
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [path] + arguments
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch {
            FileHandle.standardError.write(Data("peer \(script) could not start (\(error)); run scripts/python-env first\n".utf8))
            return nil
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            FileHandle.standardError.write(Data("peer \(script) exited with \(process.terminationStatus)\n".utf8))
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints one comparison line: our figure, the peer's, and how many times faster we are.
    static func report(_ label: String, ours: Double, peer: Double?, peerName: String, unit: Unit = .microseconds) {
        let oursText = unit.format(ours)
        guard let peer else {
            print(pad(label, 34) + pad("ours " + oursText, 22) + "\(peerName): n/a")
            return
        }
        let ratio = peer / ours
        print(pad(label, 34) + pad("ours " + oursText, 22) + pad("\(peerName) " + unit.format(peer), 26)
              + String(format: "%.2f× %@", ratio >= 1 ? ratio : 1 / ratio, ratio >= 1 ? "faster" : "slower"))
    }

    /// A unit for printing durations.
    enum Unit {
        case nanoseconds, microseconds, milliseconds

        func format(_ seconds: Double) -> String {
            switch self {
            case .nanoseconds: String(format: "%.1f ns", seconds * 1e9)
            case .microseconds: String(format: "%.2f µs", seconds * 1e6)
            case .milliseconds: String(format: "%.1f ms", seconds * 1e3)
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
