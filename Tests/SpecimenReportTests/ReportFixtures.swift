import Dispatch
import Foundation
import InteropSupport
import MessagePack
import Specimens

/// The specimens the report tests draw, each written into a temporary folder of specimens
/// with the library (or, for the example, with the built `specimen` binary).
final class ReportFixtures: @unchecked Sendable {
    /// The folder of specimens.
    let root: TemporaryFolder
    /// Runs left open on purpose (running, crashed), kept alive until the fixture is released.
    private var open: [SpecimenStorage] = []

    init() throws { root = try TemporaryFolder() }

    /// The store's options for test runs: no git, no joining, nothing sealed at exit.
    static var options: SpecimenStorage.Options {
        var options = SpecimenStorage.Options()
        options.recordGit = false
        options.joinEnvironmentRun = false
        options.sealAtExit = false
        options.flushInterval = 3600
        return options
    }

    /// The path of specimen `name`.
    func path(_ name: String) -> String { root.path + "/" + name }

    /// Rows `0 ..< count` of `loss` (falling), `accuracy` (rising) and `lr`, one second apart.
    static func logCurve(_ storage: SpecimenStorage, rows: Int, scale: Double = 1, start: Date = Date(timeIntervalSince1970: 1_764_000_000)) throws {
        for step in 0 ..< rows {
            let x = Double(step)
            try storage.log(step: step, time: start.addingTimeInterval(x), pairs: [
                ("loss", .double(scale * exp(-x / 40) + 0.01 * sin(x))),
                ("accuracy", .double(1 - 0.5 * exp(-x / 30))),
            ])
        }
    }

    /// The example specimen (`examples/specimens/rosenbrock`), run three times by the built
    /// `specimen` binary as `scripts/demo` does.
    func example(binary: String) throws -> String {
        let target = path("rosenbrock")
        try FileManager.default.createDirectory(atPath: target + "/runs", withIntermediateDirectories: true)
        let source = Python.repositoryRoot.appendingPathComponent("examples/specimens/rosenbrock").path
        for file in ["protocol.py", "field_notes.md", "manifest.msgpack"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: target + "/" + file)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        // The protocol runs with the interpreter of the project's environment when there is one.
        let python = URL(fileURLWithPath: Python.interpreter).deletingLastPathComponent().path
        environment["PATH"] = python + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for params in [["step=0.001"], ["step=0.002"], ["step=0.001", "momentum=0.9"]] {
            let result = try ProcessResult.run(binary, ["run", "rosenbrock", "--root", root.path] + params.flatMap { ["--param", $0] },
                                               environment: environment)
            guard result.status == 0 else { throw BrowserFailure("specimen run failed: \(result.stderrText)") }
        }
        return target
    }

    /// Runs in every state: completed, failed, interrupted, crashed, running, one with 0 rows and
    /// one with 1 row; `legacy` gets its own specimen (results at its root, written by pandas).
    func lifecycle() throws -> String {
        let target = path("lifecycle")
        let options = Self.options
        let completed = try SpecimenStorage(at: target, params: ["lr": 0.1, "model": "small"], options: options)
        try Self.logCurve(completed, rows: 120)
        try completed.finish()
        let failed = try SpecimenStorage(at: target, params: ["lr": 0.5, "model": "small"], options: options)
        try Self.logCurve(failed, rows: 40, scale: 2)
        try failed.finish(status: .failed, exitCode: 3)
        let interrupted = try SpecimenStorage(at: target, params: ["lr": 0.05, "model": "small"], options: options)
        try Self.logCurve(interrupted, rows: 60, scale: 0.5)
        try interrupted.finish(status: .interrupted, signal: 2)
        let empty = try SpecimenStorage(at: target, params: ["lr": 0.2, "model": "small"], options: options)
        try empty.finish()
        let single = try SpecimenStorage(at: target, params: ["lr": 0.3, "model": "small"], options: options)
        try single.log(step: 0, ["loss": 0.75, "accuracy": 0.5])
        try single.finish()
        let crashed = try SpecimenStorage(at: target, params: ["lr": 0.01, "model": "small"], options: options)
        try Self.logCurve(crashed, rows: 30, scale: 1.5)
        try crashed.flush()
        try FileManager.default.removeItem(atPath: crashed.strataPath + "/.running")   // its writer "died"
        let running = try SpecimenStorage(at: target, params: ["lr": 0.02, "model": "small"], options: options)
        try Self.logCurve(running, rows: 25, scale: 1.2)
        try running.flush()
        open += [crashed, running]
        return target
    }

    /// A legacy specimen (format version 0), written by pandas/pyarrow and msgpack.
    func legacy() throws -> String {
        let target = path("legacy")
        try Python.run("migration_legacy.py", [target, "root"])
        return target
    }

    /// NaN, ±infinity and huge values; string and bool metrics; an integer metric.
    func values() throws -> String {
        let target = path("values")
        let storage = try SpecimenStorage(at: target, params: ["seed": 1], options: Self.options)
        let special: [Double] = [1, .nan, 3, .infinity, 2, -.infinity, 1e300, -1e300, .leastNonzeroMagnitude, 4]
        for (step, value) in special.enumerated() {
            try storage.log(step: step, ["odd": .double(value), "huge": .double(Double(step) * 1e307),
                                         "phase": .string(step < 5 ? "warmup" : "train"), "best": .bool(step % 3 == 0),
                                         "epoch": .int(Int64(step / 4))])
        }
        try storage.finish()
        try storage.newRun(params: ["seed": 2])
        for step in 0 ..< 5 {
            try storage.log(step: step, ["odd": .double(Double(step)), "huge": .double(-Double(step) * 1e307),
                                         "phase": "eval", "best": false, "epoch": .int(Int64(step))])
        }
        try storage.finish()
        return target
    }

