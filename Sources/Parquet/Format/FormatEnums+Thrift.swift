// Reading the enumerations of FormatEnums.swift from Thrift i32 fields.

extension ThriftCompactReader {
    /// Reads an enum field (wire type i32) and maps it to `E`; a value `E` does not know throws
    /// `.unsupported`, naming the field, the kind of enum and the value.
    package mutating func readEnum<E: RawRepresentable>(
        _ field: ThriftFieldHeader,
        _ name: String,
        as kind: String
    ) throws -> E where E.RawValue == Int32 {
        let start = position
        let value = try readI32(field, name)
        guard let known = E(rawValue: value) else {
            throw ParquetError(.unsupported, "\(name) has unknown \(kind) \(value)", location: ParquetError.Location(offset: start))
        }
        return known
    }

    /// Reads a `list<Encoding>` field, dropping values this library does not know (the list is
    /// informational, and newer writers add encodings).
    package mutating func readEncodingList(_ field: ThriftFieldHeader, _ name: String) throws -> [Encoding] {
        let values = try readList(field, name, of: .i32) { try $0.readI32() }
        return values.compactMap(Encoding.init(rawValue:))
    }
}
