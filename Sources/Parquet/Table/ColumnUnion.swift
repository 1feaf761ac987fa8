/// The columns of tables stacked vertically: their names in first-seen order and the type each
/// takes (`ColumnType.common` of the tables' types). A column whose every row is null holds no
/// value that could clash, so it takes whatever type the other tables give it.
package struct ColumnUnion: Sendable {
    /// The names, in first-seen order.
    package private(set) var names: [String] = []
    /// The type of each name, in the same order.
    package private(set) var types: [ColumnType] = []
    private var positions: [String: Int] = [:]
    private var typedByNullsOnly: Set<String> = []

    /// An empty union.
    package init() {}

    /// Adds one table's column `name` of `type` (`allNull` when every row of it is null).
    /// Returns nil, or the type the union already holds when the two clash.
    package mutating func add(_ name: String, _ type: ColumnType, allNull: Bool) -> ColumnType? {
        guard let position = positions[name] else {
            positions[name] = names.count
            names.append(name)
            types.append(type)
            if allNull { typedByNullsOnly.insert(name) }
            return nil
        }
        if allNull { return nil }
        if typedByNullsOnly.remove(name) != nil {
            types[position] = type
            return nil
        }
        guard let common = ColumnType.common(types[position], type) else { return types[position] }
        types[position] = common
        return nil
    }

    /// The position of `name`, if a table had it.
    package func position(of name: String) -> Int? { positions[name] }
}
