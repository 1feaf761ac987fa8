import MessagePack

/// The pairs of a manifest map, in order, read and replaced by str key: what ``RunManifest``
/// and ``SpecimenManifest`` keep, so that a manifest read and written back is the same map,
/// unknown keys included.
struct ManifestPairs: Sendable, Equatable {
    /// The pairs, in order.
    var pairs: [(key: MessagePackValue, value: MessagePackValue)]

    /// The value of the first pair whose key is the str `key`. Setting replaces it in place,
    /// appends a new pair, or (nil) removes it.
    subscript(key: String) -> MessagePackValue? {
        get { pairs.first { $0.key.stringValue == key }?.value }
        set {
            let index = pairs.firstIndex { $0.key.stringValue == key }
            switch (index, newValue) {
            case (let index?, let value?): pairs[index].value = value
            case (let index?, nil): pairs.remove(at: index)
            case (nil, let value?): pairs.append((.string(key), value))
            case (nil, nil): break
            }
        }
    }

    /// Pairs are equal when their keys and values are, in order.
    static func == (lhs: ManifestPairs, rhs: ManifestPairs) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
