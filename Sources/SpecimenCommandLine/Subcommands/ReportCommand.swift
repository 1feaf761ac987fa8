import ArgumentParser
import Foundation
import SpecimenReport
import Specimens

/// `specimen report`: every run of a specimen on one self-contained HTML page, or a static
/// site of every specimen with `--all`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an interactive HTML report of a specimen's runs (no server, no network).",
        discussion: """
            One file with a chart per numeric metric (one line per run), the params
            table, parallel coordinates and each run's details. It opens offline and
            can be mailed or published as it is.

            Examples:
              specimen report rosenbrock                 # writes rosenbrock-report.html
              specimen report rosenbrock -o - > r.html   # to standard output
              specimen report rosenbrock --x elapsed
              specimen report rosenbrock --where "status == 'completed'" --sort metrics.loss.last --limit 10
              specimen report --all -o site/             # index.html + one page per specimen
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String?

    @Flag(help: "Report every specimen under --root as a small static site (needs -o FOLDER).")
    var all = false

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The HTML file to write ('-' for standard output; default: <specimen>-report.html), or the folder with --all.",
        valueName: "path"))
    var output: String?

    @OptionGroup var selection: SelectionOptions

    @Option(name: .customLong("x"), help: ArgumentHelp("The charts' first x axis: step, time or elapsed.", valueName: "axis"))
    var axis: String = "step"

    func validate() throws {
        if selection.isActive && all {
            throw ValidationError("--where, --sort and --limit select runs of one specimen: specimen report <specimen> --where …")
        }
        if all {
            guard specimen == nil else { throw ValidationError("--all reports every specimen under --root; drop the specimen name \(specimen!) or --all") }
            guard let output, output != "-" else { throw ValidationError("--all writes a folder of pages: give it with -o FOLDER") }
        } else if specimen == nil {
            throw ValidationError("name a specimen (specimen report <specimen>), or pass --all -o FOLDER for every specimen")
        }
        guard ReportAxis(rawValue: axis) != nil else {
            throw ValidationError("--x \(axis) is not an axis: use step, time or elapsed")
        }
    }

    func run() throws {
        cache.apply()
        try reportingFailures {
            let options = ReportOptions(axis: ReportAxis(rawValue: axis) ?? .step)
            if all {
                let folder = output ?? "report"
                let summary = try ReportSite(root: location.root, options: options).write(to: folder)
                let runs = summary.pages.reduce(0) { $0 + $1.runCount }
                print("\(summary.index): \(summary.pages.count) specimen\(summary.pages.count == 1 ? "" : "s"), \(runs) run\(runs == 1 ? "" : "s")")
                return
            }
            let opened = try StorageLocator.specimen(location.specimenPath(specimen ?? "."))
            let report = selection.isActive
                ? SpecimenReport(specimen: opened, runInfos: try selection.select(opened).runs, options: options)
                : try SpecimenReport(specimen: opened, options: options)
            let page = try report.render()
            let counts = "\(page.runCount) run\(page.runCount == 1 ? "" : "s"), \(page.chartedMetrics.count) metric\(page.chartedMetrics.count == 1 ? "" : "s") charted"
                + (page.listedMetrics.isEmpty ? "" : ", \(page.listedMetrics.count) listed")
            if output == "-" {
                FileHandle.standardOutput.write(Data(page.html))
                Standard.error("\(opened.name): \(counts)")
                return
            }
            let path = output ?? opened.name + "-report.html"
            try page.write(to: path)
            print("\(path): \(counts)")
        }
    }
}
