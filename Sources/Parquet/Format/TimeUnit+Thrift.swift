// TimeUnit as the `parquet.thrift` union `TimeUnit {1: MILLIS{}, 2: MICROS{}, 3: NANOS{}}`.

extension TimeUnit {
    /// The union member's field id: 1 MILLIS, 2 MICROS, 3 NANOS.
    package var thriftFieldID: Int16 {
        switch self {
        case .milliseconds: 1
        case .microseconds: 2
        case .nanoseconds: 3
        }
    }

    /// Decodes the union at the reader's position; returns nil for a member this library does
    /// not know (it is skipped), so the enclosing logical type can fall back to `.other`.
    package static func decode(from reader: inout ThriftCompactReader) throws -> TimeUnit? {
        let start = reader.position
        var members = 0
        var unit: TimeUnit?
        try reader.readStruct { reader, field in
            members += 1
            guard members == 1 else {
                throw ParquetError.corrupt("TimeUnit union has more than one member", offset: field.offset)
            }
            switch field.id {
            case 1: unit = .milliseconds
            case 2: unit = .microseconds
            case 3: unit = .nanoseconds
            default: unit = nil
            }
            // A member that is not a struct is skipped and read as an unknown unit.
            if !field.type.matches(.struct) { unit = nil }
            try reader.skip(field.type)
        }
        guard members == 1 else { throw ParquetError.corrupt("TimeUnit union has no member", offset: start) }
        return unit
    }

    /// Encodes the union: `{id: {}}`.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeStructField(thriftFieldID) { _ in }
        }
    }
}
