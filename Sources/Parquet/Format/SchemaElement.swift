/// One node of a file's schema: `parquet.thrift` `SchemaElement`.
///
/// `FileMetaData.schema` lists the nodes depth-first; element 0 is the root. A group has
/// `numChildren`; a leaf (a column) has `type`. A flat table's root has one leaf child per
/// column and no element is REPEATED.
public struct SchemaElement: Sendable, Hashable {
    /// The physical type; set on leaves only (field 1).
    public var type: PhysicalType?
    /// The byte length of FIXED_LEN_BYTE_ARRAY values; ignore it for other types (field 2).
    public var typeLength: Int32?
    /// Whether the node is required, optional or repeated; the root usually has none (field 3).
    public var repetition: Repetition?
    /// The node's name (field 4, required).
    public var name: String
    /// The number of children; set on groups only (field 5).
    public var numChildren: Int32?
    /// The legacy type annotation (field 6).
    public var convertedType: ConvertedType?
    /// The DECIMAL scale, for the legacy annotation (field 7).
    public var scale: Int32?
    /// The DECIMAL precision, for the legacy annotation (field 8).
    public var precision: Int32?
    /// The field id of the original schema, e.g. Iceberg's (field 9).
    public var fieldID: Int32?
    /// The logical type annotation (field 10).
    public var logicalType: LogicalType?

    /// Creates a schema element.
    public init(
        name: String,
        type: PhysicalType? = nil,
        typeLength: Int32? = nil,
        repetition: Repetition? = nil,
        numChildren: Int32? = nil,
        convertedType: ConvertedType? = nil,
        scale: Int32? = nil,
        precision: Int32? = nil,
        fieldID: Int32? = nil,
        logicalType: LogicalType? = nil
    ) {
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    /// Decodes the struct at the reader's position.
    package init(from reader: inout ThriftCompactReader) throws {
        let start = reader.position
        var name: String?
        var result = SchemaElement(name: "")
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: result.type = try reader.readEnum(field, "SchemaElement.type", as: "physical type")
            case 2: result.typeLength = try reader.readI32(field, "SchemaElement.type_length")
            case 3: result.repetition = try reader.readEnum(field, "SchemaElement.repetition_type", as: "repetition type")
            case 4: name = try reader.readString(field, "SchemaElement.name")
            case 5: result.numChildren = try reader.readCount32(field, "SchemaElement.num_children")
            case 6: result.convertedType = try reader.readEnum(field, "SchemaElement.converted_type", as: "converted type")
            case 7: result.scale = try reader.readI32(field, "SchemaElement.scale")
            case 8: result.precision = try reader.readI32(field, "SchemaElement.precision")
            case 9: result.fieldID = try reader.readI32(field, "SchemaElement.field_id")
            case 10: result.logicalType = try reader.readStruct(field, "SchemaElement.logicalType") { try LogicalType(from: &$0) }
            default: try reader.skip(field.type)
            }
        }
        guard let name else { throw ParquetError.missingField("SchemaElement", 4, "name", offset: start) }
        result.name = name
        self = result
    }

    /// Encodes the struct, leaving out absent fields.
    package func write(to writer: inout ThriftCompactWriter) {
        writer.writeStruct { writer in
            writer.writeI32Field(1, type?.rawValue)
            writer.writeI32Field(2, typeLength)
            writer.writeI32Field(3, repetition?.rawValue)
            writer.writeStringField(4, name)
            writer.writeI32Field(5, numChildren)
            writer.writeI32Field(6, convertedType?.rawValue)
            writer.writeI32Field(7, scale)
            writer.writeI32Field(8, precision)
            writer.writeI32Field(9, fieldID)
            if let logicalType {
                writer.writeFieldHeader(10, .struct)
                logicalType.write(to: &writer)
            }
        }
    }
}
