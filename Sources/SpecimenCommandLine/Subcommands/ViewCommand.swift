import ArgumentParser
import Foundation
import MessagePack
import Parallel
import Parquet
import Specimens

/// `specimen view`: one specimen's runs and a run's params and metrics, or every specimen.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show a specimen's runs and metrics, or every specimen.",
        discussion: """
            For one specimen: its name, current (latest) run, the number of runs, every
            run (ID, status, start in UTC, duration, rows), then the chosen run's params
            and each metric's last, min and max (with a sparkline of its history on a
            terminal). Without a specimen, or with --all: one line per specimen under
            --root, and totals. Running, crashed and damaged runs are shown as such.
            Read from manifests only.

            Examples:
              specimen view rosenbrock
              specimen view rosenbrock --run 20250101_120000
              specimen view --all --root experiments
              specimen view rosenbrock --json | jq '.runs[] | select(.status == "failed")'

            --follow watches runs as they happen (see ViewFollow): on a terminal, a view
            redrawn in place until Ctrl-C; otherwise, or with --json, one JSON document per
            line each time something changed, ending once the runs that were running
            (or the --run given) are sealed or crashed.
              specimen view rosenbrock --follow
              specimen view --all --follow --json --interval 5
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("The run to detail (default: the latest).", valueName: "id"))
    var runID: String?

    @Flag(help: "One line per specimen under --root.")
    var all = false

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print one JSON document (format specimen.view/1, or specimen.view-all/1) instead.")
    var json = false

    @Flag(help: "Watch running runs as they happen (JSON lines when not on a terminal, or with --json).")
    var follow = false

    @Option(help: ArgumentHelp("With --follow: seconds between refreshes, at most one document per interval.", valueName: "seconds"))
    var interval: Double = 1

    func validate() throws {
        if all && specimen != nil { throw ValidationError("--all shows every specimen under --root; leave out the specimen, or drop --all") }
        if runID != nil && specimen == nil { throw ValidationError("--run needs a specimen: specimen view <specimen> --run <id>") }
        if selection.isActive && specimen == nil { throw ValidationError("--where, --sort and --limit select runs of one specimen: specimen view <specimen> --where …") }
        if let run = runID, (try? RunID(run)) == nil { throw ValidationError("--run \(run): a run ID looks like 20250101_120000 (or 20250101_120000_01)") }
        if !(interval.isFinite && interval >= 0.05 && interval <= 3600) { throw ValidationError("--interval \(interval): give seconds between 0.05 and 3600, e.g. --interval 2") }
    }

    func run() throws {
        cache.apply()
        if follow { return try ViewFollow(view: self).run() }
        try reportingFailures {
            if let specimen { try viewOne(location.specimenPath(specimen)) } else { try viewAll() }
        }
    }

    // MARK: One specimen

    private func viewOne(_ path: String) throws {
        let opened = try StorageLocator.specimen(path)
        let progress = Progress("reading the runs of \(opened.name)")
        // Through the catalog, as `runs` does: sealed runs' fields come from its segments (one
        // file read instead of a manifest per run); running and crashed runs are read live.
        let infos = try selection.select(opened).runs
        progress.finish()
        var chosen: RunInfo?
        if let run = runID {
            let id = try RunID(run)
            guard let found = infos.first(where: { $0.id == id }) else {
                if selection.isActive { throw CommandFailure("run \(run) is not among the runs selected", fix: "Drop --run, or widen --where") }
                throw CommandFailure("specimen \(opened.name) has no run \(run) (in \(opened.runsPath))",
                                     fix: "See its runs with `specimen view \(specimen ?? path)`")
            }
            chosen = found
        } else {
            chosen = infos.last
        }
        if let selected = chosen {
            chosen = (try? opened.runInfo(selected.id)) ?? selected   // with its whole manifest
        }
        var summary = chosen?.summary ?? []
        var history: [String: [Double]] = [:]
        if let chosen, (summary.isEmpty && (chosen.rows ?? 0) > 0 && !chosen.state.isSealed) || (!json && Terminal.isInteractive && (chosen.rows ?? 0) > 0) {
            if let table = try? opened.readMetrics(run: chosen.id) {
                if summary.isEmpty { summary = MetricSummaries.summaries(table) }
                for column in table.columns { history[column.name] = MetricSummaries.numbers(column) }
            }
        }
        if json {
            print(try Self.viewJSON(opened, infos, chosen, summary))
        } else {
            printText(opened, infos, chosen, summary, history)
            if runID != nil, let chosen { SourceText.printProvenance(chosen) }
        }
    }

    private func printText(_ opened: Specimen, _ infos: [RunInfo], _ chosen: RunInfo?, _ summary: [ColumnSummary], _ history: [String: [Double]]) {
        var header = AlignedRows()
        header.add(cells: [.init(RunText.bold("specimen"), plain: "specimen"), .init(opened.name)])
        header.add(["folder", opened.path])
        header.add(cells: [.init("current"), .init(infos.last.map { "\($0.id)  " + RunText.status($0.state) } ?? "none",
                                                       plain: infos.last.map { "\($0.id)  \($0.state.name)" } ?? "none")])
        header.add(["runs", "\(infos.count)"])
        header.print()
        guard let chosen else {
            print("")
            print("no runs yet: start one with `specimen run \(specimen ?? opened.path)`")
            return
        }
        print("")
        var table = AlignedRows(indent: 2, rightAligned: [3, 4])
        table.add(["run", "status", "started (UTC)", "duration", "rows"])
        for info in infos {
            table.add(cells: [.init(info.id.rawValue), .init(RunText.status(info.state), plain: info.state.name),
                              .init(RunText.time(info.startedAt)), .init(RunText.duration(info.duration)),
                              .init(info.rows.map(String.init) ?? "-")])
        }
        table.print()
        let noteWidth = max(40, Terminal.width ?? 80)
        func note(_ text: String) { print(text.count > noteWidth ? String(text.prefix(noteWidth - 1)) + "…" : text) }
        for info in infos {
            switch info.state {
            case .crashed(let reason):
                note("  \(info.id) crashed: \(reason)")
                note("    seal it with `specimen recover \(specimen ?? opened.path)`")
            case .damaged(let reason): note("  \(info.id) damaged: \(reason)")
            default:
                if info.isLegacy {
                    note("  \(info.id) is the legacy results in \(info.path), read in place")
                    note("    move them into runs/ with `specimen migrate \(specimen ?? opened.path)`")
                }
            }
        }
        print("")
        var title = "run \(chosen.id)  \(RunText.status(chosen.state))"
        if let code = chosen.manifest?["exit_code"]?.intValue { title += "  exit \(code)" }
        if let signal = chosen.manifest?["signal"]?.intValue { title += "  signal \(signal)" }
        print(title)
        let params = chosen.params.mapValue ?? [:]
        if params.isEmpty {
            print("  params   none")
        } else {
            print("  params")
            var rows = AlignedRows(indent: 4)
            for pair in params { rows.add([Self.text(pair.key), Self.text(pair.value)]) }
            rows.print()
        }
        let columns = summary.filter { $0.name != "step" }
        if columns.isEmpty {
            print("  metrics  \(chosen.rows.map { "\($0) rows, " } ?? "")no numeric columns")
            return
        }
        print("  metrics (\(chosen.rows ?? 0) rows)")
        let spark = !history.isEmpty && Terminal.isInteractive
        var rows = AlignedRows(indent: 4, rightAligned: [1, 2, 3])
        rows.add(["", "last", "min", "max"] + (spark ? ["history"] : []))
        for column in columns {
            var cells = [column.name, RunText.number(column.last), RunText.number(column.min), RunText.number(column.max)]
            if spark { cells.append(RunText.sparkline(history[column.name] ?? [], width: max(8, min(30, (Terminal.width ?? 80) - 50)))) }
            rows.add(cells)
        }
        rows.print()
    }

    /// A param key or value as short text: strings bare, the rest as JSON.
    static func text(_ value: MessagePackValue) -> String {
        if let string = value.stringValue { return string }
        if case .float64(let v) = value { return RunText.number(v) }
        return value.jsonText()
    }

    /// The `specimen.view/1` document (one line unless `pretty`).
    static func viewJSON(_ opened: Specimen, _ infos: [RunInfo], _ chosen: RunInfo?, _ summary: [ColumnSummary], pretty: Bool = true) throws -> String {
        try JSONDocumentEncoder(pretty: pretty).text(ViewDocument(specimen: opened, runs: infos, chosen: chosen, metrics: summary))
    }

    // MARK: Every specimen

    private struct Line {
        var name: String
        var runs: Int
        var latest: RunInfo?
        var error: String?
    }

    private func viewAll() throws {
        let root: SpecimenRoot
        do {
            root = try StorageLocator.root(location.root)
        } catch let error as SpecimenError where error.code == .notFound {
            throw CommandFailure("no folder of specimens at \(location.root)", fix: "Create a specimen with `specimen new <name>`, or point --root at the folder that holds them")
        }
        let folders = try root.specimenNames()
        let progress = Progress("reading \(folders.count) specimens")
        let slots = Slots<Line>(count: folders.count)
        Parallel.forEach(folders.count) { index in
            let name = folders[index]
            do {
                let opened = try root.specimen(named: name)
                let ids = try opened.listRuns()
                let latest = try ids.last.map { try opened.runInfo($0) }
                slots.set(index, Line(name: name, runs: ids.count, latest: latest))
            } catch {
                slots.set(index, Line(name: name, runs: 0, latest: nil, error: "\(error)"))
            }
        }
        progress.finish()
        let lines = slots.values.compactMap { $0 }
        let totalRuns = lines.reduce(0) { $0 + $1.runs }
        if json {
            let entries = lines.map {
                ViewAllDocument.Entry(name: $0.name, runs: $0.runs, latest: $0.latest.map(RunOverview.init), error: $0.error)
            }
            print(try JSONDocumentEncoder().text(ViewAllDocument(root: location.root, specimens: entries)))
            return
        }
        if lines.isEmpty {
            print("no specimens in \(location.root): create one with `specimen new <name>`")
            return
        }
        var table = AlignedRows(rightAligned: [1])
        table.add(["specimen", "runs", "latest run", "status", "started (UTC)"])
        for line in lines {
            if let error = line.error {
                table.add([line.name, "-", "unreadable: \(error)"])
            } else if let latest = line.latest {
                table.add(cells: [.init(line.name), .init("\(line.runs)"), .init(latest.id.rawValue),
                                  .init(RunText.status(latest.state), plain: latest.state.name),
                                  .init(RunText.time(latest.startedAt))])
            } else {
                table.add([line.name, "0", "-", "no runs"])
            }
        }
        table.print()
        print("")
        var latestStates: [String: Int] = [:]
        for line in lines { if let latest = line.latest { latestStates[latest.state.name, default: 0] += 1 } }
        let order = ["running", "completed", "failed", "interrupted", "crashed", "damaged"]
        let states = order.compactMap { name in latestStates[name].map { "\($0) \(name)" } }
        print("\(lines.count) specimen\(lines.count == 1 ? "" : "s"), \(totalRuns) run\(totalRuns == 1 ? "" : "s") in \(location.root)"
              + (states.isEmpty ? "" : "; latest runs: " + states.joined(separator: ", ")))
    }
}
