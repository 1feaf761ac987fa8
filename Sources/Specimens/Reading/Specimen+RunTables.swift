public import Parquet

extension Specimen {
    /// Every sealed run's metrics, one run's table at a time, as ``readAllRuns()`` stacks them:
    /// `run_id` first, columns unioned in first-seen order (oldest run first), missing values
    /// null, int64 widened to double where runs disagree. Unsealed runs are passed over;
    /// damaged ones are listed in ``RunTables/skipped``. Throws `.typeMismatch` when two runs'
    /// columns cannot be stacked.
    ///
    /// Runs kept in object storage are read whole first (as ``readAllRuns()`` reads them: the
    /// streaming path reads local files), then handed out run by run.
    ///
    /// ```swift
    /// let runs = try specimen.runTables()
    /// try runs.forEach { id, table in print(id, table.rowCount) }
    /// ```
    public func runTables() throws -> RunTables {
        let (ids, legacy) = try runIDs()
        if legacy != nil || !isLocal { return RunTables(stacked: try readRunsTable()) }
        let sealed = ids.filter { storage.exists(runPath($0) + "/" + RunFolder.manifest) }
        return try RunTables(files: sealed.map { runPath($0) + "/" + RunFolder.metrics }, ids: sealed,
                             positions: Array(sealed.indices), skips: [])
    }

    /// The sealed runs `ids`' metrics, one run's table at a time in the order given, as
    /// ``readRunsTable(_:)`` stacks them; unsealed and unreadable runs are listed in
    /// ``RunTables/skipped``. Throws `.typeMismatch` when two runs' columns cannot be stacked.
    public func runTables(_ ids: [RunID]) throws -> RunTables {
        if !isLocal || legacyRunID.map(ids.contains) == true { return RunTables(stacked: try readRunsTable(ids)) }
        var paths: [String] = [], files: [RunID] = [], positions: [Int] = []
        var skips: [(position: Int, skip: RunsTable.Skipped)] = []
        for (position, id) in ids.enumerated() {
            let folder = runPath(id)
            guard storage.exists(folder + "/" + RunFolder.manifest) else {
                skips.append((position, RunsTable.Skipped(run: id, reason: "not sealed yet")))
                continue
            }
            paths.append(folder + "/" + RunFolder.metrics)
            files.append(id)
            positions.append(position)
        }
        return try RunTables(files: paths, ids: files, positions: positions, skips: skips)
    }

    /// Calls `body` with every sealed run's ID and metrics (`run_id` first, in the stacked
    /// schema ``runTables()`` gives), one run at a time, oldest first; returns the runs left
    /// out. Memory stays near a few runs' tables however many runs there are.
    @discardableResult
    public func forEachRunTable(_ body: (_ run: RunID, _ table: Table) throws -> Void) throws -> [RunsTable.Skipped] {
        try runTables().forEach(body)
    }
}
