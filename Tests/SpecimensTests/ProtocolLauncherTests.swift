import Foundation
import InteropSupport
import MessagePack
import Parquet
@testable import Specimens

import Testing

@Suite("ProtocolLauncher")
struct ProtocolLauncherTests {
    static func script(_ value: Int) -> String {
        """
        test "$PWD" = "$SPECIMEN_SPECIMEN" || exit 3
        echo "{\\"value\\": \(value), \\"run\\": \\"$SPECIMEN_RUN_ID\\"}" >> "$SPECIMEN_METRICS"
        echo "ran in $SPECIMEN_RUN_DIR"

        """
    }

    @Test func aSwiftProgramStartsAProtocolRunAndRerunsIt() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s"
        try Specimen.create(at: path)
        try Data(Self.script(1).utf8).write(to: URL(fileURLWithPath: path + "/protocol.sh"))
        var launcher = ProtocolLauncher(specimen: path)
        launcher.params = ["k": 3]
        var announced: (RunID, [String])?
        let outcome = try launcher.launch { announced = ($0, $1) }
        #expect(outcome.status == .completed)
        #expect(outcome.exitStatus == 0)
        #expect(announced?.0 == outcome.runID)
        #expect(announced?.1 == ["bash", "protocol.sh"])
        let specimen = try Specimen(at: path)
        let table = try specimen.readMetrics(run: outcome.runID)
        #expect(table["value"]?[0] == .int(1))
        #expect(table["run"]?[0] == .string(outcome.runID.rawValue))
        let manifest = try #require(try specimen.runInfo(outcome.runID).manifest)
        #expect(manifest["source"]?["command"] == .array(["bash", "protocol.sh"]))
        #expect(manifest["protocol"]?["path"]?.stringValue == "protocol.sh")
        #expect(manifest["files"]?["output.log"] != nil)
        #expect(manifest["executable"] == nil)

        try Data(Self.script(2).utf8).write(to: URL(fileURLWithPath: path + "/protocol.sh"))
        let again = try ProtocolLauncher.rerun(specimen: path, run: outcome.runID, overrides: ["k": 4]).launch()
        #expect(again.status == .completed)
        let rerun = try specimen.readMetrics(run: again.runID)
        #expect(rerun["value"]?[0] == .int(1))   // the snapshot, not the edited protocol.sh
        let rerunManifest = try #require(try specimen.runInfo(again.runID).manifest)
        #expect(rerunManifest["rerun_of"]?.stringValue == outcome.runID.rawValue)
        #expect(rerunManifest["params"]?["k"]?.intValue == 4)
        #expect(try SourceComparison(specimen, base: outcome.runID, other: again.runID).changes.isEmpty)
        let changed = try ProtocolLauncher(specimen: path).launch()
        let comparison = try SourceComparison(specimen, base: outcome.runID, other: changed.runID)
        #expect(comparison.changes.map(\.path) == ["protocol.sh"])
        #expect(comparison.changes.first?.diff?.contains("-echo \"{\\\"value\\\": 1") == true)
    }

    @Test func aFailingCommandIsSealedFailedWithItsStatus() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s"
        try Specimen.create(at: path)
        var launcher = ProtocolLauncher(specimen: path)
        launcher.command = ProtocolCommand(arguments: ["sh", "-c", "exit 5"])
        let outcome = try launcher.launch()
        #expect(outcome.status == .failed)
        #expect(outcome.exitStatus == 5)
        #expect(throws: SpecimenError.self) { try ProtocolCommand.discover(in: Specimen(at: path)) }
        #expect(throws: SpecimenError.self) { try ProtocolLauncher.rerun(specimen: path, run: outcome.runID).launch() }
    }
}
