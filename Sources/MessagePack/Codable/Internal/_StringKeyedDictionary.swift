/// `[String: Value]`, which the decoder fills from a map's pairs in one pass instead of through a
/// keyed container (where the standard library lists every key, then looks each one up).
/// Foundation's `JSONDecoder` does the same.
///
/// The result is the same as through the container: str keys and integer keys (as decimal text)
/// are read, other keys are skipped, and when a key repeats the first pair wins.
protocol _StringKeyedDictionary {
    init(pairsOf value: MessagePackValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws
}

extension Dictionary: _StringKeyedDictionary where Key == String, Value: Decodable {
    init(pairsOf value: MessagePackValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws {
        guard case .map(let pairs) = value else {
            throw _MessagePackDecoderImpl.mismatch([String: Any].self, value, codingPath)
        }
        self.init(minimumCapacity: pairs.count)
        for position in pairs.indices {
            guard let key = _MessagePackDecoderImpl.keyText(pairs.key(at: position)), self[key] == nil else { continue }
            self[key] = try _MessagePackDecoderImpl.lift(Value.self, from: pairs.value(at: position),
                                                         codingPath: codingPath.appending(_AnyCodingKey(stringValue: key)), userInfo: userInfo)
        }
    }
}
