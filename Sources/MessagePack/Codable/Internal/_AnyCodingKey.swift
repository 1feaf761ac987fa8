/// A coding key made at run time: dictionary keys, array positions, `super`.
struct _AnyCodingKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key of an array element, as Foundation's coders name it in coding paths.
    init(index: Int) {
        self.stringValue = "Index \(index)"
        self.intValue = index
    }

    /// The key `superEncoder()` and `superDecoder()` use.
    static let `super` = _AnyCodingKey(stringValue: "super")
}

extension Array where Element == any CodingKey {
    /// The path with `key` added: one allocation, where `path + [key]` makes two.
    func appending(_ key: any CodingKey) -> [any CodingKey] {
        var path = self
        path.append(key)
        return path
    }
}
