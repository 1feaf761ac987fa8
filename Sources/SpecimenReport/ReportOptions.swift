/// Tunables of a report page.
public struct ReportOptions: Sendable {
    /// The x axis the charts show first. Default: `.step`.
    public var axis: ReportAxis = .step
    /// About how many points the whole page draws, shared among every run's series: each
    /// series gets `pointBudget / series` (at least 24, at most 1,200), keeping its first and
    /// last point and each bucket's minimum and maximum. Default: 160,000, which keeps a report
    /// of 1,000 runs × 8 metrics near 10 MB.
    public var pointBudget: Int = 160_000
    /// How many of the last lines of each run's `output.log` the run details show. Default: 50.
    public var outputLogLines: Int = 50

    /// The defaults.
    public init() {}

    /// Options with the given x axis and defaults for the rest.
    public init(axis: ReportAxis) { self.axis = axis }
}
