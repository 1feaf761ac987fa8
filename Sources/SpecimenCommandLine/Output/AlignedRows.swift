/// Prints rows of cells in aligned columns, two spaces apart, with trailing spaces trimmed.
/// Cells may carry terminal colour codes: widths are measured on `plain`.
struct AlignedRows {
    /// One cell: what is printed, and its text without colour (for measuring).
    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var plain: String
        init(_ plain: String) { self.text = plain; self.plain = plain }
        init(_ text: String, plain: String) { self.text = text; self.plain = plain }
        init(stringLiteral value: String) { self.init(value) }
    }

    /// Columns aligned to the right (numbers).
    var rightAligned: Set<Int> = []
    /// Spaces before every line.
    var indent = 0
    private(set) var rows: [[Cell]] = []

    /// Creates an empty set of rows.
    init(indent: Int = 0, rightAligned: Set<Int> = []) {
        self.indent = indent
        self.rightAligned = rightAligned
    }

    /// Adds a row of plain cells.
    mutating func add(_ cells: [String]) { rows.append(cells.map { Cell($0) }) }

    /// Adds a row of cells.
    mutating func add(cells: [Cell]) { rows.append(cells) }

    /// The rows as lines.
    func lines() -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.plain.count)
            }
        }
        return rows.map { row in
            var line = String(repeating: " ", count: indent)
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.plain.count)
                let last = index == row.count - 1
                if rightAligned.contains(index) { line += pad + cell.text } else { line += cell.text + (last ? "" : pad) }
                if !last { line += "  " }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Prints the rows.
    func print() { for line in lines() { Swift.print(line) } }
}
