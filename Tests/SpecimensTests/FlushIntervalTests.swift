import Foundation
import InteropSupport
import MessagePack
import Testing
@testable import Specimens

/// Which flush interval a new run gets: the option, else `$SPECIMEN_FLUSH_INTERVAL`, else the
/// storage's default (1 s on the local disk).
@Suite struct FlushIntervalTests {
    @Test func theOptionWinsThenTheEnvironmentThenTheStorage() throws {
        var options = SpecimenStorage.Options()
        let local = LocalStorage.shared
        #expect(local.defaultFlushInterval == 1)
        #expect(try RunCreator.resolvedFlushInterval(options, storage: local, environment: [:]) == 1)
        #expect(try RunCreator.resolvedFlushInterval(options, storage: local, environment: ["SPECIMEN_FLUSH_INTERVAL": ""]) == 1)
        #expect(try RunCreator.resolvedFlushInterval(options, storage: local, environment: ["SPECIMEN_FLUSH_INTERVAL": "2.5"]) == 2.5)
        #expect(try RunCreator.resolvedFlushInterval(options, storage: MemoryStorage(), environment: [:]) == 1)
        for bad in ["0", "-1", "ten", "inf", "nan"] {
            let error = #expect(throws: SpecimenError.self) {
                try RunCreator.resolvedFlushInterval(options, storage: local, environment: ["SPECIMEN_FLUSH_INTERVAL": bad])
            }
            #expect(error.map { "\($0)".contains("SPECIMEN_FLUSH_INTERVAL") } == true, "\(bad)")
        }
        options.flushInterval = 0.25
        #expect(try RunCreator.resolvedFlushInterval(options, storage: local, environment: ["SPECIMEN_FLUSH_INTERVAL": "7"]) == 0.25)
        options.flushInterval = 0
        #expect(throws: SpecimenError.self) { try RunCreator.resolvedFlushInterval(options, storage: local, environment: [:]) }
    }

    @Test func aLocalRunKeepsTheOneSecondDefault() throws {
        let folder = try TemporaryFolder()
        var options = testOptions()
        options.flushInterval = nil
        let storage = try SpecimenStorage(at: folder.file("f"), options: options)
        defer { try? storage.finish() }
        let environment = ProcessInfo.processInfo.environment["SPECIMEN_FLUSH_INTERVAL"].flatMap(Double.init)
        #expect(storage.flushInterval == environment ?? 1)
        options.flushInterval = 0.5
        let explicit = try SpecimenStorage(at: folder.file("g"), options: options)
        defer { try? explicit.finish() }
        #expect(explicit.flushInterval == 0.5)
    }
}
