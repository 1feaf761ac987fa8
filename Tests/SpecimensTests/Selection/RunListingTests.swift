import Foundation
import InteropSupport
import Testing
@testable import Specimens

/// `listRuns` sorts the keys of the names in `runs/` and makes the IDs' text again from them;
/// names that are not run IDs are skipped, and a `_00` name keeps its own text.
@Suite struct RunListingTests {
    @Test func idsComeBackInOrderWithTheirText() throws {
        let folder = try TemporaryFolder()
        let names = ["20260102_000000", "20251231_235959_99", "20260101_120000_01", "20260101_120000", "20260101_120000_00",
                     "99991231_235959", "19700101_000000_07"]
        for name in names + ["notarun", ".tmp-20260101_120000", "20260101_12000", "20260101-120000"] {
            try FileManager.default.createDirectory(atPath: folder.path + "/s/runs/" + name, withIntermediateDirectories: true)
        }
        let ids = try Specimen(at: folder.path + "/s").listRuns().map(\.rawValue)
        #expect(ids.count == names.count)
        #expect(ids.first == "19700101_000000_07" && ids.last == "99991231_235959")
        #expect(Set(ids) == Set(names))
        #expect(Array(ids[2 ... 4]).sorted() == ["20260101_120000", "20260101_120000_00", "20260101_120000_01"].sorted())
        #expect(ids[4] == "20260101_120000_01")
        for id in ids { #expect(try RunID(id).rawValue == id) }
    }
}
