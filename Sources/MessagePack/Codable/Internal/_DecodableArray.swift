/// `[Element]`, which the decoder fills from an array's elements in one pass instead of through an
/// unkeyed container. `[UInt8]` is decoded this way too: from an array of integers, as before.
protocol _DecodableArray {
    init(elementsOf value: MessagePackValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws
}

extension Array: _DecodableArray where Element: Decodable {
    init(elementsOf value: MessagePackValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws {
        guard case .array(let elements) = value else {
            throw _MessagePackDecoderImpl.mismatch([Any].self, value, codingPath)
        }
        self.init()
        reserveCapacity(elements.count)
        for index in elements.indices {
            append(try _MessagePackDecoderImpl.lift(Element.self, from: elements[index],
                                                    codingPath: codingPath.appending(_AnyCodingKey(index: index)), userInfo: userInfo))
        }
    }
}
