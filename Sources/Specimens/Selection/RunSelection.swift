/// The runs a query selected, in its order, and what the catalog had to say while reading.
public struct RunSelection: Sendable {
    /// The selected runs' details, sorted and limited as the query asked.
    public var runs: [RunInfo]
    /// How many runs the specimen has (before filtering).
    public var totalRuns: Int
    /// Diagnostics for stderr: a damaged catalog segment that was ignored, a catalog that could
    /// not be written. The answer is right regardless.
    public var notes: [String]
    /// The selected runs' fields, parallel to `runs` (empty for a selection built in code).
    var records: [RunRecord] = []
    /// The specimen selected from (nil for a selection built in code).
    var specimen: Specimen?

    /// Creates a selection.
    public init(runs: [RunInfo], totalRuns: Int, notes: [String] = []) {
        self.runs = runs
        self.totalRuns = totalRuns
        self.notes = notes
    }

    /// The value of `field` for the run at `index` of `runs` (the same value queries test),
    /// or nil when the run does not have it.
    public func value(_ field: RunField, ofRunAt index: Int) -> RunValue? {
        guard records.indices.contains(index) else { return nil }
        return records[index].value(field)
    }

    /// How many runs were selected (`runs.count`, also when the query left `runs` empty).
    package var count: Int { records.isEmpty ? runs.count : records.count }

    /// The ID of the selected run at `index`.
    package func id(at index: Int) -> RunID {
        records.isEmpty ? runs[index].id : records[index].id
    }

    /// The details of the selected run at `index` when it was read live (unsealed, damaged,
    /// legacy, or not catalogued before this query); nil when it comes from the catalog.
    package func liveInfo(at index: Int) -> RunInfo? {
        records.isEmpty ? runs[index] : records[index].liveInfo
    }

    /// Calls `body` with the catalog entry (a `CatalogEntry` array, in MessagePack) of the
    /// selected run at `index`.
    package func withCatalogEntry<T>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try records[index].record.withBytes(body)
    }

    /// Where the params, metrics, started and tags of the selected run's catalog entry (see
    /// `withCatalogEntry(at:_:)`) start, when the catalog recorded them; nil otherwise.
    package func catalogFieldOffsets(at index: Int) -> (params: Int, metrics: Int, started: Int, tags: Int)? {
        guard records.indices.contains(index) else { return nil }
        let fields = records[index].record.fields
        guard fields.isKnown else { return nil }
        return (Int(fields.params), Int(fields.metrics), Int(fields.started), Int(fields.tags))
    }

    /// The details of the selected run at `index`, decoded from its catalog entry if need be.
    package func info(at index: Int) -> RunInfo {
        if records.isEmpty { return runs[index] }
        if let info = records[index].liveInfo { return info }
        return (specimen ?? Specimen(unchecked: ".")).info(records[index])
    }
}
