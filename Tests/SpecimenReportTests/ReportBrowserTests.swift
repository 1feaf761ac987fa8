import Foundation
import InteropSupport
import Specimens
import Testing
@testable import SpecimenReport

/// Every kind of report page loaded in headless Chromium: the test-facing structure read from
/// the DOM after scripts ran, no console message, no network request, no foreign script.
/// Chromium is heavy on a shared machine, so pages load one at a time.
@Suite("Report pages in headless Chromium", .serialized)
struct ReportBrowserTests {
    /// Renders `specimen` with the library into `folder/<name>.html`.
    static func render(_ specimen: String, into folder: TemporaryFolder, options: ReportOptions = .init()) throws -> (path: String, page: ReportPage) {
        let opened = try Specimen(at: specimen)
        let page = try SpecimenReport(specimen: opened, options: options).render()
        let path = folder.file(opened.name + ".html")
        try page.write(to: path)
        return (path, page)
    }

    /// What every page must satisfy: our script ran, nothing else did, nothing was fetched.
    static func expectSafe(_ outcome: Chromium.Outcome, hostile: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let dom = outcome.dom
        #expect(dom.ready, "the page's script did not finish; console: \(outcome.console)", sourceLocation: sourceLocation)
        #expect(outcome.console.isEmpty, "console messages: \(outcome.console)", sourceLocation: sourceLocation)
        #expect(outcome.requests.isEmpty, "network requests: \(outcome.requests)", sourceLocation: sourceLocation)
        #expect(dom.scripts.map(\.type) == ["application/json", ""], "scripts: \(dom.scripts)", sourceLocation: sourceLocation)
        #expect(dom.pwned.isEmpty, "a payload ran: \(dom.pwned)", sourceLocation: sourceLocation)
        #expect(dom.event_attributes.isEmpty, "event handler attributes: \(dom.event_attributes)", sourceLocation: sourceLocation)
        #expect(dom.loading_elements.isEmpty, "elements that load things: \(dom.loading_elements)", sourceLocation: sourceLocation)
        #expect(dom.styles_with_url == 0, sourceLocation: sourceLocation)
        for url in dom.urls {
            let fragment = url.value.hasPrefix("#")
            let link = url.tag == "a" && url.attribute == "href" && (url.value.hasPrefix("https://") || url.value.hasPrefix("http://"))
            #expect(fragment || (hostile && link), "a URL in the page: \(url.tag) \(url.attribute)=\(url.value)", sourceLocation: sourceLocation)
        }
        if !hostile {
            // No external URL anywhere in the source: not in the style, the script, the SVG.
            #expect(!outcome.source.contains("http://") && !outcome.source.contains("https://"), sourceLocation: sourceLocation)
        }
        let csp = outcome.source.range(of: "Content-Security-Policy")
        #expect(csp != nil && csp!.lowerBound < outcome.source.range(of: "<body")!.lowerBound, sourceLocation: sourceLocation)
    }

