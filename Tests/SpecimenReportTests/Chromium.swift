import Foundation
import InteropSupport

/// Loads a page in headless Chromium (Debian's `chromium`) and reports what the tests check:
/// the DOM after scripts ran (summarised by `report_dom.py`), every console message, and every
/// network request the page attempted. Screenshots go to the git-ignored `test-screenshots/`.
///
/// The browser is `$SPECIMEN_CHROMIUM` (set by `scripts/test`, which installs it), else
/// `chromium` on PATH. When there is none, `load` throws: browser tests never skip.
enum Chromium {
    /// What a page did in the browser.
    struct Outcome {
        /// The DOM after scripts ran, summarised.
        var dom: DOMSummary
        /// Console messages (any level; our script logs nothing, so every one is a failure).
        var console: [String]
        /// URLs the page tried to fetch (Chromium's own background requests are left out).
        var requests: [String]
        /// The page's source.
        var source: String
    }

    /// The browser executable.
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["SPECIMEN_CHROMIUM"], !path.isEmpty { return path }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = String(folder) + "/chromium"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The folder screenshots are written to.
    static let screenshots = Python.repositoryRoot.appendingPathComponent("test-screenshots")

    /// Loads `page` (an HTML file) with every host unresolvable and returns what it did; takes
    /// a screenshot named `screenshot` when given.
    static func load(_ page: String, fragment: String? = nil, screenshot: String? = nil, budget: Int = 10_000) throws -> Outcome {
        guard let browser = executable else {
            throw BrowserFailure("chromium is missing: run scripts/test (scripts/browser-env installs Debian's chromium) or set SPECIMEN_CHROMIUM")
        }
        let scratch = try TemporaryFolder()
        let netLog = scratch.file("net.json")
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + scratch.file("profile"),
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--virtual-time-budget=\(budget)", "--enable-logging=stderr", "--v=0", "--log-net-log=" + netLog,
        ]
        arguments += ["--dump-dom", URL(fileURLWithPath: page).absoluteString + (fragment.map { "#" + $0 } ?? "")]
        let result = try ProcessResult.run(browser, arguments)
        guard result.status == 0 else {
            throw BrowserFailure("chromium exited with \(result.status) on \(page): \(result.stderrText.suffix(2000))")
        }
        let console = result.stderrText.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        let log = (try? String(contentsOfFile: netLog, encoding: .utf8)) ?? ""
        let summary = try JSONDecoder().decode(DOMSummary.self, from: Data(Python.run("report_dom.py", input: result.stdout)))
        if let screenshot {
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            let shot = try ProcessResult.run(browser, [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + scratch.file("profile-shot"),
                "--disable-background-networking", "--disable-component-update", "--window-size=1400,2000",
                "--virtual-time-budget=\(budget)", "--screenshot=" + screenshots.appendingPathComponent(screenshot + ".png").path,
                URL(fileURLWithPath: page).absoluteString + (fragment.map { "#" + $0 } ?? ""),
            ])
            guard shot.status == 0 else { throw BrowserFailure("chromium --screenshot exited with \(shot.status)") }
        }
        return Outcome(dom: summary, console: console, requests: pageRequests(log),
                       source: (try? String(contentsOfFile: page, encoding: .utf8)) ?? "")
    }

    /// The URLs of the requests in a NetLog that a page started. Chromium's own (updates, time
    /// sync) have the initiator "not an origin"; a `file://` page's have "null".
    static func pageRequests(_ log: String) -> [String] {
        var urls: [String] = []
        var rest = Substring(log)
        while let range = rest.range(of: "\"initiator\":\"") {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            let initiator = after[..<end]
            // The event's params object: find its url.
            let objectStart = rest[..<range.lowerBound].lastIndex(of: "{") ?? range.lowerBound
            let objectEnd = after.firstIndex(of: "}") ?? after.endIndex
            let object = rest[objectStart ..< objectEnd]
            if initiator != "not an origin" {
                if let url = object.range(of: "\"url\":\"") {
                    let value = object[url.upperBound...].prefix { $0 != "\"" }
                    urls.append(String(value))
                } else {
                    urls.append("(a request with initiator \(initiator))")
                }
            }
            rest = after[end...]
        }
        return urls
    }
}

/// Why a page could not be loaded in the browser.
struct BrowserFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What `report_dom.py` reads from a DOM.
struct DOMSummary: Decodable {
    var ready: Bool
    var pwned: [String]
    var charts: [String: [String]]
    var chart_order: [String]
    var dashed: [String: [String]]
    var params_rows: [String]
    var params_headers: [String]
    var scripts: [Script]
    var event_attributes: [String]
    var loading_elements: [String]
    var urls: [URLAttribute]
    var text: String
    var title: String
    var legend: [Legend]
    var details: [String]
    var pc: [String]
    var same_params: String
    var specimens: [String]
    var styles_with_url: Int
    var log_checkboxes: [Bool]
    var empty_paths: [String: [String]]
    var rawlines: Int
    var y_ticks: [String: [String]]

    struct Script: Decodable { var type: String; var id: String }
    struct URLAttribute: Decodable { var tag: String; var attribute: String; var value: String }
    struct Legend: Decodable { var run: String; var pressed: String? }
}
