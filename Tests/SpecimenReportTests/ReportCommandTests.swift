import Foundation
import InteropSupport
import Testing

/// `specimen report` as a user runs it: output, status and messages (no browser).
@Suite("specimen report on the command line")
struct ReportCommandTests {
    @Test("-o - writes the page to standard output and the counts to standard error")
    func standardOutput() throws {
        let fixtures = try ReportFixtures()
        _ = try fixtures.values()
        let result = try CLIBinary.run(["report", "values", "--root", fixtures.root.path, "-o", "-", "--x", "elapsed"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("<!DOCTYPE html>") && result.stdoutText.hasSuffix("</html>\n"))
        #expect(result.stdoutText.contains("\"axis\":\"elapsed\""))
        #expect(result.stderrText == "values: 2 runs, 3 metrics charted, 2 listed\n")
    }

    @Test("--where, --sort and --limit draw only the selected runs, as on runs, view, compare and export")
    func selection() throws {
        let fixtures = try ReportFixtures()
        _ = try fixtures.values()
        let all = try CLIBinary.run(["report", "values", "--root", fixtures.root.path, "-o", "-"])
        #expect(all.status == 0 && all.stderrText.hasPrefix("values: 2 runs"), "\(all.stderrText)")
        let one = try CLIBinary.run(["report", "values", "--root", fixtures.root.path, "-o", "-", "--sort", "id:desc", "--limit", "1"])
        #expect(one.status == 0 && one.stderrText.hasPrefix("values: 1 run,"), "\(one.stderrText)")
        let rows = one.stdoutText.components(separatedBy: "<tr data-run=").count - 1
        #expect(rows == 1)
        let none = try CLIBinary.run(["report", "values", "--root", fixtures.root.path, "-o", "-", "--where", "rows < 0"])
        #expect(none.status == 0 && none.stderrText.hasPrefix("values: 0 runs"), "\(none.stderrText)")
        let malformed = try CLIBinary.run(["report", "values", "--root", fixtures.root.path, "-o", "-", "--where", "rows >"])
        #expect(malformed.status == 64 && malformed.stderrText.contains("^"), "\(malformed.stderrText)")
    }

    @Test("usage errors name the flag and the fix, with status 64", arguments: [
        (["report"], "name a specimen"),
        (["report", "--all"], "--all writes a folder of pages: give it with -o FOLDER"),
        (["report", "x", "--all", "-o", "site"], "drop the specimen name x or --all"),
        (["report", "x", "--x", "wall"], "--x wall is not an axis: use step, time or elapsed"),
        (["report", "--all", "-o", "site", "--where", "rows > 1"], "--where, --sort and --limit select runs of one specimen"),
    ])
    func usage(arguments: [String], message: String) throws {
        let result = try CLIBinary.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderrText.contains(message), "\(result.stderrText)")
    }

    @Test("a missing specimen, an empty root or an unwritable output is an error that says what to do, with status 1")
    func failures() throws {
        let folder = try TemporaryFolder()
        let missing = try CLIBinary.run(["report", "nothing", "--root", folder.path])
        #expect(missing.status == 1)
        #expect(missing.stderrText.hasPrefix("specimen: no specimen at ") && missing.stderrText.contains("specimen new"))
        let empty = try CLIBinary.run(["report", "--all", "--root", folder.path, "-o", folder.file("site")])
        #expect(empty.status == 1)
        #expect(empty.stderrText.contains("no specimens in \(folder.path)") && empty.stderrText.contains("--root"))
        let fixtures = try ReportFixtures()
        _ = try fixtures.single()
        let unwritable = try CLIBinary.run(["report", "single", "--root", fixtures.root.path, "-o", folder.file("no/such/folder/r.html")])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderrText.contains("cannot write the report") && unwritable.stderrText.contains("no/such/folder/r.html")
                && unwritable.stderrText.contains("-o"), "\(unwritable.stderrText)")
    }
}
