import Specimens
/// The index page of a `ReportSite`: one row per specimen with a link to its page.
enum SiteIndex {
    /// The page listing `pages`.
    static func html(_ pages: [ReportPage]) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>Specimens — specimen report</title>\n<style>\n" + PageStyle.css + "\n</style>\n</head>\n<body class=\"site\">\n"
        out += "<h1>Specimens</h1>\n<p class=\"meta\">\(pages.count) specimen\(pages.count == 1 ? "" : "s"), \(pages.reduce(0) { $0 + $1.runCount }) runs</p>\n"
        out += "<div class=\"table-wrap\"><table data-role=\"specimens\">\n<thead><tr><th>specimen</th><th>runs</th><th>latest run</th><th>statuses</th><th>first metric, last value per run</th></tr></thead>\n<tbody>\n"
        for page in pages {
            let file = ReportSite.fileName(page.specimenName)
            out += "<tr data-specimen=\"\(HTMLText.attribute(page.specimenName))\"><td><a href=\"\(HTMLText.attribute(file))\">\(HTMLText.text(page.specimenName))</a></td>"
            out += "<td class=\"num\">\(page.runCount)</td><td>\(HTMLText.text(page.latestRun?.rawValue ?? ""))</td>"
            out += "<td>\(HTMLText.text(page.statusCounts.map { "\($0.count) \($0.status)" }.joined(separator: ", ")))</td><td>"
            out += sparkline(page) + "</td></tr>\n"
        }
        out += "</tbody></table></div>\n</body>\n</html>\n"
        return out
    }

    /// A small SVG of the first metric's last value in each run, oldest first.
    private static func sparkline(_ page: ReportPage) -> String {
        guard let metric = page.chartedMetrics.first else { return "<span class=\"note\">no numeric metric</span>" }
        let points = page.firstMetricFinals.enumerated().compactMap { index, value in value.flatMap { $0.isFinite ? (index, $0) : nil } }
        let width = 160.0, height = 32.0
        var out = "<svg class=\"spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.attribute(metric))\">"
        out += "<title>\(HTMLText.text(metric))</title>"
        if let low = points.map(\.1).min(), let high = points.map(\.1).max() {
            let count = max(1, page.firstMetricFinals.count - 1)
            let coordinates = points.map { index, value -> String in
                let x = 2 + Double(index) / Double(count) * (width - 4)
                let span = high / 2 - low / 2
                let y = height - 2 - (span > 0 ? (value / 2 - low / 2) / span : 0.5) * (height - 4)
                return NumberText.coordinate(x) + "," + NumberText.coordinate(y)
            }
            out += "<polyline fill=\"none\" stroke=\"\(Palette.run(0))\" stroke-width=\"1.5\" points=\"\(coordinates.joined(separator: " "))\"/>"
            if points.count == 1 { out += "<circle r=\"2\" fill=\"\(Palette.run(0))\" cx=\"\(width / 2)\" cy=\"\(height / 2)\"/>" }
        }
        return out + "</svg> <span class=\"note\">\(HTMLText.text(metric))</span>"
    }
}
