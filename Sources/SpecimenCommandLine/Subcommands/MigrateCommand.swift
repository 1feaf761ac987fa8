import ArgumentParser
import Foundation
import Specimens

/// `specimen migrate`: turns legacy specimens (results at the specimen root or in `strata/`)
/// into the runs layout, one run each, without losing anything.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move legacy specimens (metrics.parquet + manifest.msgpack in place) into runs/.",
        discussion: """
            Each legacy specimen becomes one sealed run whose ID comes from the legacy manifest's
            time (run_timestamp, timestamp, created_at, created or date), else from the metrics
            file's modification time. The metrics gain a run_id column; every other column, value
            and manifest key is kept. Nothing is removed before the run is written, synced and
            verified; an interrupted migration is finished by running migrate again.

            Examples:
              specimen migrate --dry-run            # every legacy specimen under ./specimens
              specimen migrate mnist cifar --root ~/experiments
              specimen migrate path/to/specimen --json
            """
    )

    @Argument(help: "Specimens to migrate: names under --root, or paths (with a '/'). Default: every specimen under --root.",
              completion: .directory)
    var specimens: [String] = []

    @OptionGroup var location: RootOptions

    @Flag(help: "Say what would be done; change nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON document (format specimen.migrate/1) instead.")
    var json = false

    func run() throws {
        var anyFailed = false
        try reportingFailures {
            let paths = try specimens.isEmpty ? SpecimenMigrator.specimens(under: root) : specimens.map(resolve)
            let many = paths.count > 1
            let verb = dryRun ? "planning" : "migrating"
            let reports = SpecimenMigrator.migrate(paths, dryRun: dryRun) { started, total, path in
                if many { Self.progress("[\(started)/\(total)] \(verb) \(path)") }
            }
            for report in reports {
                if !json { printText(report) }
                if report.isFailure { Standard.error("specimen: \(report.specimenPath): \(report.message)") }
            }
            if many { progress(nil) }
            if json { try printJSON(reports) } else { printSummary(reports) }
            anyFailed = reports.contains { $0.isFailure }
        }
        if anyFailed { throw ExitCode.failure }
    }

    private var root: String { location.root }

    private func resolve(_ argument: String) -> String { location.specimenPath(argument) }

    private func progress(_ line: String?) { Self.progress(line) }

    private static func progress(_ line: String?) {
        if isatty(STDERR_FILENO) != 0 {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + (line ?? "")).utf8))
        } else if let line {
            Standard.error(line)
        }
    }

    private func printText(_ report: MigrationReport) {
        let name = report.specimenPath
        switch report.outcome {
        case .failed:
            print("\(name): not migrated, left untouched: \(report.message)")
        case .alreadyMigrated, .notLegacy:
            print("\(name): \(report.message)")
        case .finished, .wouldFinish:
            print("\(name): \(report.message)")
        case .migrated, .wouldMigrate:
            guard let plan = report.plan, let id = report.runID else { print("\(name): \(report.message)"); return }
            print("\(name): \(report.outcome == .migrated ? "migrated into" : "would migrate into") run \(id)")
            print("  run ID   \(id): \(plan.runIDReason)")
            print("  metrics  \(plan.rows) rows, \(plan.columns.count) columns + run_id")
            let width = min(32, plan.files.map { $0.source.count }.max() ?? 0)
            for move in plan.files {
                let source = move.source.padding(toLength: max(width, move.source.count), withPad: " ", startingAt: 0)
                let destination = move.destination.replacingOccurrences(of: "runs/\(plan.runID)/", with: "runs/\(id)/")
                switch move.action {
                case .rewritten: print("  \(source)  → \(destination) (rewritten with run_id first)")
                case .manifest: print("  \(source)  → \(destination) (keys kept; clashing ones under legacy)")
                case .specimenManifest: print("  \(source)  → \(destination) (run keys); stays as manifest.msgpack, format specimen/1")
                case .moved: print("  \(source)  → \(destination)")
                case .kept: print("  \(source)  stays")
                }
            }
            for note in plan.notes { print("  note: \(note)") }
        }
        for warning in report.warnings { print("  warning: \(warning)") }
    }

    private func printSummary(_ reports: [MigrationReport]) {
        guard reports.count != 1 else { return }
        var counts: [String: Int] = [:]
        for report in reports { counts[report.outcome.rawValue, default: 0] += 1 }
        let order: [MigrationReport.Outcome] = [.migrated, .finished, .wouldMigrate, .wouldFinish, .alreadyMigrated, .notLegacy, .failed]
        let parts = order.compactMap { outcome in counts[outcome.rawValue].map { "\($0) \(outcome.rawValue)" } }
        print(reports.isEmpty ? "no specimens under \(root)" : parts.joined(separator: ", "))
    }

    private func printJSON(_ reports: [MigrationReport]) throws {
        print(try JSONDocumentEncoder(pretty: false).text(MigrateDocument(dryRun: dryRun, reports: reports)))
    }
}
