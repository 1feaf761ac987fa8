import Foundation
public import Specimens

/// The `--all` report: a static site of one page per specimen and an index page linking them
/// (relative links only, so the folder can be copied or served by any static web server).
///
/// ```
/// <folder>/index.html         one row per specimen: runs, latest run, statuses, a small chart
/// <folder>/<specimen>.html    that specimen's report
/// ```
public struct ReportSite: Sendable {
    /// The specimens, in name order.
    public var specimens: [Specimen]
    /// How each page is made.
    public var options: ReportOptions

    /// The site of `specimens`.
    public init(specimens: [Specimen], options: ReportOptions = .init()) {
        self.specimens = specimens.sorted { $0.name < $1.name }
        self.options = options
    }

    /// The site of every specimen in the folder `root` (hidden entries and files skipped);
    /// throws `.noSpecimens` when there is none.
    public init(root: String, options: ReportOptions = .init()) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var found: [Specimen] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder), isFolder.boolValue,
                  let specimen = try? Specimen(at: root + "/" + name) else { continue }
            found.append(specimen)
        }
        guard !found.isEmpty else {
            throw ReportError(.noSpecimens, "no specimens in \(root)", path: root,
                              recovery: "Point --root at the folder that holds your specimens (default: ./specimens)")
        }
        self.init(specimens: found, options: options)
    }

    /// What `write(to:)` made.
    public struct Summary: Sendable {
        /// The index page's path.
        public var index: String
        /// Each specimen's page.
        public var pages: [ReportPage]
    }

    /// Writes the index and every specimen's page into `folder` (created when missing).
    public func write(to folder: String) throws -> Summary {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError(.unwritable, "cannot create the folder: \(error.localizedDescription)", path: folder,
                              recovery: "Pass a writable folder with -o")
        }
        var pages: [ReportPage] = []
        for specimen in specimens {
            let page = try SpecimenReport(specimen: specimen, options: options).render()
            try page.write(to: folder + "/" + Self.fileName(specimen.name))
            pages.append(page)
        }
        let index = folder + "/index.html"
        try ReportPage(html: Array(SiteIndex.html(pages).utf8), specimenName: "", runCount: pages.reduce(0) { $0 + $1.runCount },
                       chartedMetrics: [], listedMetrics: [], statusCounts: [], latestRun: nil, firstMetricFinals: []).write(to: index)
        return Summary(index: index, pages: pages)
    }

    /// The page file of specimen `name`: `<name>.html` (names are letters, digits, `.`, `_`, `-`;
    /// anything else is percent-encoded, and a leading `.` too).
    static func fileName(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" || c == "-" || (c == "." && !out.isEmpty) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return (out.isEmpty ? "specimen" : out) + ".html"
    }
}
