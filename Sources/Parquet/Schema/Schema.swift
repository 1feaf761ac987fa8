/// The flat schema of a Parquet file or table: its fields, in order.
public struct Schema: Sendable, Hashable {
    /// One column of the schema.
    public struct Field: Sendable, Hashable {
        /// The column's name.
        public var name: String
        /// The column's type.
        public var type: ColumnType
        /// Whether the column may hold nulls (Parquet OPTIONAL) or not (REQUIRED).
        public var isNullable: Bool

        /// Creates a field; fields are nullable unless said otherwise.
        public init(name: String, type: ColumnType, isNullable: Bool = true) {
            self.name = name
            self.type = type
            self.isNullable = isNullable
        }
    }

    /// The fields, in column order.
    public var fields: [Field]

    /// A schema of `fields`.
    public init(fields: [Field]) {
        self.fields = fields
    }

    /// The schema of `table`: its columns' names and types, every field nullable.
    public init(of table: Table) {
        fields = table.columns.map { Field(name: $0.name, type: $0.type) }
    }

    /// The field names, in order.
    public var names: [String] { fields.map(\.name) }
}
