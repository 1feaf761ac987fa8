// Typed field readers: each checks the field's wire type against the IDL before reading. A
// field of another wire type is skipped, as Apache Thrift's generated readers do (parquet-mr
// 1.12 pre-releases wrote such fields in ColumnMetaData, and pyarrow reads those files): the
// reader passes over the value and throws `ThriftFieldSkipped`, which `readStruct(_:)` catches
// before reading the next field. A required field that was skipped is then reported missing.

/// Thrown by a typed field reader after it skipped a field whose wire type is not the IDL's;
/// `ThriftCompactReader.readStruct(_:)` catches it and goes on with the next field.
package struct ThriftFieldSkipped: Error, Sendable {
    /// The skipped field.
    package var field: ThriftFieldHeader
}

extension ThriftCompactReader {
    /// Returns when `field` has wire type `expected`; otherwise skips the field's value and
    /// throws `ThriftFieldSkipped`, so the enclosing `readStruct(_:)` goes on with the next field.
    /// `name` (`Struct.field`) is kept for symmetry with the other readers' messages.
    package mutating func expect(_ field: ThriftFieldHeader, _ expected: ThriftType, _ name: String) throws {
        guard field.type.matches(expected) else {
            try skip(field.type)
            throw ThriftFieldSkipped(field: field)
        }
    }

    /// The value of a boolean field (it lives in the header; no bytes are read). A field of
    /// another wire type is skipped (see `expect(_:_:_:)`).
    package mutating func readBool(_ field: ThriftFieldHeader, _ name: String) throws -> Bool {
        guard let value = field.boolValue else {
            try skip(field.type)
            throw ThriftFieldSkipped(field: field)
        }
        return value
    }

    /// Reads an `i8` field.
    package mutating func readI8(_ field: ThriftFieldHeader, _ name: String) throws -> Int8 {
        try expect(field, .i8, name)
        return try readI8()
    }

    /// Reads an `i16` field.
    package mutating func readI16(_ field: ThriftFieldHeader, _ name: String) throws -> Int16 {
        try expect(field, .i16, name)
        return try readI16()
    }

    /// Reads an `i32` field.
    package mutating func readI32(_ field: ThriftFieldHeader, _ name: String) throws -> Int32 {
        try expect(field, .i32, name)
        return try readI32()
    }

    /// Reads an `i32` field that counts or measures something and so must not be negative.
    package mutating func readCount32(_ field: ThriftFieldHeader, _ name: String) throws -> Int32 {
        let start = position
        let value = try readI32(field, name)
        guard value >= 0 else {
            throw ParquetError.corrupt("\(name) is negative (\(value))", offset: start)
        }
        return value
    }

    /// Reads an `i64` field.
    package mutating func readI64(_ field: ThriftFieldHeader, _ name: String) throws -> Int64 {
        try expect(field, .i64, name)
        return try readI64()
    }

    /// Reads an `i64` field that counts or measures something and so must not be negative.
    package mutating func readCount64(_ field: ThriftFieldHeader, _ name: String) throws -> Int64 {
        let start = position
        let value = try readI64(field, name)
        guard value >= 0 else {
            throw ParquetError.corrupt("\(name) is negative (\(value))", offset: start)
        }
        return value
    }

    /// Reads a `double` field.
    package mutating func readDouble(_ field: ThriftFieldHeader, _ name: String) throws -> Double {
        try expect(field, .double, name)
        return try readDouble()
    }

    /// Reads a `binary` field into a new array.
    package mutating func readBinary(_ field: ThriftFieldHeader, _ name: String) throws -> [UInt8] {
        try expect(field, .binary, name)
        return try readBinary()
    }

    /// Reads a `string` field.
    package mutating func readString(_ field: ThriftFieldHeader, _ name: String) throws -> String {
        try expect(field, .binary, name)
        return try readString()
    }

    /// Reads a `list` field whose elements have wire type `elementType`, decoding each with
    /// `element`. The array's initial capacity is capped, so a lying count cannot make it
    /// allocate more than the data could hold.
    package mutating func readList<Element>(
        _ field: ThriftFieldHeader,
        _ name: String,
        of elementType: ThriftType,
        _ element: (inout ThriftCompactReader) throws -> Element
    ) throws -> [Element] {
        try expect(field, .list, name)
        return try readList(name, of: elementType, element)
    }

    /// Reads a list (header and elements) whose elements have wire type `elementType`.
    package mutating func readList<Element>(
        _ name: String,
        of elementType: ThriftType,
        _ element: (inout ThriftCompactReader) throws -> Element
    ) throws -> [Element] {
        let start = position
        let header = try readListHeader()
        if header.count == 0 { return [] }
        guard header.elementType.matches(elementType) else {
            throw ParquetError.corrupt("\(name) is a list of \(header.elementType), expected a list of \(elementType)", offset: start)
        }
        try enter()
        defer { leave() }
        var elements: [Element] = []
        elements.reserveCapacity(Swift.min(header.count, 1024))
        for _ in 0 ..< header.count {
            elements.append(try element(&self))
        }
        return elements
    }

    /// Reads a struct field: checks the wire type, then decodes the struct with `body`.
    package mutating func readStruct<Value>(
        _ field: ThriftFieldHeader,
        _ name: String,
        _ body: (inout ThriftCompactReader) throws -> Value
    ) throws -> Value {
        try expect(field, .struct, name)
        return try body(&self)
    }
}
