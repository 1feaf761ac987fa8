import Foundation
import Specimens

/// What `verify` and `recover` act on: one run folder, one specimen, or every specimen under
/// the root.
enum SpecimenScope {
    case run(Specimen, RunID)
    case specimens([Specimen])

    /// Resolves the optional argument: a run folder (`…/runs/<id>`), a specimen, or nothing
    /// (every specimen under `root`).
    static func resolve(_ argument: String?, location: RootOptions, allowRun: Bool) throws -> SpecimenScope {
        guard let argument else {
            let root: SpecimenRoot
            do {
                root = try StorageLocator.root(location.root)
            } catch let error as SpecimenError where error.code == .notFound {
                throw CommandFailure("no folder of specimens at \(location.root)", fix: "Name a specimen, or point --root at the folder that holds them")
            }
            return .specimens(try root.specimens())
        }
        var trimmed = argument
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if allowRun, parts.count >= 3, parts[parts.count - 2] == "runs", let id = try? RunID(String(parts[parts.count - 1])) {
            let specimenPath = parts.dropLast(2).joined(separator: "/")
            return .run(try StorageLocator.specimen(specimenPath.isEmpty ? "/" : specimenPath), id)
        }
        return .specimens([try StorageLocator.specimen(location.specimenPath(argument))])
    }
}
