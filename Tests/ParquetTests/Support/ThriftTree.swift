@testable import Parquet

/// A Thrift compact value decoded without a schema, so tests can edit real footers and page
/// headers (add a field of any wire type, shift offsets) and encode them again byte for byte.
indirect enum ThriftTree: Equatable, Sendable {
    case bool(Bool)
    case i8(Int8)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case double(UInt64)
    case binary([UInt8])
    case list(ThriftType, [ThriftTree])
    case set(ThriftType, [ThriftTree])
    case map(ThriftType, ThriftType, [ThriftTree])
    case structure([(id: Int16, value: ThriftTree)])
    case uuid([UInt8])

    static func == (lhs: ThriftTree, rhs: ThriftTree) -> Bool {
        switch (lhs, rhs) {
        case let (.bool(a), .bool(b)): a == b
        case let (.i8(a), .i8(b)): a == b
        case let (.i16(a), .i16(b)): a == b
        case let (.i32(a), .i32(b)): a == b
        case let (.i64(a), .i64(b)): a == b
        case let (.double(a), .double(b)): a == b
        case let (.binary(a), .binary(b)), let (.uuid(a), .uuid(b)): a == b
        case let (.list(t, a), .list(u, b)), let (.set(t, a), .set(u, b)): t.matches(u) && a == b
        case let (.map(k, v, a), .map(l, w, b)): k.matches(l) && v.matches(w) && a == b
        case let (.structure(a), .structure(b)): a.count == b.count && zip(a, b).allSatisfy { $0.id == $1.id && $0.value == $1.value }
        default: false
        }
    }

    /// The wire type of the value as a field.
    var type: ThriftType {
        switch self {
        case .bool(let value): value ? .boolTrue : .boolFalse
        case .i8: .i8
        case .i16: .i16
        case .i32: .i32
        case .i64: .i64
        case .double: .double
        case .binary: .binary
        case .list: .list
        case .set: .set
        case .map: .map
        case .structure: .struct
        case .uuid: .uuid
        }
    }

    /// One sample value of every wire type, each with some payload, for "every wire type" tests.
    static let samples: [ThriftTree] = [
        .bool(true), .bool(false), .i8(-7), .i16(-300), .i32(123_456), .i64(-9_876_543_210),
        .double(3.25.bitPattern), .binary(Array("not the spec's type".utf8)),
        .list(.i32, [.i32(1), .i32(-2), .i32(3)]), .set(.binary, [.binary([1, 2]), .binary([])]),
        .map(.binary, .i64, [.binary([65]), .i64(1), .binary([66]), .i64(2)]),
        .structure([(1, .i32(5)), (2, .binary([9, 9])), (3, .structure([(1, .bool(true))]))]),
        .uuid(Array(0 ..< 16)),
    ]

    // MARK: Decoding

    /// Decodes one struct from the start of `bytes`; returns it and the bytes it took.
    static func decodeStruct(_ bytes: [UInt8]) throws -> (ThriftTree, Int) {
        try bytes.withUnsafeBytes { buffer in
            var reader = ThriftCompactReader(buffer)
            let tree = try decodeStruct(&reader)
            return (tree, reader.position)
        }
    }

    private static func decodeStruct(_ reader: inout ThriftCompactReader) throws -> ThriftTree {
        var fields: [(id: Int16, value: ThriftTree)] = []
        var previous: Int16 = 0
        while let field = try reader.readFieldHeader(previous: &previous) {
            if let bool = field.boolValue {
                fields.append((field.id, .bool(bool)))
            } else {
                fields.append((field.id, try decodeValue(field.type, &reader)))
            }
        }
        return .structure(fields)
    }

    private static func decodeValue(_ type: ThriftType, _ reader: inout ThriftCompactReader) throws -> ThriftTree {
        switch type {
        case .stop: throw ParquetError.corrupt("stop has no value")
        case .boolTrue, .boolFalse: return .bool(try reader.readBool())
        case .i8: return .i8(try reader.readI8())
        case .i16: return .i16(try reader.readI16())
        case .i32: return .i32(try reader.readI32())
        case .i64: return .i64(try reader.readI64())
        case .double: return .double(try reader.readDouble().bitPattern)
        case .binary: return .binary(try reader.readBinary())
        case .uuid: return .uuid(try reader.readUUID())
        case .list, .set:
            let header = try reader.readListHeader()
            var elements: [ThriftTree] = []
            for _ in 0 ..< header.count { elements.append(try decodeValue(header.elementType, &reader)) }
            return type == .list ? .list(header.elementType, elements) : .set(header.elementType, elements)
        case .map:
            let header = try reader.readMapHeader()
            var elements: [ThriftTree] = []
            for _ in 0 ..< header.count {
                elements.append(try decodeValue(header.keyType, &reader))
                elements.append(try decodeValue(header.valueType, &reader))
            }
            return .map(header.keyType, header.valueType, elements)
        case .struct: return try decodeStruct(&reader)
        }
    }

    // MARK: Encoding

    /// The compact encoding of a struct.
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        encodeValue(&writer)
        return writer.bytes
    }

    private func encodeValue(_ writer: inout ThriftCompactWriter) {
        switch self {
        case .bool(let value): writer.writeBool(value)
        case .i8(let value): writer.writeI8(value)
        case .i16(let value): writer.writeI16(value)
        case .i32(let value): writer.writeI32(value)
        case .i64(let value): writer.writeI64(value)
        case .double(let bits): writer.writeDouble(Double(bitPattern: bits))
        case .binary(let value): writer.writeBinary(value)
        case .uuid(let value): writer.writeUUID(value)
        case .list(let type, let elements), .set(let type, let elements):
            writer.writeListHeader(type, count: elements.count)
            for element in elements { element.encodeValue(&writer) }
        case .map(let key, let value, let elements):
            writer.writeMapHeader(key: key, value: value, count: elements.count / 2)
            for element in elements { element.encodeValue(&writer) }
        case .structure(let fields):
            writer.writeStruct { writer in
                for field in fields {
                    writer.writeFieldHeader(field.id, field.value.type)
                    if case .bool = field.value { continue }
                    field.value.encodeValue(&writer)
                }
            }
        }
    }

    // MARK: Editing

    /// The value of field `id` of a struct.
    subscript(id: Int16) -> ThriftTree? {
        get {
            guard case .structure(let fields) = self else { return nil }
            return fields.first { $0.id == id }?.value
        }
        set {
            guard case .structure(var fields) = self else { return }
            if let index = fields.firstIndex(where: { $0.id == id }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((id, newValue))
            }
            self = .structure(fields)
        }
    }

    /// Element `index` of a list.
    subscript(element index: Int) -> ThriftTree {
        get {
            guard case .list(_, let elements) = self else { fatalError("not a list") }
            return elements[index]
        }
        set {
            guard case .list(let type, var elements) = self else { fatalError("not a list") }
            elements[index] = newValue
            self = .list(type, elements)
        }
    }

    /// A copy of a struct with one more field appended (after every other field, so it takes the
    /// long header form when its id is not above the last one).
    func appending(_ id: Int16, _ value: ThriftTree) -> ThriftTree {
        guard case .structure(var fields) = self else { return self }
        fields.append((id, value))
        return .structure(fields)
    }

    /// Adds `delta` to an i64 field, when it is present.
    mutating func add(_ delta: Int64, to id: Int16) {
        if case .i64(let value) = self[id] { self[id] = .i64(value + delta) }
    }
}
