/// A file's schema tree resolved into what a flat-table reader needs: the top-level flat
/// columns with their column-chunk index, and the top-level nested columns it cannot read.
package struct FileSchema: Sendable {
    /// A top-level primitive column.
    package struct Leaf: Sendable {
        /// The column's name.
        package var name: String
        /// Its schema element.
        package var element: SchemaElement
        /// Its index among the row group's column chunks (depth-first leaf order).
        package var chunkIndex: Int
        /// Its type, or why it can't be read.
        package var type: Result<ColumnType, ParquetError>
        /// 1 for an OPTIONAL column (nulls possible), 0 for REQUIRED.
        package var maxDefinitionLevel: Int
    }

    /// The top-level flat columns, in schema order.
    package var leaves: [Leaf]
    /// The names of top-level nested columns (groups, lists, maps, repeated fields).
    package var nested: [String]
    /// The number of column chunks per row group the schema implies.
    package var leafCount: Int

    /// Resolves `elements` (FileMetaData.schema, depth first, root first).
    package init(_ elements: [SchemaElement]) throws {
        guard let root = elements.first else { throw ParquetError.corrupt("the schema is empty") }
        let childCount = Int(root.numChildren ?? 0)
        guard childCount >= 0, childCount < elements.count else {
            throw ParquetError.corrupt("the schema root claims \(childCount) children but the schema has \(elements.count - 1) elements")
        }
        leaves = []
        nested = []
        var index = 1
        var chunkIndex = 0
        for _ in 0 ..< childCount {
            guard index < elements.count else { throw ParquetError.corrupt("the schema ends inside its root's children") }
            let element = elements[index]
            if let children = element.numChildren {
                // A group: count its leaves by walking its subtree without recursion.
                var pending = Int(children)
                guard pending >= 0 else { throw ParquetError.corrupt("schema element '\(element.name)' has \(children) children") }
                index += 1
                while pending > 0 {
                    guard index < elements.count else { throw ParquetError.corrupt("the schema ends inside group '\(element.name)'") }
                    pending -= 1
                    if let grandchildren = elements[index].numChildren {
                        guard grandchildren >= 0, Int(grandchildren) <= elements.count else {
                            throw ParquetError.corrupt("schema element '\(elements[index].name)' has \(grandchildren) children")
                        }
                        pending += Int(grandchildren)
                    } else {
                        chunkIndex += 1
                    }
                    index += 1
                }
                nested.append(element.name)
                continue
            }
            if element.repetition == .repeated {
                nested.append(element.name)
            } else {
                let type = Result { try ColumnType(leaf: element) }.mapError { $0 as? ParquetError ?? ParquetError(.corrupt, "\($0)") }
                leaves.append(Leaf(name: element.name, element: element, chunkIndex: chunkIndex,
                                   type: type, maxDefinitionLevel: element.repetition == .optional ? 1 : 0))
            }
            chunkIndex += 1
            index += 1
        }
        leafCount = chunkIndex
    }
}
