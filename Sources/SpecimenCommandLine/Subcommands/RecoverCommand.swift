import ArgumentParser
import Specimens

/// `specimen recover`: seals crashed runs from their journals, with status `crashed`.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Seal crashed runs from their journals.",
        discussion: """
            A run whose writer died (killed, power cut) is unsealed; recovery writes its
            metrics.parquet and manifest from what its journals hold. Running and sealed
            runs are left alone. With no specimen, every specimen under --root.

            Examples:
              specimen recover rosenbrock
              specimen recover --root experiments --json
            """
    )

    @OptionGroup var location: RootOptions
    @OptionGroup var cache: CacheOptions

    @Argument(help: "The specimen: a name under --root, or a folder; default: every specimen.", completion: .directory)
    var specimen: String?

    @Flag(help: "Print one JSON document (format specimen.recover/1) instead.")
    var json = false

    func run() throws {
        cache.apply()
        try reportingFailures {
            guard case .specimens(let specimens) = try SpecimenScope.resolve(specimen, location: location, allowRun: false) else { return }
            let progress = Progress("recovering runs of \(specimens.count) specimens")
            var recovered: [(specimen: String, run: RunID, reason: String, rows: Int?)] = []
            for opened in specimens {
                for id in try opened.listRuns() {
                    guard let info = try? opened.runInfo(id), case .crashed(let reason) = info.state else { continue }
                    if try opened.recover(run: id) {
                        recovered.append((opened.name, id, reason, (try? opened.runInfo(id))?.rows))
                    }
                }
            }
            progress.finish()
            if json {
                let entries = recovered.map { RecoverDocument.Entry(specimen: $0.specimen, run: $0.run.rawValue, reason: $0.reason, rows: $0.rows) }
                print(try JSONDocumentEncoder().text(RecoverDocument(recovered: entries)))
                return
            }
            if recovered.isEmpty {
                print("nothing to recover: no crashed runs")
                return
            }
            var rows = AlignedRows()
            for item in recovered {
                rows.add(["recovered", "\(item.specimen)/\(item.run)", "\(item.rows ?? 0) rows", item.reason])
            }
            rows.print()
            print("")
            print("\(recovered.count) run\(recovered.count == 1 ? "" : "s") sealed as crashed")
        }
    }
}
