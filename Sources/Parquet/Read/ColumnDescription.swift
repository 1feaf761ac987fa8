/// One top-level flat column of a file as its footer describes it: what `specimen schema`
/// prints. Unlike ``Schema``, it lists columns this reader cannot decode too, with the reason.
public struct ColumnDescription: Sendable, Equatable {
    /// The column's name.
    public var name: String
    /// Its type, when this reader can decode it.
    public var type: ColumnType?
    /// Why it cannot be decoded, when it cannot.
    public var unreadableBecause: String?
    /// The physical type (`DOUBLE`, `INT64`, `BYTE_ARRAY`, …); nil when the footer gives none.
    public var physicalType: PhysicalType?
    /// The logical type annotation, if any.
    public var logicalType: LogicalType?
    /// The legacy converted type annotation, if any.
    public var convertedType: ConvertedType?
    /// Whether the column is OPTIONAL (may hold nulls).
    public var isNullable: Bool
}

extension ParquetReader {
    /// Every top-level flat column, in schema order, readable or not.
    public var columnDescriptions: [ColumnDescription] {
        leaves.map { leaf in
            var type: ColumnType?
            var reason: String?
            switch leaf.type {
            case .success(let resolved): type = resolved
            case .failure(let error): reason = error.message
            }
            return ColumnDescription(name: leaf.name, type: type, unreadableBecause: reason, physicalType: leaf.element.type,
                                     logicalType: leaf.element.logicalType, convertedType: leaf.element.convertedType,
                                     isNullable: leaf.maxDefinitionLevel > 0)
        }
    }
}
