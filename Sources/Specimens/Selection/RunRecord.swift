import MessagePack
/// One run as a query sees it: its ID, its fields (a catalog entry) and its position in the
/// run order (oldest first), which breaks ties when sorting.
struct RunRecord: Sendable {
    var id: RunID
    /// The run's catalog entry (read in place, never decoded whole).
    var record: CatalogRecord
    var order: Int
    /// The details of a run read live (unsealed, damaged, legacy, or just catalogued); nil for
    /// runs taken from the catalog.
    var liveInfo: RunInfo? {
        get { live?.info }
        set { live = newValue.map(LiveInfo.init) }
    }
    /// Boxed, so the 100,000 records of a query stay small.
    private var live: LiveInfo?

    init(id: RunID, record: CatalogRecord, order: Int, liveInfo: RunInfo?) {
        self.id = id
        self.record = record
        self.order = order
        self.live = liveInfo.map(LiveInfo.init)
    }

    final class LiveInfo: Sendable {
        let info: RunInfo
        init(_ info: RunInfo) { self.info = info }
    }

    /// The field's value, or nil when the run does not have it.
    func value(_ field: RunField) -> RunValue? {
        record.withBytes { bytes in
            let entry = MessagePackScanner(bytes)
            func top(_ index: Int) -> Int? { record.field(index, in: entry) }
            switch field {
            case .id: return .string(id.rawValue)
            case .status: return top(CatalogEntry.status).flatMap { entry.runValue($0) }
            case .started: return top(CatalogEntry.started).flatMap { entry.int($0) }.map { .date(microseconds: $0) }
            case .ended: return top(CatalogEntry.ended).flatMap { entry.int($0) }.map { .date(microseconds: $0) }
            case .duration:
                guard let start = top(CatalogEntry.started).flatMap({ entry.int($0) }),
                      let end = top(CatalogEntry.ended).flatMap({ entry.int($0) }) else { return nil }
                return .double(Double(end) / 1e6 - Double(start) / 1e6)
            case .rows: return top(CatalogEntry.rows).flatMap { entry.runValue($0) }
            case .exitCode: return top(CatalogEntry.exitCode).flatMap { entry.runValue($0) }
            case .host: return top(CatalogEntry.host).flatMap { entry.runValue($0) }
            case .gitCommit: return top(CatalogEntry.gitCommit).flatMap { entry.runValue($0) }
            case .gitDirty: return top(CatalogEntry.gitDirty).flatMap { entry.runValue($0) }
            case .tags: return top(CatalogEntry.tags).flatMap { entry.runValue($0) }
            case .notes: return top(CatalogEntry.notes).flatMap { entry.runValue($0) }
            case .param(let path):
                guard var at = top(CatalogEntry.params) else { return nil }
                for key in path {
                    guard let next = entry.value(forKey: key, inMapAt: at) else { return nil }
                    at = next
                }
                return entry.runValue(at)
            case let .metric(name, statistic):
                guard let metrics = top(CatalogEntry.metrics), let stats = entry.value(forKey: name, inMapAt: metrics),
                      entry.arrayCount(stats) == 4 else { return nil }
                let index: Int
                switch statistic {
                case .last: index = 0
                case .min: index = 1
                case .max: index = 2
                case .count: index = 3
                }
                guard let at = entry.element(index, ofArrayAt: stats), !entry.isNil(at) else { return nil }
                return entry.runValue(at)
            }
        }
    }

    /// Whether the run meets `filter`.
    func matches(_ filter: RunFilter) -> Bool {
        switch filter {
        case let .compare(field, op, literal):
            guard let value = value(field) else { return false }
            return RunValue.holds(value, op, literal)
        case let .isIn(field, literals):
            guard let value = value(field) else { return false }
            return literals.contains { RunValue.equal(value, $0) }
        case let .contains(field, literal):
            guard let value = value(field) else { return false }
            return RunValue.contains(value, literal)
        case let .exists(field):
            return value(field) != nil
        case let .and(a, b): return matches(a) && matches(b)
        case let .or(a, b): return matches(a) || matches(b)
        case let .not(a): return !matches(a)
        }
    }
}
