import Foundation
import InteropSupport
import Testing

@Suite("specimen on a terminal")
struct TerminalOutputTests {
    /// Runs `specimen arguments…` under `script(1)`, so that stdout is a pseudo-terminal.
    private func onTerminal(_ arguments: [String], noColor: Bool) throws -> String {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "script(1) is needed to give specimen a terminal")
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = noColor ? "1" : nil
        environment["COLUMNS"] = "80"
        let command = ([CLI.binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let result = try ProcessResult.run(script, ["-qec", command, "/dev/null"], environment: environment)
        #expect(result.status == 0, "\(result.stdoutText)")
        return result.stdoutText.replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test func colourAndSparklinesOnlyOnATerminalAndNeverWithNoColor() throws {
        let fixture = try SpecimenFixture()
        try fixture.specimen("t", """
            import json, os
            with open(os.environ["SPECIMEN_METRICS"], "a") as f:
                for step in range(40):
                    f.write(json.dumps({"loss": 40 - step}) + "\\n")

            """)
        #expect(try fixture.run(["run", "t"]).status == 0)
        let arguments = ["view", "t", "--root", fixture.root]
        let coloured = try onTerminal(arguments, noColor: false)
        #expect(coloured.contains("\u{1B}[32mcompleted\u{1B}[0m"))
        #expect(coloured.contains("history"))
        #expect(coloured.contains("█") && coloured.contains("▁"))
        let plain = try onTerminal(arguments, noColor: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("completed"))
        #expect(plain.contains("█"))   // sparklines are not colour
        let piped = try fixture.run(["view", "t"])
        #expect(!piped.stdoutText.contains("\u{1B}[") && !piped.stdoutText.contains("history"))
        for line in coloured.split(separator: "\n") where !line.hasPrefix("folder") {
            #expect(line.replacingOccurrences(of: "\u{1B}[32m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "").count <= 80, "\(line)")
        }
    }
}
