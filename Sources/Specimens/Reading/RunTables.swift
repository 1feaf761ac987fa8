public import Parquet

/// Several sealed runs' metrics, handed out one run's table at a time: what
/// ``Specimen/readAllRuns()`` and ``Specimen/readRunsTable(_:)`` stack, without ever holding
/// the stacked table. The stacked ``schema`` is known before any data is read.
///
/// ```swift
/// let runs = try specimen.runTables()
/// print(runs.schema.names)                    // run_id first, then the union of the runs' columns
/// let skipped = try runs.forEach { id, table in
///     print(id, table.rowCount)               // every table has `schema`'s columns
/// }
/// ```
///
/// Concatenating the tables gives the stacked table, row for row. Memory stays near a few runs'
/// tables: every footer is read first (which fixes the schema), then runs are decoded a few at a
/// time on every core and handed out in order. A specimen holding an unmigrated legacy run is
/// the exception: it is read whole first, then handed out run by run.
public struct RunTables: Sendable {
    /// Where the tables come from.
    private enum Source: Sendable {
        /// Each run's metrics file, decoded when its turn comes; `ids[i]` is file `i`'s run.
        case files(StackStream, ids: [RunID])
        /// A table already stacked, with each run's rows.
        case whole(Table, runs: [(id: RunID, rows: Range<Int>)])
    }

    /// The stacked schema: `run_id` (string) first, then the union of the runs' columns in
    /// first-seen order, every field nullable.
    public let schema: Schema
    /// The runs that will be handed out, in order (mid-stream failures aside).
    public let runs: [RunID]
    /// The runs already known to be left out (unsealed runs asked for, metrics files whose
    /// footer cannot be read or is another run's), in the order given.
    public var skipped: [RunsTable.Skipped] { knownSkips.map(\.skip) }
    /// The number of rows of ``runs``, by their footers.
    public let rowCount: Int

    private let source: Source
    /// The skipped runs with their position among the runs asked for.
    private let knownSkips: [(position: Int, skip: RunsTable.Skipped)]

    /// Runs' metrics files, `ids[i]`'s at `paths[i]`, each checked to be its run's; the runs
    /// asked for sit at `positions[i]`, and `skips` were left out before. Throws `.typeMismatch`
    /// when two runs' columns cannot be stacked.
    init(files paths: [String], ids: [RunID], positions: [Int], skips: [(position: Int, skip: RunsTable.Skipped)]) throws {
        let files = zip(paths, ids).map { StackFile(path: $0, constant: $1.rawValue) }
        var options = StackOptions(constantColumn: MetricsFile.runIDColumn)
        options.check = { reader, file in try RunStacker.check(reader, path: file.path, runID: file.constant) }
        let stream: StackStream
        do {
            stream = try StackStream(files, options: options)
        } catch let clash as StackClash {
            throw RunStacker.typeClash(clash.column, clash.known, clash.found, run: ids[clash.index])
        }
        var skips = skips
        for failure in stream.failures {
            skips.append((positions[failure.index], RunsTable.Skipped(run: ids[failure.index], reason: RunStacker.reason(failure.error, path: paths[failure.index]))))
        }
        skips.sort { $0.position < $1.position }
        schema = stream.schema
        runs = stream.readableFiles.map { ids[$0] }
        rowCount = stream.rowCount
        source = .files(stream, ids: ids)
        knownSkips = skips
        self.positions = positions
        self.paths = paths
    }

    /// Runs already stacked into `table` (`run_id` first, each run's rows together, in order).
    init(stacked: RunsTable) {
        var runs: [(id: RunID, rows: Range<Int>)] = []
        let count = stacked.table.rowCount
        if let column = stacked.table.columns.first, column.name == MetricsFile.runIDColumn, count > 0 {
            // Each run's rows are together: a run ends where the run_id changes.
            var start = 0
            for row in 1 ... count where row == count || column[row] != column[start] {
                if case .string(let text) = column[start], let id = try? RunID(text) { runs.append((id, start ..< row)) }
                start = row
            }
        }
        schema = Schema(of: stacked.table)
        self.runs = runs.map(\.id)
        rowCount = stacked.table.rowCount
        source = .whole(stacked.table, runs: runs)
        knownSkips = stacked.skipped.enumerated().map { ($0.offset, $0.element) }
        positions = []
        paths = []
    }

    /// For the files source: each file's position among the runs asked for.
    private let positions: [Int]
    /// For the files source: each file's path.
    private let paths: [String]

    /// Reads the runs in order and calls `body` with each run's ID and its rows in ``schema``
    /// (`run_id` first). Returns every run left out, in the order asked for: ``skipped`` and the
    /// runs whose metrics failed to decode after their footer was read (their columns stay in
    /// ``schema``; ``Specimen/readRunsTable()`` would leave them out of it). Throws what `body`
    /// throws, and `.typeMismatch` when a run holds values its footer hid that clash with the
    /// schema's type (the runs after it are not read).
    @discardableResult
    public func forEach(_ body: (_ run: RunID, _ table: Table) throws -> Void) throws -> [RunsTable.Skipped] {
        try forEach({ _, table in table }, body)
    }

    /// ``forEach(_:)`` with work done on the reading threads: `transform` turns each run's
    /// table into what `body` receives (e.g. its rows encoded as text), on every core while the
    /// runs are decoded; `body` is called on the calling thread, in order. Throws what
    /// `transform` throws as soon as its run's turn comes.
    @discardableResult
    public func forEach<Output: Sendable>(_ transform: @escaping @Sendable (_ run: RunID, _ table: Table) throws -> Output,
                                          _ body: (_ run: RunID, _ output: Output) throws -> Void) throws -> [RunsTable.Skipped] {
        switch source {
        case .whole(let table, let runs):
            for run in runs { try body(run.id, try transform(run.id, table.slice(run.rows))) }
            return skipped
        case .files(let stream, let ids):
            let failures: [StackResult.Failure]
            do {
                failures = try stream.forEach({ index, table in try transform(ids[index], table) }, { index, output in try body(ids[index], output) })
            } catch let clash as StackClash {
                throw RunStacker.typeClash(clash.column, clash.known, clash.found, run: ids[clash.index])
            }
            guard !failures.isEmpty else { return skipped }
            var skips = knownSkips
            for failure in failures {
                let reason = RunStacker.reason(failure.error, path: paths[failure.index])
                skips.append((positions[failure.index], RunsTable.Skipped(run: ids[failure.index], reason: reason)))
            }
            skips.sort { $0.position < $1.position }
            return skips.map(\.skip)
        }
    }
}
