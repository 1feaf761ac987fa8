import MessagePack

extension MessagePackScanner {
    /// The query value at `at`: as `RunValue.init(MessagePackValue)` makes it.
    func runValue(_ at: Int, depth: Int = 0) -> RunValue? {
        guard depth < Self.maximumDepth, let h = header(at) else { return nil }
        switch h.kind {
        case .nil: return .null
        case .bool: return .bool(h.bits != 0)
        case .int: return int(at).map(RunValue.int)
        case .uint:
            guard let raw = uint(at) else { return nil }
            return Int64(exactly: raw).map(RunValue.int) ?? .double(Double(raw))
        case .float32, .float64: return double(at).map(RunValue.double)
        case .string: return string(at).map(RunValue.string)
        case .binary, .map: return skip(at) == nil ? nil : .other
        case .ext:
            guard h.count <= bytes.count - h.start else { return nil }
            guard h.extType == -1, [4, 8, 12].contains(h.count) else { return .other }
            guard let timestamp = timestamp(at), let micros = timestamp.microseconds else { return .other }
            return .date(microseconds: micros)
        case .array:
            guard h.count <= bytes.count - h.start else { return nil }
            var values: [RunValue] = []
            values.reserveCapacity(h.count)
            var next = h.start
            for _ in 0 ..< h.count {
                guard let value = runValue(next, depth: depth + 1), let after = skip(next, depth: depth + 1) else { return nil }
                values.append(value)
                next = after
            }
            return .list(values)
        }
    }
}
