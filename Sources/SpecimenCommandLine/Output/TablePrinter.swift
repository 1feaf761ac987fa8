import Parquet
import Specimens

/// Prints tables batch by batch in one of `cat`'s formats, so a large file streams through
/// with memory bounded by one batch.
struct TablePrinter {
    /// The output formats.
    enum Format: String, CaseIterable {
        case table, csv, jsonl
    }

    let format: Format
    let columnNames: [String]
    /// The terminal width to truncate table lines to, or nil for no truncation.
    let width: Int?
    private var widths: [Int]?
    private(set) var rowsPrinted = 0

    init(format: Format, columnNames: [String], width: Int?) {
        self.format = format
        self.columnNames = columnNames
        self.width = width
    }

    /// Prints the header (CSV, table) before the first batch.
    mutating func begin(firstBatch: Table?) {
        switch format {
        case .csv: print(columnNames.map { Value.string($0).csvField }.joined(separator: ","))
        case .jsonl: break
        case .table:
            var widths = columnNames.map(\.count)
            if let batch = firstBatch {
                for row in 0 ..< min(batch.rowCount, 1000) {
                    for (index, column) in batch.columns.enumerated() {
                        widths[index] = max(widths[index], min(40, column[row].cellText.count))
                    }
                }
            }
            self.widths = widths
            printLine(columnNames)
            printLine(widths.map { String(repeating: "-", count: $0) })
        }
    }

    /// Prints every row of `batch`.
    mutating func print(_ batch: Table) {
        for row in 0 ..< batch.rowCount {
            switch format {
            case .jsonl:
                var json = JSONText()
                json.beginObject()
                for column in batch.columns {
                    json.key(column.name)
                    column[row].append(to: &json)
                }
                json.endObject()
                Swift.print(json.text)
            case .csv:
                Swift.print(batch.columns.map { $0[row].csvField }.joined(separator: ","))
            case .table:
                printLine(batch.columns.map { $0[row].cellText })
            }
        }
        rowsPrinted += batch.rowCount
    }

    private func print(_ text: String) { Swift.print(text) }

    private func printLine(_ cells: [String]) {
        let widths = self.widths ?? cells.map(\.count)
        var line = ""
        for (index, cell) in cells.enumerated() {
            let cellWidth = widths[index]
            var text = cell
            if text.count > cellWidth { text = String(text.prefix(max(1, cellWidth - 1))) + "…" }
            if index > 0 { line += "  " }
            line += text + String(repeating: " ", count: max(0, cellWidth - text.count))
        }
        while line.last == " " { line.removeLast() }
        if let width, line.count > width { line = String(line.prefix(max(1, width - 1))) + "…" }
        Swift.print(line)
    }
}
