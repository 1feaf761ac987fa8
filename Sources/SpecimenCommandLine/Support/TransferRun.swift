import ArgumentParser
import Foundation
import Parallel
import Specimens

/// The work shared by `specimen push` and `specimen pull`: open both ends, run the
/// ``SpecimenTransfer``, render its report (text, or the `--json` document), exit 1 on a
/// clash or a failure.
struct TransferRun {
    /// Whether this is a pull (for the document's format and the words).
    var pull: Bool
    /// The source specimen (path or `s3://` address).
    var source: String
    /// The destination specimen (path or `s3://` address).
    var destination: String
    /// `--dry-run`.
    var dryRun: Bool
    /// `--json`.
    var json: Bool

    func run() throws {
        var problems = false
        try reportingFailures {
            let from = try StorageLocator.specimen(source)
            let storage = try StorageLocator.storage(for: destination)
            var options = TransferOptions()
            options.dryRun = dryRun
            let line = ProgressLine(verb: pull ? "pulling" : "pushing")
            options.progress = { line.show($0) }
            let report = try SpecimenTransfer(from: from, to: destination, storage: storage, options: options).run()
            line.finish()
            let running = report.runs.filter { $0.outcome == .running }
            if !running.isEmpty {
                Standard.error("specimen: not copied, not sealed: " + running.map { "\($0.id) (\($0.state))" }.joined(separator: ", "))
            }
            for file in report.specimenFiles where file.outcome == .differs || file.outcome == .failed {
                Standard.error("specimen: \(file.name): \(file.message ?? file.outcome.rawValue)")
            }
            for run in report.runs where run.outcome == .clash || run.outcome == .failed {
                Standard.error("specimen: run \(run.id) \(run.outcome == .clash ? "clashes" : "failed"): \(run.message ?? "")")
            }
            if json {
                print(try JSONDocumentEncoder().text(TransferDocument(pull: pull, source: source, destination: destination, report: report)))
            } else {
                printText(report)
            }
            problems = report.hasProblems
        }
        if problems { throw ExitCode.failure }
    }

    private func printText(_ report: TransferReport) {
        var rows = AlignedRows()
        for run in report.runs where run.outcome != .running {
            let what: String
            switch run.outcome {
            case .copied:
                what = "\(run.filesCopied) files, \(ByteCount.text(Int64(run.bytesCopied)))"
                    + (run.filesPresent > 0 ? " (\(run.filesPresent) already there)" : "")
            case .skipped: what = "already there"
            case .clash: what = "another run under this ID at the destination; left alone"
            case .failed: what = "failed"
            case .running: what = ""
            }
            rows.add([dryRun && run.outcome == .copied ? "to copy" : run.outcome.rawValue, run.id.rawValue, what])
        }
        rows.print()
        let count = { (outcome: TransferReport.Outcome) in report.runs(outcome).count }
        print("\(count(.copied)) \(dryRun ? "to copy" : "copied"), \(count(.skipped)) skipped, \(count(.clash)) clashes, "
              + "\(count(.running)) not sealed, \(count(.failed)) failed"
              + (dryRun ? " (dry run: nothing written)" : ", \(ByteCount.text(Int64(report.bytesCopied))) written"))
    }
}

/// A progress line on stderr for a transfer that takes more than a second (only on a
/// terminal), updated at most a few times a second.
///
/// `@unchecked Sendable`: its state is only touched while holding `lock`.
final class ProgressLine: @unchecked Sendable {
    private let lock = Lock()
    private let verb: String
    private let started = Date()
    private var lastShown = Date.distantPast
    private var width = 0
    private let enabled = isatty(2) != 0

    init(verb: String) { self.verb = verb }

    func show(_ progress: TransferProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastShown) > 0.2 else { return }
        lastShown = now
        let text = "specimen: \(verb) run \(progress.runIndex)/\(progress.runCount) \(progress.run): \(ByteCount.text(Int64(progress.bytesCopied)))"
        let padding = String(repeating: " ", count: max(0, width - text.count))
        width = text.count
        FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
    }

    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if width > 0 { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8)) }
    }
}
