import ArgumentParser
import Specimens

/// `specimen verify`: checks sealed runs' files against the sizes and SHA-256 in their manifests.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check sealed runs against their manifests' checksums.",
        discussion: """
            Verifies one run folder, every sealed run of a specimen, or (with no
            argument) of every specimen under --root. Unsealed runs are listed as
            skipped. Exits 1 when any file is changed, missing or extra, or a manifest
            is damaged.

            Examples:
              specimen verify rosenbrock
              specimen verify specimens/rosenbrock/runs/20250101_120000
              specimen verify --json
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "A specimen (name or folder) or a run folder; default: every specimen.", completion: .directory)
    var target: String?

    @Flag(help: "Print one JSON document (format specimen.verify/1) instead.")
    var json = false

    private struct Outcome {
        var specimen: String
        var run: RunID
        var result: Result<VerificationReport, any Error>?
        var skipped: String?
    }

    func run() throws {
        cache.apply()
        var failed = false
        try reportingFailures {
            let scope = try SpecimenScope.resolve(target, location: location, allowRun: true)
            var work: [(Specimen, RunID)] = []
            switch scope {
            case .run(let specimen, let id): work = [(specimen, id)]
            case .specimens(let specimens):
                for specimen in specimens { for id in try specimen.listRuns() { work.append((specimen, id)) } }
            }
            let progress = Progress("verifying \(work.count) runs")
            var outcomes: [Outcome] = []
            for (specimen, id) in work {
                let info = try? specimen.runInfo(id)
                if let info, info.isLegacy {
                    outcomes.append(Outcome(specimen: specimen.name, run: id, result: nil, skipped: "legacy (not migrated)"))
                    continue
                }
                if let info, !info.state.isSealed, case .damaged = info.state {} else if let info, !info.state.isSealed {
                    outcomes.append(Outcome(specimen: specimen.name, run: id, result: nil, skipped: info.state.name))
                    continue
                }
                outcomes.append(Outcome(specimen: specimen.name, run: id, result: Result { try specimen.verify(run: id) }))
            }
            progress.finish()
            failed = outcomes.contains { outcome in
                guard let result = outcome.result else { return false }
                if case .success(let report) = result { return !report.isIntact } else { return true }
            }
            if json { try printJSON(outcomes) } else { printText(outcomes) }
        }
        if failed { throw ExitCode.failure }
    }

    private func printText(_ outcomes: [Outcome]) {
        if outcomes.isEmpty { print("no runs to verify"); return }
        var rows = AlignedRows()
        var good = 0, bad = 0, skipped = 0
        for outcome in outcomes {
            let name = "\(outcome.specimen)/\(outcome.run)"
            if let state = outcome.skipped {
                skipped += 1
                rows.add(["skipped", name, "\(state), not sealed"])
                continue
            }
            switch outcome.result! {
            case .success(let report) where report.isIntact:
                good += 1
                rows.add(cells: [.init(Terminal.useColor ? "\u{1B}[32mok\u{1B}[0m" : "ok", plain: "ok"), .init(name), .init("\(report.verified) files")])
            case .success(let report):
                bad += 1
                var parts: [String] = []
                if !report.changed.isEmpty { parts.append("changed: " + report.changed.joined(separator: ", ")) }
                if !report.missing.isEmpty { parts.append("missing: " + report.missing.joined(separator: ", ")) }
                if !report.extra.isEmpty { parts.append("extra: " + report.extra.joined(separator: ", ")) }
                rows.add(cells: [.init(Terminal.useColor ? "\u{1B}[31mFAILED\u{1B}[0m" : "FAILED", plain: "FAILED"), .init(name), .init(parts.joined(separator: "; "))])
            case .failure(let error):
                bad += 1
                rows.add(cells: [.init(Terminal.useColor ? "\u{1B}[31mFAILED\u{1B}[0m" : "FAILED", plain: "FAILED"), .init(name), .init("\(error)")])
            }
        }
        rows.print()
        print("")
        print("\(good) intact, \(bad) failed, \(skipped) skipped")
        if bad > 0 { Standard.error("specimen: \(bad) run\(bad == 1 ? "" : "s") failed verification; a sealed run's files must not change — make a new run instead of editing one") }
    }

    private func printJSON(_ outcomes: [Outcome]) throws {
        let entries = outcomes.map { outcome -> VerifyDocument.Entry in
            if let state = outcome.skipped { return VerifyDocument.Entry(specimen: outcome.specimen, run: outcome.run, skipped: state) }
            switch outcome.result {
            case .success(let report): return VerifyDocument.Entry(specimen: outcome.specimen, report: report)
            case .failure(let error): return VerifyDocument.Entry(specimen: outcome.specimen, run: outcome.run, error: "\(error)")
            case nil: return VerifyDocument.Entry(specimen: outcome.specimen, run: outcome.run, error: "not checked")
            }
        }
        print(try JSONDocumentEncoder().text(VerifyDocument(runs: entries)))
    }
}
