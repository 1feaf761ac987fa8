import Foundation
import Parallel

extension SpecimenMigrator {
    /// Migrates (or plans) several specimens, several at a time (migration mostly waits for
    /// fsync, so workers overlap those waits; default: 8, or twice the cores when more), and
    /// returns the reports in the order of `paths`. `progress` is called (from any thread, one call at a time) as each starts.
    /// A path given twice is migrated once; the second report says so.
    public static func migrate(_ paths: [String], dryRun: Bool = false, workers: Int? = nil,
                               progress: (@Sendable (_ started: Int, _ total: Int, _ path: String) -> Void)? = nil) -> [MigrationReport]
    {
        let count = paths.count
        guard count > 0 else { return [] }
        let slots = Slots<MigrationReport>(count: count)
        let cursor = BatchCursor()
        let threads = Swift.max(1, Swift.min(count, workers ?? Swift.max(8, 2 * ProcessInfo.processInfo.activeProcessorCount)))
        Parallel.forEach(threads, threads: threads) { _ in
            while true {
                let claimed: (index: Int, duplicate: Bool)? = cursor.lock.withLock {
                    guard cursor.next < count else { return nil }
                    let index = cursor.next
                    cursor.next += 1
                    let key = LocalStorage.shared.resolved(paths[index])
                    let duplicate = !cursor.seen.insert(key).inserted
                    progress?(index + 1, count, paths[index])
                    return (index, duplicate)
                }
                guard let claimed else { return }
                if claimed.duplicate {
                    slots.set(claimed.index, MigrationReport(specimenPath: paths[claimed.index], outcome: .notLegacy, plan: nil, runID: nil,
                                                             message: "named twice; migrated once", warnings: []))
                } else {
                    slots.set(claimed.index, migrate(paths[claimed.index], dryRun: dryRun))
                }
            }
        }
        return slots.values.enumerated().map { index, report in
            report ?? MigrationReport(specimenPath: paths[index], outcome: .failed, plan: nil, runID: nil, message: "not migrated", warnings: [])
        }
    }

    /// The next path to take and the specimens already taken, shared by the workers.
    private final class BatchCursor: @unchecked Sendable {
        let lock = Lock()
        var next = 0
        var seen: Set<String> = []
    }
}