    @Test("the example specimen (three runs made by `specimen run`), written by `specimen report`")
    func example() throws {
        let fixtures = try ReportFixtures()
        _ = try fixtures.example(binary: CLIBinary.path)
        let out = try TemporaryFolder()
        let result = try CLIBinary.run(["report", "rosenbrock", "--root", fixtures.root.path], in: out.path)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "rosenbrock-report.html: 3 runs, 5 metrics charted\n")
        let outcome = try Chromium.load(out.file("rosenbrock-report.html"), screenshot: "example")
        Self.expectSafe(outcome)
        let runs = try Specimen(at: fixtures.path("rosenbrock")).listRuns().map(\.rawValue)
        #expect(outcome.dom.chart_order == ["loss", "distance", "grad_norm", "x", "y"])
        for metric in outcome.dom.chart_order { #expect(outcome.dom.charts[metric] == runs, "chart \(metric)") }
        #expect(outcome.dom.params_rows == runs)
        #expect(outcome.dom.details == runs)
        #expect(outcome.dom.legend.map(\.run) == runs)
        #expect(outcome.dom.title == "rosenbrock — specimen report")
        #expect(outcome.dom.text.contains("How far does plain gradient descent get"))   // field notes, rendered
        #expect(outcome.dom.pc == ["loss", "distance", "grad_norm", "x", "y"])
        #expect(outcome.dom.dashed.isEmpty)
        // x can be negative: its log toggle is disabled, the others are not.
        #expect(outcome.dom.log_checkboxes == [false, false, false, true, false])
        #expect(outcome.dom.rawlines == 0 && outcome.dom.empty_paths.isEmpty)

        // The script's redraws, driven by a linked view: a hidden run, smoothing (raw lines
        // kept faint), a zoom on the first 5% of the steps, log scale on loss. (Zoomed on
        // elapsed time instead, the window can hold every row: `specimen run` stamps rows with
        // their arrival time, and the example's rows arrive in a few batches.)
        let view = try Chromium.load(out.file("rosenbrock-report.html"), fragment: "x=step&smooth=0.6&hide=\(runs[0])&zoom=0,0.05&log=loss",
                                     screenshot: "example-view")
        Self.expectSafe(view)
        #expect(view.dom.charts == outcome.dom.charts, "redrawing keeps one element per run")
        for metric in view.dom.chart_order { #expect(view.dom.empty_paths[metric] == [runs[0]], "hidden run in \(metric)") }
        #expect(view.dom.rawlines == 2 * 5, "a faint raw line per visible run and chart")
        #expect(view.dom.legend.map(\.pressed) == ["false", "true", "true"])
        #expect(view.dom.text.contains("zoomed: double-click to reset"))
        // Log scale: every y tick of loss is 1, 2 or 5 × 10^k (a linear axis would have 0).
        let logTicks = view.dom.y_ticks["loss"] ?? []
        #expect(logTicks.count >= 2 && logTicks.allSatisfy { Double($0).map { $0 > 0 && AxisTicksTests.isNice($0) } ?? false }, "\(logTicks)")
        #expect(outcome.dom.y_ticks["loss"]?.first == "0")
        #expect(view.dom.y_ticks["distance"] != outcome.dom.y_ticks["distance"], "zoomed and smoothed: new y ticks")
        // Elapsed time on x: redrawn with one element per run, nothing unsafe.
        let elapsed = try Chromium.load(out.file("rosenbrock-report.html"), fragment: "x=elapsed", screenshot: "example-elapsed")
        Self.expectSafe(elapsed)
        #expect(elapsed.dom.charts == outcome.dom.charts)

        // With scripts off the page is its source as parsed: every chart and the table are
        // there already (Chromium's --dump-dom needs scripts, so the source is read directly).
        let plain = try JSONDecoder().decode(DOMSummary.self, from: Data(Python.run("report_dom.py", input: Array(outcome.source.utf8))))
        #expect(!plain.ready)
        #expect(plain.charts == outcome.dom.charts && plain.params_rows == runs && plain.pc == outcome.dom.pc)
    }

    @Test("runs that are running, crashed, failed, interrupted, with 0 rows and 1 row; a legacy specimen")
    func lifecycle() throws {
        let fixtures = try ReportFixtures()
        let specimen = try fixtures.lifecycle()
        let out = try TemporaryFolder()
        let (path, page) = try Self.render(specimen, into: out)
        let infos = try Specimen(at: specimen).runInfos()
        #expect(infos.map(\.status.rawValue) == ["completed", "failed", "interrupted", "completed", "completed", "crashed", "running"])
        let ids = infos.map(\.id.rawValue)
        #expect(page.runCount == 7)
        let outcome = try Chromium.load(path, screenshot: "lifecycle")
        Self.expectSafe(outcome)
        let drawn = ids.enumerated().filter { $0.offset != 3 }.map(\.element)   // the 0-row run has nothing to draw
        #expect(outcome.dom.charts["loss"] == drawn)
        #expect(outcome.dom.charts["accuracy"] == drawn)
        #expect(outcome.dom.dashed["loss"] == [ids[1], ids[2], ids[5], ids[6]])   // failed, interrupted, crashed, running
        #expect(outcome.dom.params_rows == ids)
        #expect(outcome.dom.text.contains("\(ids[5]) (crashed)") && outcome.dom.text.contains("\(ids[6]) (running)"))
        #expect(outcome.dom.text.contains("\(ids[1]) (failed)") && outcome.dom.text.contains("\(ids[2]) (interrupted)"))
        #expect(outcome.dom.same_params.contains("model") && outcome.dom.same_params.contains("small"))
        #expect(outcome.dom.text.contains("exit code3"))

        let legacy = try fixtures.legacy()
        let (legacyPath, legacyPage) = try Self.render(legacy, into: out)
        #expect(legacyPage.runCount == 1)
        let legacyOutcome = try Chromium.load(legacyPath, screenshot: "legacy")
        Self.expectSafe(legacyOutcome)
        let legacyID = try Specimen(at: legacy).listRuns().map(\.rawValue)
        #expect(legacyOutcome.dom.params_rows == legacyID)
        #expect(legacyOutcome.dom.charts["loss"] == legacyID)
    }

    @Test("NaN, ±infinity and huge values; string and bool metrics are listed, not charted")
    func values() throws {
        let fixtures = try ReportFixtures()
        let specimen = try fixtures.values()
        let out = try TemporaryFolder()
        let (path, page) = try Self.render(specimen, into: out)
        #expect(page.chartedMetrics == ["odd", "huge", "epoch"])
        #expect(page.listedMetrics == ["phase", "best"])
        let outcome = try Chromium.load(path, screenshot: "values")
        Self.expectSafe(outcome)
        let ids = try Specimen(at: specimen).listRuns().map(\.rawValue)
        #expect(outcome.dom.chart_order == ["odd", "huge", "epoch"])
        #expect(outcome.dom.charts["odd"] == ids)
        #expect(outcome.dom.params_headers.contains("phase (last)") && outcome.dom.params_headers.contains("best (last)"))
        #expect(outcome.dom.text.contains("2 runs · 12 points, 12 drawn · 3 NaN/±inf not drawn"))   // NaN, inf, -inf
        // Last, min and max are exact, infinities included.
        let opened = try Specimen(at: specimen)
        let model = ReportModel.load(opened, try opened.runInfos(), options: .init())
        let odd = try #require(model.runs.first?.series("odd"))
        #expect(odd.last == 4 && odd.min == -.infinity && odd.max == .infinity && odd.nonFiniteCount == 3)
        #expect(model.runs.first?.textMetrics.map(\.last) == ["train", "true"])   // step 9: 9 % 3 == 0
        #expect(outcome.dom.log_checkboxes == [true, true, true])  // every chart has a value ≤ 0
    }

    @Test("one run only, and 300 runs")
    func oneAndMany() throws {
        let fixtures = try ReportFixtures()
        let out = try TemporaryFolder()
        let single = try fixtures.single()
        let (singlePath, _) = try Self.render(single, into: out)
        let singleOutcome = try Chromium.load(singlePath, screenshot: "single")
        Self.expectSafe(singleOutcome)
        let id = try Specimen(at: single).listRuns().map(\.rawValue)
        #expect(singleOutcome.dom.charts["loss"] == id)
        #expect(singleOutcome.dom.params_headers.contains("optimizer.name") && singleOutcome.dom.params_headers.contains("optimizer.beta"))
        #expect(singleOutcome.dom.same_params.isEmpty)   // one run: nothing is collapsed

        let many = try fixtures.many(300, rows: 200)
        let (manyPath, page) = try Self.render(many, into: out)
        #expect(page.runCount == 300)
        let outcome = try Chromium.load(manyPath, screenshot: "many", budget: 20_000)
        Self.expectSafe(outcome)
        let ids = try Specimen(at: many).listRuns().map(\.rawValue)
        #expect(ids.count == 300)
        #expect(outcome.dom.charts["loss"] == ids)
        #expect(outcome.dom.charts["accuracy"] == ids)
        #expect(outcome.dom.params_rows == ids)
        #expect(outcome.dom.same_params.contains("optimizer"))
        #expect(outcome.dom.params_headers.contains("lr") && outcome.dom.params_headers.contains("depth"))
    }

    @Test("a hostile specimen: every payload stays text and no script but ours runs")
    func hostile() throws {
        let fixtures = try ReportFixtures()
        let specimen = try fixtures.hostile()
        let out = try TemporaryFolder()
        let (path, page) = try Self.render(specimen, into: out)
        let outcome = try Chromium.load(path, screenshot: "hostile")
        Self.expectSafe(outcome, hostile: true)
        let dom = outcome.dom
        let ids = try Specimen(at: specimen).listRuns().map(\.rawValue)
        #expect(dom.params_rows == ids)
        #expect(page.chartedMetrics.count == ReportFixtures.payloads.count)
        for (index, payload) in ReportFixtures.payloads.enumerated() {
            let metric = "m\(index)" + payload
            #expect(dom.charts[metric] == ids, "chart of \(metric.debugDescription)")
            #expect(dom.text.contains(payload.replacingOccurrences(of: "\u{2028}", with: "\u{2028}")), "payload \(index) is not shown as text")
        }
        #expect(dom.text.contains("<script>document.documentElement.setAttribute('data-pwned-notes','1')</script>"))
        #expect(dom.text.contains("<iframe src=\"https://evil.example/frame\"></iframe>"))
        // Only the fine link keeps its href; the image is its alt text.
        let links = dom.urls.filter { !$0.value.hasPrefix("#") }.map(\.value)
        #expect(links == ["https://ok.example/", "https://example.com/docs"], "\(links)")
        #expect(dom.text.contains("remote image"))
    }

    @Test("`specimen report --all -o FOLDER`: an index page linking one page per specimen, relative links only")
    func site() throws {
        let fixtures = try ReportFixtures()
        _ = try fixtures.single()
        _ = try fixtures.values()
        let out = try TemporaryFolder()
        let result = try CLIBinary.run(["report", "--all", "--root", fixtures.root.path, "-o", out.file("site")])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == out.file("site") + "/index.html: 2 specimens, 3 runs\n")
        let index = try Chromium.load(out.file("site/index.html"), screenshot: "site-index")
        #expect(index.console.isEmpty && index.requests.isEmpty)
        #expect(index.dom.scripts.isEmpty && index.dom.event_attributes.isEmpty)
        #expect(index.dom.specimens == ["single", "values"])
        #expect(index.dom.urls.map(\.value) == ["single.html", "values.html"])
        for name in ["single", "values"] {
            Self.expectSafe(try Chromium.load(out.file("site/\(name).html")))
        }
    }
}

/// The built `specimen` binary, beside the test bundle in the build folder.
enum CLIBinary {
    static let path: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = folder.appendingPathComponent("specimen").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Python.repositoryRoot.appendingPathComponent(".build/debug/specimen").path
    }()

    /// Runs `specimen arguments…` in `folder`.
    static func run(_ arguments: [String], in folder: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try ProcessResult.run(path, arguments, environment: environment, currentDirectory: folder)
    }
}
