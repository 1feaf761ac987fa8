#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InteropSupport
import Testing

/// `specimen view --follow` in a real terminal: tmux (Debian's package; `scripts/test`
/// installs it when missing), read back with `capture-pane`.
@Suite("view --follow on a terminal")
struct FollowTerminalTests {
    /// A tmux server of its own (its own socket), with one 60×30 window running `sh`.
    final class Tmux {
        static let binary = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let socket = "specimen-follow-\(getpid())-\(UInt32.random(in: 0 ... .max))"

        init() throws {
            let binary = try #require(Self.binary, "tmux is needed: scripts/test installs it (apt-get install tmux)")
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = nil
            environment["COLUMNS"] = nil
            environment["LINES"] = nil
            environment["LANG"] = "C.UTF-8"
            environment["LC_ALL"] = "C.UTF-8"
            environment["PS1"] = "$ "
            // The server outlives this command and would keep every descriptor it inherits
            // (Foundation's child-exit sockets among them, so other tests' waits would never
            // end): started through Python's subprocess, which closes all but 0, 1 and 2.
            let starter = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, "
                + "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)"
            let result = try ProcessResult.run("/usr/bin/env", ["python3", "-c", starter, binary, "-u", "-L", socket, "-f", "/dev/null",
                                                                "new-session", "-d", "-x", "60", "-y", "30", "sh"], environment: environment)
            try #require(result.status == 0, "tmux new-session failed: \(result.stderrText)")
        }

        deinit { _ = try? tmux(["kill-server"]) }

        /// A tmux command to the server (which is running: these never start one).
        @discardableResult
        func tmux(_ arguments: [String]) throws -> String {
            let result = try ProcessResult.run(Self.binary ?? "tmux", ["-u", "-L", socket] + arguments)
            if result.status != 0 { throw FixtureError("tmux \(arguments.joined(separator: " ")) failed: \(result.stderrText)") }
            return result.stdoutText
        }

        /// Lines scrolled off the top into the history so far.
        func historySize() throws -> Int? {
            Int(try tmux(["display-message", "-p", "#{history_size}"]).trimmingCharacters(in: .whitespacesAndNewlines))
        }

        /// Types `text` and Enter.
        func type(_ text: String) throws { try tmux(["send-keys", "-l", text]); try tmux(["send-keys", "Enter"]) }

        /// The visible screen; with `escapes`, its colours and attributes as escape sequences.
        func screen(escapes: Bool = false) throws -> String {
            try tmux(["capture-pane", "-p", "-J"] + (escapes ? ["-e"] : []))
        }

        /// The screen once `condition` holds (polled; fails after 60 s).
        func screen(until condition: (String) -> Bool, escapes: Bool = false) throws -> String {
            let deadline = Date().addingTimeInterval(60)
            while true {
                let text = try screen(escapes: escapes)
                if condition(text) { return text }
                if Date() > deadline { throw FixtureError("the terminal never showed what was expected:\n\(text)") }
                usleep(50_000)
            }
        }
    }

    static func rows(_ screen: String) -> Int? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains(" rows") }) else { return nil }
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(of: "rows"), index > 0 else { return nil }
        return Int(words[index - 1])
    }

    @Test(arguments: [false, true])
    func redrawsInPlaceAndRestoresTheScreen(noColor: Bool) throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("live", FollowTests.steadyProtocol(pause: 0.05, limit: 100_000))
        let running = try fixture.start(["run", "live"])
        defer {
            _ = FileManager.default.createFile(atPath: "\(fixture.root)/live/stop", contents: nil)
            running.waitUntilExit()
        }
        try fixture.waitFor("\(fixture.root)/live/pid")
        let terminal = try Tmux()
        try terminal.type("clear; echo BEFORE-FOLLOW")
        _ = try terminal.screen { $0.contains("BEFORE-FOLLOW\n") }
        let historyBefore = try terminal.historySize()
        let colour = noColor ? "NO_COLOR=1" : "env -u NO_COLOR"
        try terminal.type("\(colour) '\(CLI.binary)' view live --follow --interval 0.2 --root '\(fixture.root)'; echo AFTER-FOLLOW")

        // Frames follow one another in place: the row count grows, the title is always on the
        // first line and shown once, nothing scrolled into the history.
        let first = try terminal.screen { Self.rows($0) != nil && $0.contains("loss") }
        let firstRows = try #require(Self.rows(first))
        let later = try terminal.screen { (Self.rows($0) ?? 0) > firstRows + 5 }
        for frame in [first, later] {
            let lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first?.hasPrefix("live  ") == true, "\(frame)")
            #expect(lines.filter { $0.hasPrefix("live  ") }.count == 1, "\(frame)")
            #expect(!frame.contains("BEFORE-FOLLOW"), "the view is not on its own screen:\n\(frame)")
            #expect(lines.allSatisfy { $0.count <= 60 }, "a line is wider than the 60 columns:\n\(frame)")
            #expect(frame.contains("running"))
            #expect(frame.contains { "▁▂▃▄▅▆▇█".contains($0) }, "no sparkline:\n\(frame)")
        }
        #expect(try terminal.historySize() == historyBefore, "frames scrolled into the history")
        let styled = try terminal.screen(escapes: true)
        if noColor {
            #expect(!styled.contains("\u{1B}["), "colour despite NO_COLOR:\n\(styled.debugDescription)")
        } else {
            #expect(styled.contains("\u{1B}[36m"), "running is not cyan:\n\(styled.debugDescription)")
        }

        // Ctrl-C ends it and the terminal is as it was, the shell going on.
        try terminal.tmux(["send-keys", "C-c"])
        let after = try terminal.screen { $0.contains("AFTER-FOLLOW") }
        #expect(after.contains("BEFORE-FOLLOW"), "the screen was not restored:\n\(after)")
        #expect(!after.contains("Ctrl-C ends") && !after.contains("loss"), "the view was left on the screen:\n\(after)")
        try terminal.type("echo STILL-HERE")
        _ = try terminal.screen { $0.contains("STILL-HERE\n") }
    }
}
