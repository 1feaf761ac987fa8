import ArgumentParser
import MessagePack
import Specimens

/// `specimen compare`: runs' params and metric summaries side by side.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs' params and metrics side by side.",
        discussion: """
            Compares the given runs (default: the two latest) of one specimen. Params
            show only the keys whose values differ, unless --all-params. Each metric
            shows every run's last, min and max, and the change of each against the
            first run listed. Then the source files that differ (unified diffs, unless
            --no-diff), a changed git commit with its log, and changed git patches.

            Examples:
              specimen compare rosenbrock
              specimen compare rosenbrock 20250101_120000 20250101_120500 --all-params
              specimen compare rosenbrock --json | jq '.metrics[] | {name, runs}'
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "The specimen: a name under --root, or a folder.", completion: .directory)
    var specimen: String

    @Argument(help: "Run IDs to compare, first is the base (default: the two latest runs).")
    var runs: [String] = []

    @Flag(help: "Show every param, not only those that differ.")
    var allParams = false

    @Flag(help: "Hide the diffs of source files and git patches (changed names are still listed).")
    var noDiff = false

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print one JSON document (format specimen.compare/1) instead.")
    var json = false

    func validate() throws {
        if selection.isActive && !runs.isEmpty { throw ValidationError("give run IDs or --where/--sort/--limit, not both") }
        for run in runs where (try? RunID(run)) == nil {
            throw ValidationError("\(run) is not a run ID: they look like 20250101_120000 (see `specimen view \(specimen)`)")
        }
    }

    func run() throws {
        cache.apply()
        try reportingFailures {
            let opened = try StorageLocator.specimen(location.specimenPath(specimen))
            let ids: [RunID]
            if selection.isActive {
                let selected = try selection.select(opened)
                guard !selected.runs.isEmpty else {
                    throw CommandFailure("no run of specimen \(opened.name) matches (of \(selected.totalRuns))", fix: "Widen --where, or list the runs with `specimen runs \(specimen)`")
                }
                ids = selected.runs.map(\.id)
            } else if runs.isEmpty {
                ids = Array(try opened.listRuns().suffix(2))
                guard !ids.isEmpty else {
                    throw CommandFailure("specimen \(opened.name) has no runs (in \(opened.runsPath))", fix: "Start one with `specimen run \(specimen)`")
                }
            } else {
                ids = try runs.map { try RunID($0) }
            }
            var infos: [RunInfo] = []
            for id in ids {
                do { infos.append(try opened.runInfo(id)) } catch {
                    throw CommandFailure("specimen \(opened.name) has no run \(id) (in \(opened.runsPath))", fix: "See its runs with `specimen view \(specimen)`")
                }
            }
            var summaries = infos.map(\.summary)
            for (index, info) in infos.enumerated() where summaries[index].isEmpty && (info.rows ?? 0) > 0 {
                if let table = try? opened.readMetrics(run: info.id) { summaries[index] = MetricSummaries.summaries(table) }
            }
            let params = CompareDocument.ParamRow.rows(infos)
            let metricNames = CompareDocument.metricNames(summaries)
            if json {
                try printJSON(opened, infos, params, summaries)
            } else {
                printText(opened, infos, params, metricNames, summaries)
                SourceText.printComparisons(opened, infos, diffs: !noDiff)
            }
        }
    }

    private func printText(_ opened: Specimen, _ infos: [RunInfo], _ params: [CompareDocument.ParamRow], _ names: [String], _ summaries: [[ColumnSummary]]) {
        print("compare \(opened.name): \(infos.count) run\(infos.count == 1 ? "" : "s"), changes against \(infos[0].id)")
        print("")
        var header = AlignedRows(indent: 2)
        header.add(["run", "status", "started (UTC)", "rows"])
        for info in infos {
            header.add(cells: [.init(info.id.rawValue), .init(RunText.status(info.state), plain: info.state.name),
                               .init(RunText.time(info.startedAt)), .init(info.rows.map(String.init) ?? "-")])
        }
        header.print()
        print("")
        let shown = params.filter { allParams || $0.differs }
        if shown.isEmpty {
            print(params.isEmpty ? "params: none" : "params: all \(params.count) the same (--all-params shows them)")
        } else {
            print(allParams ? "params" : "params that differ (\(shown.count) of \(params.count); --all-params shows all)")
            var rows = AlignedRows(indent: 2)
            rows.add([""] + infos.map(\.id.rawValue))
            for row in shown {
                rows.add(cells: [.init(row.key)] + row.values.map { value in
                    let text = value.map { ViewCommand.text($0.value) } ?? "-"
                    return row.differs && Terminal.useColor ? .init(RunText.bold(text), plain: text) : .init(text)
                })
            }
            rows.print()
        }
        print("")
        guard !names.isEmpty else {
            print("metrics: none recorded")
            return
        }
        print("metrics")
        var rows = AlignedRows(indent: 2)
        var head = ["", "", infos[0].id.rawValue]
        for info in infos.dropFirst() { head += [info.id.rawValue, "change"] }
        rows.add(head)
        for name in names {
            let columns = summaries.map { summary in summary.first { $0.name == name } }
            for (index, stat) in ["last", "min", "max"].enumerated() {
                func pick(_ column: ColumnSummary?) -> Double? {
                    guard let column else { return nil }
                    return [column.last, column.min, column.max][index]
                }
                let base = pick(columns[0])
                var cells = [index == 0 ? name : "", stat, RunText.number(base)]
                for column in columns.dropFirst() {
                    cells += [RunText.number(pick(column)), RunText.change(from: base, to: pick(column))]
                }
                rows.add(cells)
            }
        }
        rows.print()
    }

    private func printJSON(_ opened: Specimen, _ infos: [RunInfo], _ params: [CompareDocument.ParamRow], _ summaries: [[ColumnSummary]]) throws {
        let shown = params.filter { allParams || $0.differs }
        print(try JSONDocumentEncoder().text(CompareDocument(specimen: opened, runs: infos, summaries: summaries, params: shown, diffs: !noDiff)))
    }
}
