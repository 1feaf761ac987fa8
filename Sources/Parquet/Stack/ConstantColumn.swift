/// A string column that holds one text per run of rows (a file's constant over its rows), built
/// in bulk: the offsets and bytes are written directly, the text copied by doubling.
enum ConstantColumn {
    /// The column `name`: `runs[i].text` repeated over `runs[i].rows` rows, `total` rows in all.
    static func make(_ name: String, runs: [(text: String, rows: Int)], total: Int) -> Column {
        var firstRow = 0, firstByte = 0
        var starts: [(row: Int, byte: Int)] = []
        for run in runs {
            starts.append((firstRow, firstByte))
            firstRow += run.rows
            firstByte += run.rows * run.text.utf8.count
        }
        let byteCount = firstByte
        var bytes: [UInt8] = []
        let offsets = [Int](unsafeUninitializedCapacity: total + 1) { offsetBuffer, offsetsInitialized in
            bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { byteBuffer, bytesInitialized in
                var regions: [(start: UnsafeMutableRawPointer, byteCount: Int)] = [(UnsafeMutableRawPointer(offsetBuffer.baseAddress!), (total + 1) * MemoryLayout<Int>.stride)]
                if let base = byteBuffer.baseAddress { regions.append((UnsafeMutableRawPointer(base), byteCount)) }
                FreshMemory.populate(regions)
                offsetBuffer[0] = 0
                for (index, run) in runs.enumerated() {
                    write(run.text, rows: run.rows, firstRow: starts[index].row, firstByte: starts[index].byte,
                          offsets: offsetBuffer.baseAddress!, bytes: byteBuffer.baseAddress)
                }
                bytesInitialized = byteCount
            }
            offsetsInitialized = total + 1
        }
        return Column(unchecked: name, type: .string, values: .bytes(ByteArrays(offsets: offsets, bytes: bytes)), validity: nil)
    }

    /// Writes `text` over rows `firstRow ..< firstRow + rows` of a string column: the offsets
    /// after each row (the column's leading 0 is the caller's) and the bytes from `firstByte`.
    static func write(_ text: String, rows: Int, firstRow: Int, firstByte: Int, offsets: UnsafeMutablePointer<Int>, bytes: UnsafeMutablePointer<UInt8>?) {
        let utf8 = Array(text.utf8)
        for row in 0 ..< rows { (offsets + firstRow + row + 1).initialize(to: firstByte + (row + 1) * utf8.count) }
        guard let bytes, rows > 0, !utf8.isEmpty else { return }
        // Copy the text once, then double the filled span until the rows are covered.
        let start = bytes + firstByte
        let size = rows * utf8.count
        utf8.withUnsafeBufferPointer { start.initialize(from: $0.baseAddress!, count: utf8.count) }
        var filled = utf8.count
        while filled < size {
            let chunk = Swift.min(filled, size - filled)
            (start + filled).initialize(from: start, count: chunk)
            filled += chunk
        }
    }
}
