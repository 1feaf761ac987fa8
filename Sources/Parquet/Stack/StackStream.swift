import Parallel

/// Many Parquet files read as one stacked table, one file at a time: the stacked schema is
/// known before any data is decoded, and memory stays near a few files' tables, however many
/// files there are.
///
/// ```swift
/// let files = runs.map { StackFile(path: $0.path + "/metrics.parquet", constant: $0.id) }
/// let stream = try StackStream(files, options: StackOptions(constantColumn: "run_id"))
/// let writer = try ParquetWriter(path: "all.parquet", schema: stream.schema)
/// let skipped = try stream.forEach { _, table in try writer.write(table) }
/// try writer.close()
/// ```
///
/// The tables handed out, one per readable file in the order given, are what
/// ``TableStacker/read(_:options:)`` stacks: the constant column first, then the union of the
/// files' columns by the same rules (first-seen order, missing values null, int64 widened to
/// double, decimals rescaled), so concatenating them gives the stacked table.
///
/// Every footer is read first (in parallel), which fixes the schema; then the files are
/// decoded a window at a time (files whose tables together take about half of
/// ``StackOptions/lookaheadBytes``), each window on every core, and handed out in order; the
/// next window is decoded while the caller takes the last one, so two windows are in memory.
public struct StackStream: Sendable {
    /// The stacked schema: the constant column first (when asked for), then the union of the
    /// files' columns; every field nullable.
    public let schema: Schema
    /// The files whose footer could not be read or that failed ``StackOptions/check``, in input
    /// order. Their columns are not part of ``schema``.
    public let failures: [StackResult.Failure]
    /// The number of rows the readable files hold, by their footers.
    public var rowCount: Int { parts.last.map { $0.firstRow + $0.rows } ?? 0 }
    /// The indices (in the files given) of the files whose footers were read, in order.
    public var readableFiles: [Int] { parts.map(\.index) }

    private let parts: [StackPlan.Part]
    private let layout: ColumnUnion
    private let options: StackOptions
    private let read: ReadOptions

    /// Reads and checks every file's footer (in parallel) and works out the stacked schema.
    /// Throws ``StackClash`` when two files' columns cannot be stacked; files that cannot be
    /// read or fail the check are left out and listed in ``failures``.
    public init(_ files: [StackFile], options: StackOptions = StackOptions()) throws {
        FreedMemory.keep()   // each file's buffers serve the next
        var serial = options.readOptions
        serial.threads = 1
        let (parts, failures) = StackPlan.read(files, options: options, read: serial)
        layout = try StackPlan.layout(parts)
        schema = StackPlan.schema(layout, constantColumn: options.constantColumn)
        self.parts = parts
        self.failures = failures
        self.options = options
        self.read = serial
    }

    /// Decodes the readable files in order and calls `body` with each one's index (in the files
    /// given) and its rows in ``schema``. A file that fails to decode after its footer was read
    /// is left out (its columns stay in the schema) and returned among the failures, in input
    /// order. Throws what `body` throws, and ``StackClash`` when a file holds values of a type
    /// its footer's statistics hid (a column they counted as all null) that clashes with the
    /// schema; the files after it are then not read.
    @discardableResult
    public func forEach(_ body: (_ index: Int, _ table: Table) throws -> Void) throws -> [StackResult.Failure] {
        try forEach({ _, table in table }, body)
    }

    /// ``forEach(_:)`` with work done on the decoding threads: `transform` turns each file's
    /// table into what `body` receives (e.g. its rows encoded as text), on every core while the
    /// files are decoded; `body` is called on the calling thread, in order. Throws what
    /// `transform` throws as soon as its file's turn comes.
    @discardableResult
    public func forEach<Output: Sendable>(_ transform: @escaping @Sendable (_ index: Int, _ table: Table) throws -> Output,
                                          _ body: (_ index: Int, _ output: Output) throws -> Void) throws -> [StackResult.Failure] {
        // Two stages: while the calling thread hands one window's outputs to `body` (writing
        // them out, say), the next window is decoded on every core.
        var failures: [StackResult.Failure] = []
        var ahead = start(window: 0, transform)
        while let current = ahead {
            let results = current.work.wait()
            ahead = current.end < parts.count ? start(window: current.end, transform) : nil
            for (position, outcome) in results.enumerated() {
                let index = parts[current.start + position].index
                switch outcome {
                case .table(let output)?: try body(index, output)   // `ahead` is joined when dropped
                case .unreadable(let error)?: failures.append(StackResult.Failure(index: index, error: error))
                case .unstackable(let error)?: throw error
                case nil: break
                }
            }
        }
        return failures
    }

    /// A window of files being decoded (and transformed) in the background.
    private struct Window<Output: Sendable> {
        var start: Int
        var end: Int
        var work: BackgroundWork<[Decoded<Output>?]>
    }

    /// Starts decoding the window of files from `start` on every core; nil past the end.
    private func start<Output: Sendable>(window start: Int, _ transform: @escaping @Sendable (_ index: Int, _ table: Table) throws -> Output) -> Window<Output>? {
        guard start < parts.count else { return nil }
        let end = windowEnd(from: start)
        let window = Array(parts[start ..< end])
        let layout = self.layout, options = self.options, read = self.read
        let work = BackgroundWork<[Decoded<Output>?]> {
            let results = Slots<Decoded<Output>>(count: window.count)
            Parallel.forEach(window.count) { position in
                let part = window[position]
                results.set(position, Self.decode(part, layout: layout, options: options, read: read).flatMap { table in
                    do { return .table(try transform(part.index, table)) } catch { return .unstackable(error) }
                })
            }
            return results.values
        }
        return Window(start: start, end: end, work: work)
    }

    /// What decoding one file gave.
    private enum Decoded<Value: Sendable>: Sendable {
        case table(Value)
        /// The file could not be decoded: it is left out.
        case unreadable(any Error & Sendable)
        /// Its values do not fit the schema: stacking fails.
        case unstackable(any Error & Sendable)

        /// `transform` applied to a decoded value; failures kept.
        func flatMap<Other: Sendable>(_ transform: (Value) -> Decoded<Other>) -> Decoded<Other> {
            switch self {
            case .table(let value): transform(value)
            case .unreadable(let error): .unreadable(error)
            case .unstackable(let error): .unstackable(error)
            }
        }
    }

    private static func decode(_ part: StackPlan.Part, layout: ColumnUnion, options: StackOptions, read: ReadOptions) -> Decoded<Table> {
        let table: Table
        do {
            let reader = try ParquetReader(path: part.file.path, options: read)
            table = try reader.read(columns: part.columns.map(\.name))
        } catch {
            return .unreadable(error)
        }
        do {
            return .table(try StackPlan.conform(table, constant: part.file.constant, constantColumn: options.constantColumn,
                                                layout: layout, index: part.index))
        } catch {
            return .unstackable(error)
        }
    }

    /// The end of the window that starts at part `start`: parts whose tables take about
    /// ``StackOptions/lookaheadBytes`` in all (at least one part).
    private func windowEnd(from start: Int) -> Int {
        var bytes = 0
        var end = start
        let constantWidth = options.constantColumn == nil ? 0 : MemoryLayout<Int>.stride
        while end < parts.count {
            let part = parts[end]
            let width = layout.types.reduce(constantWidth + part.file.constant.utf8.count) { total, type in
                total + (type.storage == .bytes ? 24 : 8)
            }
            bytes += part.rows * width
            end += 1
            if bytes >= options.lookaheadBytes / 2 { break }   // two windows are in flight
        }
        return end
    }
}
