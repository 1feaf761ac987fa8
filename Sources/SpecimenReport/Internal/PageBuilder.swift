import Crypto
import Dispatch
import Foundation
import MessagePack
import Specimens

/// Writes a report page from a `ReportModel`: one HTML document with inline style, SVG, data
/// and script. Every string from a run or the specimen goes through `HTMLText`.
struct PageBuilder {
    var model: ReportModel
    var out = ""

    init(_ model: ReportModel) { self.model = model }

    /// The Content-Security-Policy: nothing may load, and only our script (by hash) may run.
    static var contentSecurityPolicy: String {
        let digest = SHA256.hash(data: Array(PageScript.source.utf8))
        let hash = Data(digest).base64EncodedString()
        return "default-src 'none'; script-src 'sha256-\(hash)'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'"
    }

    /// The whole page. Its sections are independent, so they are built concurrently (each by
    /// its own builder) and joined in order.
    mutating func build() -> String {
        let metricCount = model.metrics.count
        var parts: [@Sendable (inout PageBuilder) -> Void] = [{ $0.head(); $0.header(); $0.chartsIntro() }]
        for index in 0 ..< metricCount { parts.append { $0.chart(index, $0.model.metrics[index]) } }
        parts.append { $0.chartsOutro(); $0.table() }
        parts.append { $0.parallelCoordinates() }
        parts.append { $0.details() }
        parts.append { $0.dataIntro() }
        for index in 0 ..< metricCount { parts.append { $0.dataMetric(index) } }
        parts.append { $0.out += "]}</script>\n<script>" + PageScript.source + "</script>\n</body>\n</html>\n" }
        let slots = Slots<String>(count: parts.count)
        let model = self.model
        let sections = parts
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            var builder = PageBuilder(model)
            sections[index](&builder)
            slots.set(index, builder.out)
        }
        let pieces = slots.values.map { $0 ?? "" }
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count })
        for piece in pieces { out += piece }
        return out
    }

    // MARK: head and header

    private mutating func head() {
        out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLText.attribute(Self.contentSecurityPolicy))\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"specimen report\">\n"
        out += "<title>\(HTMLText.text(model.name)) — specimen report</title>\n"
        out += "<style>\n" + PageStyle.css + "\n</style>\n</head>\n<body>\n"
    }

    private mutating func header() {
        let runs = model.runs
        out += "<header>\n<h1>\(HTMLText.text(model.name))</h1>\n<p class=\"meta\">"
        out += "\(runs.count) run\(runs.count == 1 ? "" : "s")"
        let counts = model.statusCounts
        if !counts.isEmpty { out += ": " + counts.map { "\($0.count) \($0.status)" }.joined(separator: ", ") }
        let starts = runs.compactMap(\.info.startedAt)
        let ends = runs.compactMap { $0.info.endedAt ?? $0.info.startedAt }
        if let first = starts.min(), let last = ends.max() {
            out += " · " + Self.utc(first) + " to " + Self.utc(last) + " (UTC)"
        }
        out += " · \(model.metrics.count) charted metric\(model.metrics.count == 1 ? "" : "s")"
        out += "</p>\n"
        if let notes = model.fieldNotes, !notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            out += "<section class=\"notes\" data-role=\"field-notes\">\n" + FieldNotes.html(notes) + "\n</section>\n"
        }
        out += "</header>\n"
    }

    // MARK: charts

    private mutating func chartsIntro() {
        out += "<h2>Metrics</h2>\n"
        guard !model.metrics.isEmpty else {
            out += "<p class=\"note\">No numeric metrics to chart.</p>\n"
            return
        }
        out += "<div class=\"controls js-only\" hidden>"
        out += "<label>x axis <select id=\"x-axis\">"
        for axis in ReportAxis.allCases {
            out += "<option value=\"\(axis.rawValue)\"\(axis == model.axis ? " selected" : "")>\(axis.rawValue)</option>"
        }
        out += "</select></label>"
        out += "<label>smoothing <input type=\"range\" id=\"smoothing\" min=\"0\" max=\"0.99\" step=\"0.01\" value=\"0\"> "
        out += "<span id=\"smoothing-value\">0</span></label>"
        out += "<span class=\"note\">hover for values · drag to zoom x · double-click to reset · click a run below to hide it</span>"
        out += "</div>\n<div class=\"legend\" data-role=\"legend\">"
        for run in model.runs {
            let label = run.info.id.rawValue + (run.isDashed ? " (\(run.info.status))" : "")
            out += "<button type=\"button\" data-legend-run=\"\(HTMLText.attribute(run.info.id.rawValue))\" aria-pressed=\"true\">"
            out += "<span class=\"swatch\(run.isDashed ? " dashed" : "")\" style=\"border-color:\(Palette.run(run.index))\"></span>"
            out += HTMLText.text(label) + "</button>"
        }
        out += "</div>\n<div class=\"charts\">\n"
    }

    private mutating func chartsOutro() {
        if !model.metrics.isEmpty { out += "</div>\n" }
    }

    private mutating func chart(_ index: Int, _ metric: String) {
        let runs = model.runs.filter { $0.series(metric) != nil }
        var xLow = Double.infinity, xHigh = -Double.infinity, yLow = Double.infinity, yHigh = -Double.infinity
        var total = 0, drawn = 0, nonFinite = 0
        var positive = true
        for run in runs {
            guard let series = run.series(metric) else { continue }
            let xs = xValues(series, run)
            for x in xs where x.isFinite { xLow = min(xLow, x); xHigh = max(xHigh, x) }
            for y in series.values { yLow = min(yLow, y); yHigh = max(yHigh, y) }
            if let low = series.min, low <= 0 { positive = false }
            if series.min == nil { positive = false }
            total += series.finiteCount
            drawn += series.values.count
            nonFinite += series.nonFiniteCount
        }
        if !xLow.isFinite { xLow = 0; xHigh = 1 }
        if !yLow.isFinite { yLow = 0; yHigh = 1 }
        let geometry = ChartGeometry(x: AxisTicks.linear(xLow, xHigh, target: 6), y: AxisTicks.linear(yLow, yHigh, target: 5))
        let name = HTMLText.attribute(metric)
        out += "<section class=\"chart\" data-chart=\"\(index)\" id=\"chart-\(index)\">\n<div class=\"chart-head\"><h3>\(HTMLText.text(metric))</h3>"
        if positive {
            out += "<label class=\"js-only\" hidden><input type=\"checkbox\" class=\"logy\"> log y</label>"
        } else {
            out += "<label class=\"js-only\" hidden title=\"a series has values ≤ 0\"><input type=\"checkbox\" class=\"logy\" disabled> log y "
            out += "<span class=\"note\">(off: values ≤ 0)</span></label>"
        }
        out += "<span class=\"note\">\(runs.count) run\(runs.count == 1 ? "" : "s") · \(total) points, \(drawn) drawn"
        if nonFinite > 0 { out += " · \(nonFinite) NaN/±inf not drawn" }
        out += "</span> <span class=\"note zoom-note\"></span></div>\n"
        out += "<svg data-metric=\"\(name)\" viewBox=\"0 0 \(Int(ChartGeometry.width)) \(Int(ChartGeometry.height))\" role=\"img\" aria-label=\"\(name) by \(model.axis.rawValue)\">\n"
        // Lines are clipped to the plot (with room for a stroke on its edge), so a zoomed view
        // draws nothing over the axes.
        out += "<defs><clipPath id=\"plot-\(index)\"><rect x=\"\(ChartGeometry.left - 3)\" y=\"\(ChartGeometry.top - 3)\" "
            + "width=\"\(ChartGeometry.plotWidth + 6)\" height=\"\(ChartGeometry.plotHeight + 6)\"/></clipPath></defs>\n"
        out += "<g class=\"axes\">"
        out += "<rect class=\"frame\" x=\"\(ChartGeometry.left)\" y=\"\(ChartGeometry.top)\" width=\"\(ChartGeometry.plotWidth)\" height=\"\(ChartGeometry.plotHeight)\"/>"
        let xLabels = model.axis == .time ? geometry.x.values.map { ChartGeometry.xLabel($0, axis: .time) } : NumberText.labels(geometry.x.values)
        for (tick, label) in zip(geometry.x.values, xLabels) {
            let x = NumberText.coordinate(geometry.px(tick))
            out += "<line class=\"grid\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(ChartGeometry.top)\" y2=\"\(ChartGeometry.top + ChartGeometry.plotHeight)\"/>"
            out += "<text class=\"tick x\" x=\"\(x)\" y=\"\(ChartGeometry.height - 10)\">\(HTMLText.text(label))</text>"
        }
        for (tick, label) in zip(geometry.y.values, NumberText.labels(geometry.y.values)) {
            let y = NumberText.coordinate(geometry.py(tick))
            out += "<line class=\"grid\" x1=\"\(ChartGeometry.left)\" x2=\"\(ChartGeometry.left + ChartGeometry.plotWidth)\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text class=\"tick y\" x=\"\(ChartGeometry.left - 6)\" y=\"\(NumberText.coordinate(geometry.py(tick) + 4))\">\(label)</text>"
        }
        out += "</g>\n<g class=\"raw\" clip-path=\"url(#plot-\(index))\"></g>\n<g class=\"lines\" clip-path=\"url(#plot-\(index))\">"
        for run in runs {
            guard let series = run.series(metric) else { continue }
            let xs = xValues(series, run)
            var d = ""
            var pen = "M"
            for (x, y) in zip(xs, series.values) {
                guard x.isFinite else { pen = "M"; continue }
                d += pen + NumberText.coordinate(geometry.px(x)) + " " + NumberText.coordinate(geometry.py(y))
                pen = "L"
            }
            if series.values.count == 1 { d += "h0.1" }   // a lone point: a dot (round caps)
            let colour = Palette.run(run.index)
            out += "<path class=\"ln\" data-run=\"\(HTMLText.attribute(run.info.id.rawValue))\" stroke=\"\(colour)\""
            if run.isDashed { out += " stroke-dasharray=\"5 3\"" }
            out += " d=\"\(d)\"><title>\(HTMLText.text(run.info.id.rawValue))"
            if run.isDashed { out += " (\(HTMLText.text(run.info.status.rawValue)))" }
            out += ": \(series.finiteCount) points, \(series.values.count) drawn</title></path>"
        }
        out += "</g>\n</svg>\n</section>\n"
    }

    /// The x of each drawn point of `series` on the page's first axis.
    private func xValues(_ series: RunSeries, _ run: RunModel) -> [Double] {
        switch model.axis {
        case .step: return series.steps
        case .elapsed: return series.elapsed ?? series.steps
        case .time:
            guard let elapsed = series.elapsed, let first = run.firstTime else { return series.steps }
            return elapsed.map { first + $0 }
        }
    }

    // MARK: params table

    private mutating func table() {
        let params = model.params
        out += "<h2>Runs</h2>\n"
        if !params.same.isEmpty {
            out += "<p data-role=\"same-params\"><strong>Same in all runs:</strong> "
            out += params.same.map { key in
                "<code>" + HTMLText.text(key) + "</code> = " + HTMLText.text(params.values[0][key].map(ParamColumns.text) ?? "")
            }.joined(separator: ", ")
            out += "</p>\n"
        }
        out += "<p class=\"js-only\" hidden><label>filter <input type=\"search\" id=\"params-filter\" placeholder=\"text in any column\"></label> "
        out += "<span class=\"note\">click a column heading to sort</span></p>\n"
        var headings = ["run", "status", "start (UTC)", "duration", "rows"]
        headings += params.varying
        headings += model.textMetrics.map { "\($0) (last)" }
        for metric in model.metrics { headings += ["\(metric) last", "\(metric) min", "\(metric) max"] }
        out += "<div class=\"table-wrap\"><table data-role=\"params\">\n<thead><tr>"
        for (index, heading) in headings.enumerated() {
            out += "<th><button type=\"button\" data-col=\"\(index)\">\(HTMLText.text(heading))</button></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for run in model.runs {
            let info = run.info
            let id = HTMLText.attribute(info.id.rawValue)
            out += "<tr data-run=\"\(id)\"><td><span class=\"swatch\(run.isDashed ? " dashed" : "")\" style=\"border-color:\(Palette.run(run.index))\"></span>"
            out += "<a href=\"#run-\(id)\">\(HTMLText.text(info.id.rawValue))</a></td>"
            out += "<td class=\"status-\(HTMLText.attribute(info.status.rawValue))\">\(HTMLText.text(info.status.rawValue))</td>"
            out += "<td>\(info.startedAt.map(Self.utc) ?? "")</td>"
            if let duration = info.duration {
                out += "<td class=\"num\" data-v=\"\(NumberText.json(duration))\">\(Self.duration(duration))</td>"
            } else {
                out += "<td></td>"
            }
            out += "<td class=\"num\">\(run.readError == nil ? String(run.rows) : "")</td>"
            for key in params.varying {
                let value = params.values[run.index][key]
                let text = value.map(ParamColumns.text) ?? ""
                let numeric = params.number(key, run: run.index) != nil
                out += numeric ? "<td class=\"num\">" : "<td>"
                out += HTMLText.text(text) + "</td>"
            }
            for name in model.textMetrics {
                out += "<td>" + HTMLText.text(run.textMetrics.first { $0.name == name }?.last ?? "") + "</td>"
            }
            for metric in model.metrics {
                let series = run.series(metric)
                for value in [series?.last, series?.min, series?.max] {
                    if let value {
                        out += "<td class=\"num\" data-v=\"\(NumberText.exact(value))\" title=\"\(NumberText.exact(value))\">\(NumberText.compact(value, digits: 6))</td>"
                    } else {
                        out += "<td></td>"
                    }
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody></table></div>\n"
    }

    // MARK: parallel coordinates

    private mutating func parallelCoordinates() {
        out += "<h2>Parallel coordinates</h2>\n"
        let params = model.params
        let keys = params.varying.filter { params.isNumeric($0) }
        guard !keys.isEmpty, !model.metrics.isEmpty, model.runs.count >= 2 else {
            out += "<p class=\"note\">Needs two runs or more, a numeric param that varies, and a numeric metric.</p>\n"
            return
        }
        out += "<p class=\"js-only\" hidden><label>metric <select id=\"pc-metric\">"
        for metric in model.metrics { out += "<option value=\"\(HTMLText.attribute(metric))\">\(HTMLText.text(metric))</option>" }
        out += "</select></label> <span class=\"note\">one line per run; colour: the metric's last value (viridis, dark = low)</span></p>\n"
        let width = 640.0, height = 260.0, top = 30.0, bottom = 24.0, side = 50.0
        for (metricIndex, metric) in model.metrics.enumerated() {
            let axes = keys.count + 1
            let step = axes > 1 ? (width - 2 * side) / Double(axes - 1) : 0
            var columns: [[Double?]] = keys.map { key in model.runs.indices.map { params.number(key, run: $0) } }
            let finals: [Double?] = model.runs.map { run in run.series(metric)?.last.flatMap { $0.isFinite ? $0 : nil } }
            columns.append(finals)
            let ranges = columns.map { values -> (Double, Double) in
                let present = values.compactMap { $0 }.filter(\.isFinite)
                return (present.min() ?? 0, present.max() ?? 1)
            }
            func scale(_ value: Double, _ axis: Int) -> Double {
                let (low, high) = ranges[axis]
                let span = high / 2 - low / 2
                return top + (height - top - bottom) * (1 - (span > 0 ? (value / 2 - low / 2) / span : 0.5))
            }
            out += "<svg data-pc=\"\(HTMLText.attribute(metric))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\"\(metricIndex == 0 ? "" : " hidden") role=\"img\" aria-label=\"parallel coordinates of \(HTMLText.attribute(metric))\">\n"
            for axis in 0 ..< axes {
                let x = NumberText.coordinate(side + Double(axis) * step)
                let label = axis < keys.count ? keys[axis] : metric + " (last)"
                out += "<line class=\"pc-axis\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(top)\" y2=\"\(height - bottom)\"/>"
                out += "<text class=\"pc-label\" x=\"\(x)\" y=\"\(top - 16)\">\(HTMLText.text(label))</text>"
                out += "<text class=\"pc-label\" x=\"\(x)\" y=\"\(top - 3)\">\(NumberText.compact(ranges[axis].1))</text>"
                out += "<text class=\"pc-label\" x=\"\(x)\" y=\"\(height - bottom + 14)\">\(NumberText.compact(ranges[axis].0))</text>"
            }
            let (low, high) = ranges[axes - 1]
            for run in model.runs {
                let values = columns.map { $0[run.index] }
                guard values.allSatisfy({ $0?.isFinite == true }) else { continue }
                let points = values.enumerated().map { axis, value in
                    NumberText.coordinate(side + Double(axis) * step) + "," + NumberText.coordinate(scale(value!, axis))
                }
                let final = values[axes - 1]!
                let t = high > low ? (final / 2 - low / 2) / (high / 2 - low / 2) : 0.5
                out += "<polyline class=\"pc-line\" data-run=\"\(HTMLText.attribute(run.info.id.rawValue))\" stroke=\"\(Palette.sequential(t))\" points=\"\(points.joined(separator: " "))\">"
                out += "<title>\(HTMLText.text(run.info.id.rawValue)): \(NumberText.exact(final))</title></polyline>"
            }
            out += "</svg>\n"
        }
    }

    // MARK: run details

    private mutating func details() {
        out += "<h2>Run details</h2>\n"
        for run in model.runs {
            let info = run.info
            let id = info.id.rawValue
            out += "<details id=\"run-\(HTMLText.attribute(id))\" data-run-detail=\"\(HTMLText.attribute(id))\"><summary>"
            out += "<span class=\"swatch\(run.isDashed ? " dashed" : "")\" style=\"border-color:\(Palette.run(run.index))\"></span>"
            out += "\(HTMLText.text(id)) · <span class=\"status-\(HTMLText.attribute(info.status.rawValue))\">\(HTMLText.text(info.state.description))</span>"
            if let started = info.startedAt { out += " · " + Self.utc(started) }
            out += "</summary>\n<dl>"
            let manifest = info.manifest
            func field(_ name: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                out += "<dt>\(HTMLText.text(name))</dt><dd>\(HTMLText.text(value))</dd>"
            }
            field("folder", info.path)
            if let command = manifest?["command"]?.arrayValue {
                field("command", command.map { $0.stringValue ?? $0.description }.joined(separator: " "))
            }
            field("exit code", manifest?["exit_code"]?.intValue.map(String.init))
            field("signal", manifest?["signal"]?.intValue.map(String.init))
            if let git = manifest?["git"] {
                var text = git["commit"]?.stringValue ?? ""
                if let branch = git["branch"]?.stringValue { text += " (\(branch))" }
                if git["dirty"]?.boolValue == true { text += ", dirty" }
                field("git", text)
            }
            if let host = manifest?["host"] {
                field("host", [host["hostname"], host["os"], host["arch"]].compactMap { $0?.stringValue }.joined(separator: " · ")
                    + (host["cpus"]?.intValue.map { " · \($0) cpus" } ?? ""))
            }
            if let proto = manifest?["protocol"] {
                field("protocol", [proto["path"]?.stringValue, proto["sha256"]?.stringValue.map { "sha256 " + $0 }].compactMap { $0 }.joined(separator: " · "))
            }
            field("notes", info.notes)
            field("tags", info.tags.joined(separator: ", "))
            field("metrics", run.readError.map { "not readable: " + $0 })
            out += "</dl>\n"
            if let files = manifest?["files"]?.mapValue, !files.isEmpty {
                out += "<table><thead><tr><th>file</th><th>size</th><th>SHA-256</th></tr></thead><tbody>"
                for pair in files {
                    let path = pair.key.stringValue ?? pair.key.description
                    let size = pair.value["size"]?.intValue.map { ByteText.format($0) } ?? ""
                    let sha = pair.value["sha256"]?.stringValue ?? ""
                    out += "<tr><td>\(HTMLText.text(path))</td><td class=\"num\">\(HTMLText.text(size))</td><td><code>\(HTMLText.text(sha))</code></td></tr>"
                }
                out += "</tbody></table>\n"
            }
            if !run.outputTail.isEmpty {
                out += "<p class=\"note\">last \(run.outputTail.count) lines of output.log</p><pre>"
                out += HTMLText.text(run.outputTail.joined(separator: "\n"))
                out += "</pre>\n"
            }
            out += "</details>\n"
        }
    }

    // MARK: data

    private mutating func dataIntro() {
        out += "<script type=\"application/json\" id=\"report-data\">"
        out += "{\"format\":\"specimen.report/1\",\"axis\":\"\(model.axis.rawValue)\",\"runs\":["
        for (index, run) in model.runs.enumerated() {
            if index > 0 { out += "," }
            let t0 = run.firstTime ?? run.info.startedAt?.timeIntervalSince1970
            out += "{\"id\":" + HTMLText.scriptJSON(run.info.id.rawValue) + ",\"status\":" + HTMLText.scriptJSON(run.info.status.rawValue)
            out += ",\"color\":\"\(Palette.run(run.index))\",\"dashed\":\(run.isDashed),\"t0\":" + (t0.map(NumberText.json) ?? "null") + "}"
        }
        out += "],\"metrics\":["
    }

    /// Metric `index`'s series as JSON (the caller closes the array after the last).
    private mutating func dataMetric(_ index: Int) {
        let metric = model.metrics[index]
        if index > 0 { out += "," }
        out += "{\"name\":" + HTMLText.scriptJSON(metric) + ",\"series\":["
        var first = true
        for run in model.runs {
            guard let series = run.series(metric) else { continue }
            if !first { out += "," }
            first = false
            out += "{\"r\":\(run.index),\"n\":\(series.finiteCount),\"s\":["
            appendNumbers(series.steps)
            out += "],\"e\":"
            if let elapsed = series.elapsed {
                out += "["
                appendNumbers(elapsed.map { ($0 * 1000).rounded() / 1000 })
                out += "]"
            } else {
                out += "null"
            }
            out += ",\"y\":["
            appendNumbers(series.values)
            out += "]}"
        }
        out += "]}"
    }

    private mutating func appendNumbers(_ values: [Double]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            out += NumberText.json(value)
        }
    }

    // MARK: text helpers

    /// `yyyy-MM-dd HH:mm:ss` in UTC.
    static func utc(_ date: Date) -> String { UTCText.format(date) }

    /// `1.2 s`, `3 min 4 s`, `2 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "" }
        if seconds < 60 { return NumberText.compact(seconds, digits: 3) + " s" }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}

/// Byte counts as people read them.
enum ByteText {
    /// `512 B`, `1.5 KB`, `12.3 MB` (powers of 1,000).
    static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return NumberText.compact(value, digits: 3) + " " + units[unit]
    }
}
