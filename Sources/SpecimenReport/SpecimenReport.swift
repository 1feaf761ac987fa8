public import Specimens

/// Makes the HTML report of a specimen: one self-contained page (inline style, SVG and
/// script; no network request) with a chart per numeric metric, the params table, parallel
/// coordinates and each run's details.
///
/// ```swift
/// let specimen = try Specimen(at: "specimens/mnist")
/// let page = try SpecimenReport(specimen: specimen).render()
/// try page.write(to: "mnist-report.html")
/// print(page.runCount, page.chartedMetrics)
/// ```
///
/// Pass `runs` to draw only some runs (for example those a selection picked); by default every
/// run is drawn, running and crashed ones from what their journals hold so far.
public struct SpecimenReport: Sendable {
    /// The specimen reported on.
    public let specimen: Specimen
    /// The runs drawn, oldest first.
    public let runs: [RunInfo]
    /// How the page is made.
    public var options: ReportOptions

    /// A report of every run of `specimen`.
    public init(specimen: Specimen, options: ReportOptions = .init()) throws {
        self.specimen = specimen
        self.runs = try specimen.runInfos()
        self.options = options
    }

    /// A report of the runs `ids` of `specimen`, in the order given; throws `.unknownRun`
    /// naming the first ID the specimen does not have.
    public init(specimen: Specimen, runs ids: [RunID], options: ReportOptions = .init()) throws {
        self.specimen = specimen
        self.runs = try ids.map { id in
            do { return try specimen.runInfo(id) } catch {
                throw ReportError(.unknownRun, "specimen \(specimen.name) has no run \(id)", path: specimen.runsPath,
                                  recovery: "List its runs with `specimen view \(specimen.name)` and pass one of those IDs")
            }
        }
        self.options = options
    }

    /// A report of runs whose details were already read (`Specimen.runInfos()` or a selection).
    public init(specimen: Specimen, runInfos: [RunInfo], options: ReportOptions = .init()) {
        self.specimen = specimen
        self.runs = runInfos
        self.options = options
    }

    /// Reads the runs' metrics and writes the page.
    public func render() -> ReportPage {
        let model = ReportModel.load(specimen, runs, options: options)
        var builder = PageBuilder(model)
        let html = builder.build()
        let firstMetric = model.metrics.first
        return ReportPage(
            html: Array(html.utf8), specimenName: model.name, runCount: model.runs.count,
            chartedMetrics: model.metrics, listedMetrics: model.textMetrics,
            statusCounts: model.statusCounts.map { ($0.status, $0.count) },
            latestRun: model.runs.last?.info.id,
            firstMetricFinals: firstMetric.map { metric in model.runs.map { $0.series(metric)?.last } } ?? []
        )
    }
}
