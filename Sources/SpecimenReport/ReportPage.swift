import Foundation

/// A rendered report: the HTML and what it shows.
public struct ReportPage: Sendable {
    /// The page, UTF-8.
    public var html: [UInt8]
    /// The specimen's name.
    public var specimenName: String
    /// How many runs the page draws.
    public var runCount: Int
    /// The numeric metrics, one chart each, in first-seen order.
    public var chartedMetrics: [String]
    /// String, bool and other metrics, listed in the table only.
    public var listedMetrics: [String]
    /// How many runs have each status (`completed`, `failed`, …), statuses with no run left out.
    public var statusCounts: [(status: String, count: Int)]
    /// The newest run drawn.
    public var latestRun: RunID?
    /// Each run's last value of the first charted metric (nil where a run lacks it).
    public var firstMetricFinals: [Double?]

    /// Writes the page to `path` (replacing a file there) through a temporary file in the same
    /// folder, so a reader never sees half a page.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try Data(html).write(to: url, options: .atomic)
        } catch {
            throw ReportError(.unwritable, "cannot write the report: \(error.localizedDescription)", path: path,
                              recovery: "Check that the folder exists and is writable, or pass another path with -o")
        }
    }
}

public import Specimens
