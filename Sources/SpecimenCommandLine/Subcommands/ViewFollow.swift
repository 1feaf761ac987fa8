#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Parquet
import Specimens

/// `specimen view --follow`: watches runs as they happen, for one specimen or (`--all`) every
/// specimen under `--root`.
///
/// On a terminal (without `--json`): a ``LiveScreen`` redrawn every `--interval` with each
/// followed run's status, elapsed time, rows and rows per second, and each metric's last value
/// and sparkline, until Ctrl-C. Otherwise: one JSON document per line (`specimen.view/1`, or
/// `specimen.view-all/1` with `--all`) whenever something changed, at most once per interval,
/// ending after the state in which every run that was running at the start (or the `--run`
/// given) is sealed or crashed.
struct ViewFollow {
    let view: ViewCommand

    func run() throws {
        try reportingFailures {
            let source = try FollowedSpecimens(view)
            if view.json || !Terminal.isInteractive {
                try followAsJSONLines(source)
            } else {
                try followOnScreen(source)
            }
        }
    }

    // MARK: JSON lines

    private func followAsJSONLines(_ source: FollowedSpecimens) throws {
        while true {
            if try source.refresh() {
                // Written straight to the descriptor: a reader of the pipe gets each line at once.
                FileHandle.standardOutput.write(Data(((view.all ? try source.allDocument() : try source.oneDocument()) + "\n").utf8))
            }
            if source.isSettled { return }
            Thread.sleep(forTimeInterval: view.interval)
        }
    }

    // MARK: The terminal

    private func followOnScreen(_ source: FollowedSpecimens) throws {
        let screen = LiveScreen()
        defer { screen.restore() }
        var rates = FollowRates()
        repeat {
            try source.refresh()
            let size = screen.size
            var board = FollowBoard(width: Swift.min(size.columns, 120), height: size.rows)
            board.header(source.title, interval: view.interval)
            for watch in source.watches { board.specimen(watch, showName: view.specimen == nil, rates: &rates) }
            if view.specimen == nil, source.watches.allSatisfy(\.followed.isEmpty) { board.nothingRunning(view.location.root) }
            screen.draw(board.lines)
        } while screen.pause(view.interval)
    }
}

/// The specimens a follow watches: the one given, or every folder under `--root` (new ones
/// are picked up as they appear).
final class FollowedSpecimens {
    private let view: ViewCommand
    private(set) var watches: [RunWatch] = []
    private var errors: [String: String] = [:]
    private var refreshed = false

    init(_ view: ViewCommand) throws {
        self.view = view
        if let name = view.specimen {
            let runID = try view.runID.map { try RunID($0) }
            watches = [RunWatch(specimen: try StorageLocator.specimen(view.location.specimenPath(name)), only: runID)]
        } else {
            guard Self.isFolder(view.location.root) else {
                throw CommandFailure("no folder of specimens at \(view.location.root)",
                                     fix: "Create a specimen with `specimen new <name>`, or point --root at the folder that holds them")
            }
        }
    }

    /// What the screen's first line names.
    var title: String { view.specimen.map { watches.first?.specimen.name ?? $0 } ?? view.location.root }

    /// Refreshes every watch (finding new specimens under `--root`); whether anything changed.
    @discardableResult
    func refresh() throws -> Bool {
        var changed = !refreshed
        refreshed = true
        if view.specimen == nil {
            let root = view.location.root
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") && Self.isFolder(root + "/" + $0) }.sorted()
            let known = Set(watches.map(\.specimen.name))
            for name in names where !known.contains(name) {
                if let specimen = try? StorageLocator.specimen(root + "/" + name) { watches.append(RunWatch(specimen: specimen)); changed = true }
            }
            watches.sort { $0.specimen.name < $1.specimen.name }
        }
        for watch in watches {
            do {
                if try watch.refresh() { changed = true }
                if errors.removeValue(forKey: watch.specimen.name) != nil { changed = true }
            } catch {
                if view.specimen != nil { throw error }
                if errors[watch.specimen.name] != "\(error)" { changed = true }
                errors[watch.specimen.name] = "\(error)"
            }
        }
        return changed
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    /// Whether every watch's runs that were running at the start are sealed or crashed.
    var isSettled: Bool { watches.allSatisfy(\.isSettled) }

    /// One specimen's `specimen.view/1` document on one line: the `--run` given, else the
    /// latest run, detailed (metrics summarised live while it runs).
    func oneDocument() throws -> String {
        guard let watch = watches.first else { return "{}" }
        let chosen = watch.only.flatMap { watch.info($0) } ?? watch.runs.last
        return try ViewCommand.viewJSON(watch.specimen, watch.runs, chosen, chosen.map { Self.summary($0, watch) } ?? [], pretty: false)
    }

    /// The `specimen.view-all/1` document on one line, with each specimen's followed runs.
    func allDocument() throws -> String {
        let entries = watches.map { watch in
            ViewAllDocument.Entry(name: watch.specimen.name, runs: watch.runs.count, latest: watch.runs.last.map(RunOverview.init),
                                  following: watch.followed.compactMap { watch.info($0) }.map(RunOverview.init),
                                  error: errors[watch.specimen.name])
        }
        return try JSONDocumentEncoder(pretty: false).text(ViewAllDocument(root: view.location.root, specimens: entries))
    }

    /// A run's metric summaries: its manifest's once sealed, else computed from its rows so far.
    static func summary(_ info: RunInfo, _ watch: RunWatch) -> [ColumnSummary] {
        if info.state.isSealed, !info.summary.isEmpty { return info.summary }
        guard let table = watch.metrics(info.id) else { return [] }
        return MetricSummaries.summaries(table).filter { $0.name != "step" }
    }
}

/// Rows per second of each run, from the change in its row count between two refreshes.
struct FollowRates {
    private var last: [String: (rows: Int, at: Double)] = [:]
    private var rates: [String: Double] = [:]

    /// The rate of run `key` now holding `rows`.
    mutating func rate(_ key: String, rows: Int) -> Double? {
        let now = Double(currentMicrosecondsForDisplay()) / 1e6
        defer { last[key] = (rows, now) }
        guard let previous = last[key], now > previous.at else { return nil }
        if rows != previous.rows || now - previous.at >= 0.5 {
            rates[key] = Double(Swift.max(0, rows - previous.rows)) / (now - previous.at)
        }
        return rates[key]
    }
}

/// Microseconds since 1970.
private func currentMicrosecondsForDisplay() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
}
