import MessagePack

/// One run as a query sees it: its ID, its fields (a catalog entry) and its position in the
/// run order (oldest first), which breaks ties when sorting.
struct RunRecord: Sendable {
    var id: RunID
    var entry: MessagePackArray
    var order: Int
    /// The details of a run read live (unsealed, damaged or legacy); nil for catalogued runs.
    var liveInfo: RunInfo?

    /// The field's value, or nil when the run does not have it.
    func value(_ field: RunField) -> RunValue? {
        func top(_ index: Int) -> MessagePackValue? {
            let value = entry[index]
            // Not `value.isNil ? nil : value`: MessagePackValue is ExpressibleByNilLiteral, so that
            // `nil` would be the value `.nil`, not a missing one.
            if value.isNil { return Optional<MessagePackValue>.none }
            return value
        }
        switch field {
        case .id: return .string(id.rawValue)
        case .status: return top(CatalogEntry.status).map(RunValue.init)
        case .started: return top(CatalogEntry.started)?.intValue.map { .date(microseconds: $0) }
        case .ended: return top(CatalogEntry.ended)?.intValue.map { .date(microseconds: $0) }
        case .duration:
            guard let start = top(CatalogEntry.started)?.intValue, let end = top(CatalogEntry.ended)?.intValue else { return nil }
            return .double(Double(end) / 1e6 - Double(start) / 1e6)
        case .rows: return top(CatalogEntry.rows).map(RunValue.init)
        case .exitCode: return top(CatalogEntry.exitCode).map(RunValue.init)
        case .host: return top(CatalogEntry.host).map(RunValue.init)
        case .gitCommit: return top(CatalogEntry.gitCommit).map(RunValue.init)
        case .gitDirty: return top(CatalogEntry.gitDirty).map(RunValue.init)
        case .tags: return top(CatalogEntry.tags).map(RunValue.init)
        case .notes: return top(CatalogEntry.notes).map(RunValue.init)
        case .param(let path):
            var current = entry[CatalogEntry.params]
            for key in path {
                guard let map = current.mapValue, let next = map[key] else { return nil }
                current = next
            }
            return RunValue(current)
        case let .metric(name, statistic):
            guard let stats = entry[CatalogEntry.metrics].mapValue?[name]?.arrayValue, stats.count == 4 else { return nil }
            let index: Int
            switch statistic {
            case .last: index = 0
            case .min: index = 1
            case .max: index = 2
            case .count: index = 3
            }
            let value = stats[index]
            return value.isNil ? nil : RunValue(value)
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