    /// One run only.
    func single() throws -> String {
        let target = path("single")
        let storage = try SpecimenStorage(at: target, params: ["lr": 0.1, "optimizer": ["name": "adam", "beta": 0.9]], options: Self.options)
        try Self.logCurve(storage, rows: 200)
        try storage.finish()
        return target
    }

    /// `count` runs of `rows` rows, with a varying learning rate and depth, written by four
    /// writers at once (sealing is mostly waiting for fsync; run IDs are claimed exclusively,
    /// so concurrent writers are what the store is made for).
    func many(_ count: Int, rows: Int) throws -> String {
        let target = path("many")
        let writers = 4
        let failures = FailureBox()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                var storage: SpecimenStorage?
                for index in stride(from: writer, to: count, by: writers) {
                    let params: MessagePackValue = .map([
                        ("lr", .float64(0.001 * Double(index + 1))), ("depth", .int(Int64(2 + index % 5))), ("optimizer", "adam"),
                    ])
                    if let storage { try storage.newRun(params: params) } else { storage = try SpecimenStorage(at: target, params: params, options: Self.options) }
                    try Self.logCurve(storage!, rows: rows, scale: 1 + Double(index) / 100)
                }
                try storage?.finish()
            } catch {
                failures.add(error)
            }
        }
        if let error = failures.first { throw error }
        return target
    }

    /// The payloads a hostile specimen puts everywhere a string can go. Each, if it were ever
    /// parsed as markup or script, would set a `data-pwned…` attribute or load something.
    static let payloads = [
        "<script>document.documentElement.setAttribute('data-pwned-script','1')</script>",
        "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned-img','1')\">",
        "'><svg onload='document.documentElement.setAttribute(`data-pwned-svg`,1)'>",
        "</script><script>document.documentElement.setAttribute('data-pwned-json','1')</script>",
        "<!--<script>document.documentElement.setAttribute('data-pwned-comment','1')</script>-->",
        "line\u{2028}separator \u{2029} & &amp; \" ' ` \\u003c",
    ]

    /// Field notes with raw HTML, script, `javascript:`/`data:` links, an image and an
    /// attribute-breaking link.
    static let hostileNotes = """
        # Notes <script>document.documentElement.setAttribute('data-pwned-notes','1')</script>

        A [javascript link](javascript:document.documentElement.setAttribute('data-pwned-link','1')) and a
        [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and an
        [entity link](jav&#x61;script:alert(1)) and a [quote link](https://ok.example/" onmouseover="document.documentElement.setAttribute('data-pwned-quote','1')).
        A [fine link](https://example.com/docs).

        ![remote image](https://evil.example/pixel.png)

        <div onclick="document.documentElement.setAttribute('data-pwned-div','1')">raw html block</div>

        <iframe src="https://evil.example/frame"></iframe>

        Inline <img src=x onerror="document.documentElement.setAttribute('data-pwned-inline','1')"> html.

        ```
        </code></pre><script>document.documentElement.setAttribute('data-pwned-code','1')</script>
        ```
        """

    /// A specimen whose params, tags, notes, metric names, string metric values, output.log
    /// and field notes hold every payload.
    func hostile() throws -> String {
        let target = path("hostile")
        let payloads = Self.payloads
        var params: [(key: MessagePackValue, value: MessagePackValue)] = []
        for (index, payload) in payloads.enumerated() {
            params.append((.string("key\(index)" + payload), .string(payload)))
        }
        params.append(("nested", .map([(.string(payloads[0]), .string(payloads[1]))])))
        params.append(("lr", 0.1))
        let storage = try SpecimenStorage(at: target, params: .map(params), options: Self.options)
        try storage.setNotes(payloads.joined(separator: " | "))
        try storage.setTags(payloads)
        for step in 0 ..< 20 {
            var pairs: [(key: String, value: MetricValue)] = [("label", .string(payloads[step % payloads.count]))]
            for (index, payload) in payloads.enumerated() { pairs.append(("m\(index)" + payload, .double(Double(step * (index + 1))))) }
            try storage.log(step: step, time: nil, pairs: pairs)
        }
        try payloads.joined(separator: "\n").write(toFile: storage.strataPath + "/output.log", atomically: true, encoding: .utf8)
        try storage.finish()
        var second = params
        second[second.count - 1] = ("lr", 0.2)
        try storage.newRun(params: .map(second))
        for step in 0 ..< 10 {
            var pairs: [(key: String, value: MetricValue)] = [("label", .string(payloads[3]))]
            for (index, payload) in payloads.enumerated() { pairs.append(("m\(index)" + payload, .double(Double(step)))) }
            try storage.log(step: step, time: nil, pairs: pairs)
        }
        try storage.finish()
        try Self.hostileNotes.write(toFile: target + "/field_notes.md", atomically: true, encoding: .utf8)
        return target
    }
}

/// The first error thrown by any of several threads.
///
/// `@unchecked Sendable`: `errors` is only touched while holding `lock`.
final class FailureBox: @unchecked Sendable {
    private var errors: [any Error] = []
    private let lock = NSLock()
    func add(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    var first: (any Error)? { lock.lock(); defer { lock.unlock() }; return errors.first }
}
